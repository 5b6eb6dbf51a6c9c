# Delivery and Notification (Services/Delivery, Services/Notification) come later. Their queues exist
# now (the rules' targets in main.tf, the channel queues behind Notification's topic below), so no
# event is lost while they are missing: messages wait in the queues (4 days) until the functions exist.
# enable_delivery / enable_notification add each function (from dist/NAME.zip), its own table and its
# queue mappings; with manage_functions = false only the table and role are made here and
# serverless/consumers deploys the function.
#
# Their environment names are PROPOSED (DESIGN.md names the settings, not the variables yet): a store
# as sqlite:PATH or dynamodb:TABLE, the bus they publish shop.delivery / shop.notifications events to,
# the channels enabled, the SES sender. When the services define their names, change them here and in
# serverless/consumers (scripts/deploy_consistency.py checks the two agree), or override them with
# var.consumer_environment_overrides.

module "delivery_table" {
  source              = "./modules/table"
  count               = var.enable_delivery ? 1 : 0
  name                = var.delivery_table_name
  stream              = false
  deletion_protection = var.table_deletion_protection
  tags                = local.tags
}

module "notification_table" {
  source              = "./modules/table"
  count               = var.enable_notification ? 1 : 0
  name                = var.notification_table_name
  stream              = false
  deletion_protection = var.table_deletion_protection
  tags                = local.tags
}

locals {
  consumer_default_environments = {
    delivery = {
      DELIVERY_STORE = "dynamodb:${var.delivery_table_name}"
    }
    notification = {
      NOTIFICATION_STORE      = "dynamodb:${var.notification_table_name}"
      NOTIFICATION_CHANNELS   = join(",", var.notification_channels)
      NOTIFICATION_EMAIL_FROM = var.notification_sender
    }
  }
  consumer_environments = {
    for name, environment in local.consumer_default_environments : name => merge(environment, lookup(var.consumer_environment_overrides, name, {}))
  }

  consumer_queue_access = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"]

  consumer_permissions = merge(
    var.enable_delivery ? {
      delivery = [
        { sid = "ReadRoutedEvents", actions = local.consumer_queue_access, resources = [module.events.queue_arns["delivery"]], conditions = [] },
        { sid = "OwnTable", actions = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:ConditionCheckItem", "dynamodb:DeleteItem"], resources = [module.delivery_table[0].arn], conditions = [] },
        merge(local.table_key_through_dynamodb, { resources = [module.delivery_table[0].kms_key_arn] }),
        { sid = "PublishShipmentEvents", actions = ["events:PutEvents"], resources = [module.events.bus_arn], conditions = [] },
        local.platform_key_decrypt,
      ]
    } : {},
    var.enable_notification ? {
      notification = concat([
        { sid = "ReadRoutedEventsAndChannels", actions = local.consumer_queue_access, resources = concat([module.events.queue_arns["notification"]], values(module.consumers.channel_queue_arns)), conditions = [] },
        { sid = "FanOutToChannels", actions = ["sns:Publish"], resources = [module.consumers.topic_arn], conditions = [] },
        { sid = "OwnTable", actions = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:ConditionCheckItem", "dynamodb:DeleteItem"], resources = [module.notification_table[0].arn], conditions = [] },
        merge(local.table_key_through_dynamodb, { resources = [module.notification_table[0].kms_key_arn] }),
        { sid = "PublishNotificationEvents", actions = ["events:PutEvents"], resources = [module.events.bus_arn], conditions = [] },
        { sid = "PlatformKey", actions = ["kms:Decrypt", "kms:GenerateDataKey"], resources = [module.kms.key_arn], conditions = [] },
        ], var.notification_sender == "" ? [] : [{
          sid       = "SendEmailAsTheSender"
          actions   = ["ses:SendEmail", "ses:SendRawEmail"]
          resources = ["arn:${local.partition}:ses:${local.region}:${local.account}:identity/*"]
          conditions = [{
            test     = "StringEquals"
            variable = "ses:FromAddress"
            values   = [var.notification_sender]
          }]
      }])
    } : {},
  )
}

module "consumers" {
  source = "./modules/consumers"

  bus_name                   = var.bus_name
  channels                   = var.notification_channels
  kms_key_arn                = module.kms.key_arn
  max_receive_count          = var.max_receive_count
  visibility_timeout_seconds = 6 * var.consumer_sizing.timeout
  manage_functions           = var.manage_functions
  enable_delivery            = var.enable_delivery
  enable_notification        = var.enable_notification
  dist_dir                   = local.dist_dir
  name_prefix                = var.function_name_prefix
  role_arns                  = module.iam.role_arns
  environments               = local.consumer_environments
  delivery_queue_arn         = module.events.queue_arns["delivery"]
  notification_queue_arn     = module.events.queue_arns["notification"]
  memory_size                = var.consumer_sizing.memory_size
  timeout                    = var.consumer_sizing.timeout
  reserved_concurrency       = var.consumer_sizing.reserved_concurrency
  maximum_concurrency        = var.consumer_sizing.maximum_concurrency
  log_retention_days         = var.log_retention_days
  alarm_actions              = local.alarm_actions
  tags                       = local.tags
}
