# Delivery and Notification (Services/Delivery, Services/Notification). Their queues exist from the
# first apply (modules/events in main.tf: Delivery's queue, the channel queues behind Notification's
# topic), so no event is lost while the functions are missing: messages wait in the queues (4 days).
# enable_delivery / enable_notification add each consumer's own table (with its stream and the
# outbox-relay on it, outbox_relays.tf), its role and, with manage_functions = true, the function (from
# dist/NAME.zip) and its queue mappings; with manage_functions = false serverless/consumers.yml deploys
# the function and its table's relay with the roles made here.
#
# Their environment names are the ones the services read (README, "Configuration"):
# DELIVERY_STORE, NOTIFICATION_STORE, NOTIFICATION_CHANNELS, NOTIFICATION_EMAIL_FROM,
# NOTIFICATION_SMS_COUNTRIES.
# scripts/deploy_consistency.py checks them against the README and serverless/consumers.yml;
# var.consumer_environment_overrides adds or changes one without editing.

# Each consumer's own table, made like the payments table. Its stream carries the consumer's outbox
# (OUTBOX# items holding shop.delivery / shop.notifications events, written in the same transaction as
# the shipment or sent-record) to an outbox-relay of its own (outbox_relays.tf): on DynamoDB the consumers never
# call EventBridge themselves. TTL on `expiresAt` removes the processed-event markers and sent-records
# after 15 days (the stores set it: longer than SQS keeps a message).
module "delivery_table" {
  source              = "./modules/table"
  count               = var.enable_delivery ? 1 : 0
  name                = var.delivery_table_name
  stream              = true
  ttl_attribute       = "expiresAt"
  deletion_protection = var.table_deletion_protection
  tags                = local.tags
}

module "notification_table" {
  source              = "./modules/table"
  count               = var.enable_notification ? 1 : 0
  name                = var.notification_table_name
  stream              = true
  ttl_attribute       = "expiresAt"
  deletion_protection = var.table_deletion_protection
  tags                = local.tags
}

# The consumers' relays (outbox_relays.tf, one modules/outbox_relay per table): each enabled consumer's
# table and the name of the relay on its stream (function and role).
locals {
  consumer_tables = merge(
    var.enable_delivery ? {
      delivery = { name = module.delivery_table[0].name, arn = module.delivery_table[0].arn, stream_arn = module.delivery_table[0].stream_arn, kms_key_arn = module.delivery_table[0].kms_key_arn }
    } : {},
    var.enable_notification ? {
      notification = { name = module.notification_table[0].name, arn = module.notification_table[0].arn, stream_arn = module.notification_table[0].stream_arn, kms_key_arn = module.notification_table[0].kms_key_arn }
    } : {},
  )

  consumer_relay_names = {
    delivery     = "delivery-outbox-relay"
    notification = "notification-outbox-relay"
  }

  # What each consumer relay's role may do: the payments relay's statements (permissions.tf) on its
  # own table, stream and failure queue.
  consumer_relay_permissions = {
    for consumer, table in local.consumer_tables : local.consumer_relay_names[consumer] => [
      {
        # What the event source mapping does with the function's role to read the stream.
        sid        = "ReadTheTableStream"
        actions    = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"]
        resources  = ["${table.arn}/stream/*"]
        conditions = []
      },
      merge(local.remove_published_outbox_items, { resources = [table.arn] }),
      merge(local.read_outbox_items, { resources = [table.arn] }),
      {
        sid        = "PublishToTheBus"
        actions    = ["events:PutEvents"]
        resources  = [module.events.bus_arn]
        conditions = []
      },
      {
        # The mapping's on-failure destination is sent to with the function's role.
        sid        = "RecordFailedBatches"
        actions    = ["sqs:SendMessage"]
        resources  = [module.outbox_relay[consumer].failure_queue_arn]
        conditions = []
      },
      {
        sid        = "EncryptFailedBatchRecords"
        actions    = ["kms:GenerateDataKey", "kms:Decrypt"]
        resources  = [module.kms.key_arn]
        conditions = []
      },
      merge(local.table_key_through_dynamodb, { resources = [table.kms_key_arn] }),
    ]
  }
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
      # The countries SMS may go to (the function refuses to start without it when it sends SMS).
      NOTIFICATION_SMS_COUNTRIES = join(",", var.notification_sms_countries)
    }
  }
  consumer_environments = {
    for name, environment in local.consumer_default_environments : name => merge(environment, lookup(var.consumer_environment_overrides, name, {}))
  }

  consumer_queue_access = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"]
  # The consumers' stores read with a consistent GetItem and write one TransactWriteItems of conditioned
  # Puts (DynamoDBTable), which IAM authorises per item as PutItem. They never call EventBridge: on
  # DynamoDB their events go to their table's outbox, published by the table's relay (above).
  consumer_table_access = ["dynamodb:GetItem", "dynamodb:PutItem"]

  consumer_permissions = merge(
    local.consumer_relay_permissions,
    var.enable_delivery ? {
      delivery = [
        { sid = "ReadRoutedEvents", actions = local.consumer_queue_access, resources = [module.events.queue_arns["delivery"]], conditions = [] },
        { sid = "OwnTable", actions = local.consumer_table_access, resources = [module.delivery_table[0].arn], conditions = [] },
        merge(local.table_key_through_dynamodb, { resources = [module.delivery_table[0].kms_key_arn] }),
        local.platform_key_decrypt,
      ]
    } : {},
    var.enable_notification ? {
      notification = concat([
        # Its channel queues behind the topic, and no other queue.
        { sid = "ReadChannelQueues", actions = local.consumer_queue_access, resources = values(module.events.channel_queue_arns["notification"]), conditions = [] },
        { sid = "OwnTable", actions = local.consumer_table_access, resources = [module.notification_table[0].arn], conditions = [] },
        merge(local.table_key_through_dynamodb, { resources = [module.notification_table[0].kms_key_arn] }),
        # Its environment, and the messages of the encrypted queues it reads.
        local.platform_key_decrypt,
        ],
        # SMS goes through SNS Publish with a PhoneNumber (SNSClient.publishSMS), which names no topic: IAM
        # authorises it on the phone number itself ("not authorized to perform SNS:Publish on resource
        # +1…"), which no ARN or pattern of Resource can name. NotResource every SNS ARN allows exactly
        # those publishes and none to a topic or a push endpoint (every topic, of any account and
        # partition, is arn:*:sns:*:*:*). The function publishes to no topic of its own (the fan-out topic
        # is EventBridge's to publish to), so it holds no topic and no topic key permission.
        contains(var.notification_channels, "sms") ? [{
          sid           = "SendSMSOnly"
          actions       = ["sns:Publish"]
          resources     = []
          not_resources = ["arn:*:sns:*:*:*"]
          conditions    = []
        }] : [],
        var.notification_sender == "" ? [] : [{
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

  kms_key_arn             = module.kms.key_arn
  manage_functions        = var.manage_functions
  enable_delivery         = var.enable_delivery
  enable_notification     = var.enable_notification
  dist_dir                = local.dist_dir
  name_prefix             = var.function_name_prefix
  role_arns               = module.iam.role_arns
  environments            = local.consumer_environments
  delivery_queue_arn      = module.events.queue_arns["delivery"]
  notification_queue_arns = module.events.channel_queue_arns["notification"]
  memory_size             = var.consumer_sizing.memory_size
  timeout                 = var.consumer_sizing.timeout
  reserved_concurrency    = var.consumer_sizing.reserved_concurrency
  maximum_concurrency     = var.consumer_sizing.maximum_concurrency
  log_retention_days      = var.log_retention_days
  alarm_actions           = local.alarm_actions
  tags                    = local.tags
}

# Notification's channel queues were made in modules/consumers before they moved to modules/events with
# the topic; these keep them (and their messages) instead of deleting and re-creating queues of the same
# names, which SQS refuses for 60 seconds after a deletion. A plan with nothing at the old addresses
# ignores them. The channels are those NotificationChannel knows (var.notification_channels).
moved {
  from = module.consumers.module.channel_queue["email"]
  to   = module.events.module.channel_queue["notification-email"]
}

moved {
  from = module.consumers.module.channel_queue["sms"]
  to   = module.events.module.channel_queue["notification-sms"]
}

moved {
  from = module.consumers.aws_sqs_queue_policy.channel["email"]
  to   = module.events.aws_sqs_queue_policy.channel["notification-email"]
}

moved {
  from = module.consumers.aws_sqs_queue_policy.channel["sms"]
  to   = module.events.aws_sqs_queue_policy.channel["notification-sms"]
}
