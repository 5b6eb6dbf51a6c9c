# The consumers of payment events, fed by what modules/events makes for the rules (Delivery's queue,
# Notification's channel queues behind its topic):
#  - the `delivery` and `notification` functions themselves, from dist/delivery.zip and
#    dist/notification.zip, each off by default (enable_delivery, enable_notification), and their SQS
#    event source mappings with partial batch responses: delivery on its queue, notification on each
#    channel's queue (BUS-notification-CHANNEL, whose name tells the function the record's channel).
#    Their settings are in the root module (consumer_environments);
#  - the outbox-relay of each enabled consumer's table (var.relays: dist/outbox-relay.zip deployed once
#    per table, with PAYMENTS_STORE naming it), fed by that table's stream exactly as modules/functions
#    feeds the payments table's relay, so shop.delivery and shop.notifications events reach the bus.

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

# The consumers' outbox relays: the outbox-relay executable, one function per consumer table (it removes
# what it published from the table its PAYMENTS_STORE names), each mapped to its table's stream like
# the payments table's relay (modules/functions): only INSERTs of OUTBOX# items, partial batch
# responses, bisect on error, bounded retries, then the batch's position in its failure queue.
locals {
  relays = var.manage_functions ? var.relays : {}
}

module "relay" {
  source   = "../lambda"
  for_each = local.relays

  name                 = "${var.name_prefix}${each.key}"
  description          = "Publishes the ${each.value.table_name} table's outbox items (its stream) to EventBridge"
  zip_path             = "${var.dist_dir}/outbox-relay.zip"
  role_arn             = var.role_arns[each.key]
  environment          = var.relay_environments[each.key]
  memory_size          = var.relay_memory_size
  timeout              = var.relay_timeout
  reserved_concurrency = null # one invocation per shard of a small table at a time: nothing to cap
  kms_key_arn          = var.kms_key_arn
  log_retention_days   = var.log_retention_days
  alarm_actions        = var.alarm_actions
  tags                 = var.tags
}

resource "aws_lambda_event_source_mapping" "relay" {
  for_each                           = local.relays
  event_source_arn                   = each.value.stream_arn
  function_name                      = module.relay[each.key].arn
  starting_position                  = "TRIM_HORIZON"
  batch_size                         = var.relay_batch_size
  maximum_batching_window_in_seconds = var.relay_batching_window_seconds
  function_response_types            = ["ReportBatchItemFailures"]
  bisect_batch_on_function_error     = true
  maximum_retry_attempts             = var.relay_maximum_retry_attempts
  maximum_record_age_in_seconds      = -1 # the outbox item waits in the table anyway; the stream keeps 24 h

  # Only INSERTs of OUTBOX# items carry events; shipments, markers, sent-records, TTL removals and the
  # relay's own deletes never invoke it.
  filter_criteria {
    filter {
      pattern = jsonencode({
        eventName = ["INSERT"]
        dynamodb  = { Keys = { pk = { S = [{ prefix = "OUTBOX#" }] } } }
      })
    }
  }

  destination_config {
    on_failure {
      destination_arn = each.value.failure_queue_arn
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "relay_iterator_age" {
  for_each            = local.relays
  alarm_name          = "${var.name_prefix}${each.key}-iterator-age"
  alarm_description   = "${each.key} lags behind its table's stream: the consumer's events reach the bus late (records older than 24 h are lost from the stream, their outbox items stay in the table)."
  namespace           = "AWS/Lambda"
  metric_name         = "IteratorAge"
  dimensions          = { FunctionName = module.relay[each.key].function_name }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.relay_iterator_age_alarm_ms
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}
