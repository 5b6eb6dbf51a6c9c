# The HTTP API (API Gateway v2) in front of the payment and webhook functions: one Lambda proxy
# integration per function with payload format 2.0 (what the functions read), one route per route key,
# the $default stage deployed automatically with throttling and JSON access logs.

locals {
  functions = toset([for route in var.routes : route.function])
}

resource "aws_apigatewayv2_api" "this" {
  name          = var.name
  protocol_type = "HTTP"
  description   = "Payments: POST /payments/{provider}, GET /payments/{id}, POST /webhooks/{provider}"
  tags          = var.tags
}

resource "aws_apigatewayv2_integration" "function" {
  for_each               = local.functions
  api_id                 = aws_apigatewayv2_api.this.id
  integration_type       = "AWS_PROXY"
  integration_method     = "POST"
  integration_uri        = var.invoke_arns[each.key]
  payload_format_version = "2.0"
  timeout_milliseconds   = var.integration_timeout_ms
}

resource "aws_apigatewayv2_route" "this" {
  #checkov:skip=CKV_AWS_309:Webhook routes cannot carry AWS credentials (the providers call them); the functions verify every delivery's signature and refuse the rest with 400. Payment routes take var.payment_routes_authorization (AWS_IAM by default in the root module).
  for_each           = var.routes
  api_id             = aws_apigatewayv2_api.this.id
  route_key          = each.key
  target             = "integrations/${aws_apigatewayv2_integration.function[each.value.function].id}"
  authorization_type = each.value.authorization_type
}

resource "aws_lambda_permission" "api" {
  for_each      = local.functions
  statement_id  = "AllowHttpApi"
  action        = "lambda:InvokeFunction"
  function_name = var.function_names[each.key]
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.this.execution_arn}/*/*"
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.this.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_burst_limit = var.throttling_burst_limit
    throttling_rate_limit  = var.throttling_rate_limit
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    # Who called (the source address, and for AWS_IAM routes the signing principal) and why a request
    # failed: API Gateway's own error (authorization refused, throttled, no route), the integration's
    # (the function crashed or timed out) or the function's status. serverless/serverless.yml logs the
    # same fields (scripts/deploy_consistency.py compares them).
    format = jsonencode({
      requestId         = "$context.requestId"
      requestTime       = "$context.requestTime"
      routeKey          = "$context.routeKey"
      status            = "$context.status"
      latencyMs         = "$context.responseLatency"
      integrationMs     = "$context.integrationLatency"
      integrationStatus = "$context.integrationStatus"
      sourceIp          = "$context.identity.sourceIp"
      userAgent         = "$context.identity.userAgent"
      callerAccount     = "$context.identity.accountId"
      callerArn         = "$context.identity.userArn"
      callerId          = "$context.identity.caller"
      errorMessage      = "$context.error.message"
      errorType         = "$context.error.responseType"
      integrationError  = "$context.integration.error"
      integrationErr    = "$context.integrationErrorMessage"
      authorizerError   = "$context.authorizer.error"
    })
  }

  tags = var.tags
}
