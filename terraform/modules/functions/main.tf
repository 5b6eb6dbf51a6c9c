# The payment, webhook and relay functions from their zips, and what feeds outbox-relay: the payments
# table's stream, through an event source mapping that reports partial batch failures, bisects a
# failing batch, retries a bounded number of times and then records the failed batch's position in an
# SQS queue. Left out entirely (manage_functions = false in the root module) when Serverless deploys
# the functions.

module "function" {
  source   = "../lambda"
  for_each = var.functions

  name                 = "${var.name_prefix}${each.key}"
  description          = each.value.description
  zip_path             = "${var.dist_dir}/${each.key}.zip"
  role_arn             = var.role_arns[each.key]
  environment          = var.environments[each.key]
  memory_size          = each.value.memory_size
  timeout              = each.value.timeout
  reserved_concurrency = each.value.reserved_concurrency
  kms_key_arn          = var.kms_key_arn
  log_retention_days   = var.log_retention_days
  alarm_actions        = var.alarm_actions
  tags                 = var.tags
}

# outbox-relay reads the stream. Only INSERTs of OUTBOX# items carry events (docs/aws.md); the filter
# spares the invocations the payment and idempotency writes, and the relay's own deletes, would cost.
resource "aws_lambda_event_source_mapping" "relay" {
  event_source_arn                   = var.stream_arn
  function_name                      = module.function[var.relay_function].arn
  starting_position                  = "TRIM_HORIZON"
  batch_size                         = var.relay_batch_size
  maximum_batching_window_in_seconds = var.relay_batching_window_seconds
  function_response_types            = ["ReportBatchItemFailures"]
  bisect_batch_on_function_error     = true
  maximum_retry_attempts             = var.relay_maximum_retry_attempts
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
      destination_arn = var.relay_failure_queue_arn
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "relay_iterator_age" {
  alarm_name          = "${var.name_prefix}${var.relay_function}-iterator-age"
  alarm_description   = "outbox-relay lags behind the table's stream: events reach the bus late (records older than 24 h are lost from the stream, their outbox items stay in the table)."
  namespace           = "AWS/Lambda"
  metric_name         = "IteratorAge"
  dimensions          = { FunctionName = module.function[var.relay_function].function_name }
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
