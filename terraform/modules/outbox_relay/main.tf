# The outbox-relay of one table: whatever writes to the table (the payment functions, a consumer) puts
# its events there as OUTBOX# items in the same transaction as its change, and the table's stream
# carries them to this relay, which publishes them to the bus and removes them. One instance per table
# with an outbox (the payments table's, each enabled consumer's; terraform/outbox_relays.tf):
#  - the queue where the stream mapping records a batch it gave up on (always: the relay's role, made
#    whoever deploys the function, may send to it, and Serverless's mapping uses it too);
#  - with deploy_function (manage_functions in the root module), the function from
#    dist/outbox-relay.zip, configured by the table it drains (OUTBOX_TABLE) and the bus (OUTBOX_EVENTS);
#    its stream mapping, which reports partial batch failures, bisects a failing batch, retries a bounded
#    number of times and then records the batch's position in the failure queue; and its IteratorAge alarm.

locals {
  function_count = var.deploy_function ? 1 : 0
}

module "failure_queue" {
  source                    = "../queue"
  name                      = "${var.table_name}-outbox-relay-failures"
  kms_key_arn               = var.kms_key_arn
  dead_letter_queue         = false
  message_retention_seconds = 1209600
  alarm_actions             = var.alarm_actions
  tags                      = var.tags
}

module "function" {
  source = "../lambda"
  count  = local.function_count

  name        = "${var.name_prefix}${var.function_name}"
  description = "Publishes the ${var.table_name} table's outbox items (its stream) to EventBridge"
  zip_path    = "${var.dist_dir}/outbox-relay.zip"
  role_arn    = var.role_arn
  environment = {
    OUTBOX_TABLE  = var.table_name
    OUTBOX_EVENTS = "eventbridge:${var.bus_name}"
  }
  memory_size          = var.memory_size
  timeout              = var.timeout
  reserved_concurrency = var.reserved_concurrency
  kms_key_arn          = var.kms_key_arn
  log_retention_days   = var.log_retention_days
  alarm_actions        = var.alarm_actions
  tags                 = var.tags
}

# Only INSERTs of OUTBOX# items carry events (docs/aws.md); the filter spares the invocations the
# table's other writes, TTL removals and the relay's own deletes would cost.
resource "aws_lambda_event_source_mapping" "stream" {
  count                              = local.function_count
  event_source_arn                   = var.stream_arn
  function_name                      = module.function[0].arn
  starting_position                  = "TRIM_HORIZON"
  batch_size                         = var.batch_size
  maximum_batching_window_in_seconds = var.batching_window_seconds
  function_response_types            = ["ReportBatchItemFailures"]
  bisect_batch_on_function_error     = true
  maximum_retry_attempts             = var.maximum_retry_attempts
  maximum_record_age_in_seconds      = -1 # the outbox item waits in the table anyway; the stream keeps 24 h

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
      destination_arn = module.failure_queue.arn
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "iterator_age" {
  count               = local.function_count
  alarm_name          = "${var.name_prefix}${var.function_name}-iterator-age"
  alarm_description   = "${var.function_name} lags behind the ${var.table_name} table's stream: its events reach the bus late (records older than 24 h are lost from the stream, their outbox items stay in the table)."
  namespace           = "AWS/Lambda"
  metric_name         = "IteratorAge"
  dimensions          = { FunctionName = module.function[0].function_name }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.iterator_age_alarm_ms
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}
