# The consumers of payment events, fed by what modules/events makes for the rules (Delivery's queue,
# Notification's channel queues behind its topic):
#  - the `delivery` and `notification` functions themselves, from dist/delivery.zip and
#    dist/notification.zip, each off by default (enable_delivery, enable_notification), and their SQS
#    event source mappings with partial batch responses: delivery on its queue, notification on each
#    channel's queue (BUS-notification-CHANNEL, whose name tells the function the record's channel).
#    Their settings are in the root module (consumer_environments).
# The outbox-relay on each consumer table's stream is modules/outbox_relay's (root outbox_relays.tf).

locals {
  # Which consumer functions exist, and which queues feed each.
  consumers = merge(
    var.manage_functions && var.enable_delivery ? {
      delivery = { queues = { routed = var.delivery_queue_arn }, description = "Delivery: ships paid orders, holds or cancels shipments on refunds and disputes" }
    } : {},
    var.manage_functions && var.enable_notification ? {
      # One mapping per channel queue, and no other: each channel's copy of an event is retried on its
      # own queue, never repeating or holding another channel's.
      notification = {
        queues      = var.notification_queue_arns
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
