# An SQS queue encrypted with the given key and, unless it is itself a dead end, a dead-letter queue
# NAME-dlq that takes a message after max_receive_count receives. A CloudWatch alarm fires as soon as a
# message waits in the dead-letter queue (or, for a queue without one, in the queue itself: such queues
# hold failures, like outbox-relay's on-failure destination). Both queues' policies refuse every request
# not made over TLS (aws:SecureTransport); the queue's also holds var.policy_statements (who may send).

resource "aws_sqs_queue" "dlq" {
  count                     = var.dead_letter_queue ? 1 : 0
  name                      = "${var.name}-dlq"
  kms_master_key_id         = var.kms_key_arn
  message_retention_seconds = 1209600 # 14 days, the maximum: time to look and redrive
  tags                      = var.tags
}

resource "aws_sqs_queue" "this" {
  name                       = var.name
  kms_master_key_id          = var.kms_key_arn
  visibility_timeout_seconds = var.visibility_timeout_seconds
  message_retention_seconds  = var.message_retention_seconds
  redrive_policy = var.dead_letter_queue ? jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq[0].arn
    maxReceiveCount     = var.max_receive_count
  }) : null
  tags = var.tags
}

resource "aws_sqs_queue_redrive_allow_policy" "dlq" {
  count     = var.dead_letter_queue ? 1 : 0
  queue_url = aws_sqs_queue.dlq[0].id
  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.this.arn]
  })
}

locals {
  deny_insecure_transport = {
    Sid       = "DenyInsecureTransport"
    Effect    = "Deny"
    Principal = "*"
    Action    = "sqs:*"
    Condition = { Bool = { "aws:SecureTransport" = "false" } }
  }
}

resource "aws_sqs_queue_policy" "this" {
  queue_url = aws_sqs_queue.this.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [for statement in concat([local.deny_insecure_transport], var.policy_statements) : merge(statement, { Resource = aws_sqs_queue.this.arn })]
  })
}

resource "aws_sqs_queue_policy" "dlq" {
  count     = var.dead_letter_queue ? 1 : 0
  queue_url = aws_sqs_queue.dlq[0].id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [merge(local.deny_insecure_transport, { Resource = aws_sqs_queue.dlq[0].arn })]
  })
}

resource "aws_cloudwatch_metric_alarm" "depth" {
  alarm_name          = "${var.dead_letter_queue ? "${var.name}-dlq" : var.name}-not-empty"
  alarm_description   = var.dead_letter_queue ? "Messages in ${var.name}-dlq: they failed ${var.max_receive_count} times. Look at the consumer's logs, fix, then redrive." : "Messages in ${var.name}: failures waiting for a look."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = var.dead_letter_queue ? aws_sqs_queue.dlq[0].name : aws_sqs_queue.this.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}
