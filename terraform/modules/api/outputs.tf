output "endpoint" {
  description = "Base URL of the API (https://ID.execute-api.REGION.amazonaws.com)."
  value       = aws_apigatewayv2_api.this.api_endpoint
}

output "api_id" {
  description = "Id of the HTTP API."
  value       = aws_apigatewayv2_api.this.id
}

output "execution_arn" {
  description = "Execution ARN (for IAM policies of callers of AWS_IAM routes)."
  value       = aws_apigatewayv2_api.this.execution_arn
}

output "route_keys" {
  description = "The routes."
  value       = sort(keys(aws_apigatewayv2_route.this))
}
