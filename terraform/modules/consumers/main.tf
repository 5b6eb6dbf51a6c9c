# What the consumers of payment events need besides the rules' queues (modules/events):
#  - Notification's fan-out: an SNS topic with one SQS queue per channel (email, sms, ...), each with its
#    dead-letter queue, subscribed with raw delivery and a filter on the message attribute `channel`;
#  - the `delivery` and `notification` functions themselves, from dist/delivery.zip and
#    dist/notification.zip, each off by default (enable_delivery, enable_notification) until
#    Services/Delivery and Services/Notification exist, and their SQS event source mappings with
#    partial batch responses. Their settings are in the root module (consumer_environments).

resource "aws_sns_topic" "notifications" {
  name              = "${var.bus_name}-notifications"
  kms_master_key_id = var.kms_key_arn
  tags              = var.tags
}

module "channel_queue" {
  source   = "../queue"
  for_each = toset(var.channels)

  name                       = "${var.bus_name}-notification-${each.key}"
  kms_key_arn                = var.kms_key_arn
  max_receive_count          = var.max_receive_count
  visibility_timeout_seconds = var.visibility_timeout_seconds
  alarm_actions              = var.alarm_actions
  tags                       = var.tags
}

resource "aws_sqs_queue_policy" "channel" {
  for_each  = toset(var.channels)
  queue_url = module.channel_queue[each.key].url
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "NotificationTopicDelivers"
      Effect    = "Allow"
      Principal = { Service = "sns.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = module.channel_queue[each.key].arn
      Condition = { ArnEquals = { "aws:SourceArn" = aws_sns_topic.notifications.arn } }
    }]
  })
}

resource "aws_sns_topic_subscription" "channel" {
  for_each             = toset(var.channels)
  topic_arn            = aws_sns_topic.notifications.arn
  protocol             = "sqs"
  endpoint             = module.channel_queue[each.key].arn
  raw_message_delivery = true
  filter_policy        = jsonencode({ channel = [each.key] })
}

locals {
  # Which consumer functions exist, and which queues feed each.
  consumers = merge(
    var.manage_functions && var.enable_delivery ? {
      delivery = { queues = { routed = var.delivery_queue_arn }, description = "Delivery: ships paid orders, holds or cancels shipments on refunds and disputes" }
    } : {},
    var.manage_functions && var.enable_notification ? {
      notification = {
        queues      = merge({ routed = var.notification_queue_arn }, { for channel in var.channels : channel => module.channel_queue[channel].arn })
        description = "Notification: tells the customer about their payment (fan-out per channel)"
      }
    } : {},
  )
  mappings = merge([
    for name, consumer in local.consumers : { for source, arn in consumer.queues : "${name}-${source}" => { function = name, queue_arn = arn } }
  ]...)
}

module "function" {
  source   = "../lambda"
  for_each = local.consumers

  name                 = "${var.name_prefix}${each.key}"
  description          = each.value.description
  zip_path             = "${var.dist_dir}/${each.key}.zip"
  role_arn             = var.role_arns[each.key]
  environment          = var.environments[each.key]
  memory_size          = var.memory_size
  timeout              = var.timeout
  reserved_concurrency = var.reserved_concurrency
  kms_key_arn          = var.kms_key_arn
  log_retention_days   = var.log_retention_days
  alarm_actions        = var.alarm_actions
  tags                 = var.tags
}

resource "aws_lambda_event_source_mapping" "queue" {
  for_each                           = local.mappings
  event_source_arn                   = each.value.queue_arn
  function_name                      = module.function[each.value.function].arn
  batch_size                         = var.batch_size
  maximum_batching_window_in_seconds = var.batching_window_seconds
  function_response_types            = ["ReportBatchItemFailures"]

  scaling_config {
    maximum_concurrency = var.maximum_concurrency
  }
}
