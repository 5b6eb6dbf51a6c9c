# One function from its zip (bootstrap at the root, built by scripts/package.sh) on the provided.al2023
# custom runtime: its log group (encrypted, with retention), the function, and an alarm on its errors.

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_lambda_function" "this" {
  #checkov:skip=CKV_AWS_116:A dead-letter queue only applies to asynchronous invocations; these functions are invoked synchronously (API Gateway) or by event source mappings, which have their own failure destinations and dead-letter queues.
  #checkov:skip=CKV_AWS_117:No VPC: the functions reach the providers' public APIs and AWS endpoints over the internet; a VPC would add NAT gateways (cost, cold starts) and protect nothing they hold.
  #checkov:skip=CKV_AWS_272:Code signing needs an AWS Signer profile; the zips are built and checked by this repository's scripts (package.sh, check_zips.sh). How to add it: docs/deploy.md#code-signing.
  function_name                  = var.name
  description                    = var.description
  role                           = var.role_arn
  filename                       = var.zip_path
  source_code_hash               = filebase64sha256(var.zip_path)
  runtime                        = "provided.al2023"
  handler                        = "bootstrap"
  architectures                  = [var.architecture]
  memory_size                    = var.memory_size
  timeout                        = var.timeout
  reserved_concurrent_executions = var.reserved_concurrency == null ? -1 : var.reserved_concurrency
  kms_key_arn                    = var.kms_key_arn

  environment {
    variables = var.environment
  }

  tracing_config {
    mode = "Active"
  }

  tags       = var.tags
  depends_on = [aws_cloudwatch_log_group.this]
}

resource "aws_cloudwatch_metric_alarm" "errors" {
  alarm_name          = "${var.name}-errors"
  alarm_description   = "${var.name} failed invocations (thrown errors, crashes, timeouts): see its log group."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.this.function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.errors_threshold
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}
