output "name" {
  description = "Table name."
  value       = aws_dynamodb_table.this.name
}

output "arn" {
  description = "Table ARN."
  value       = aws_dynamodb_table.this.arn
}

output "stream_arn" {
  description = "ARN of the table's stream (null without a stream)."
  value       = var.stream ? aws_dynamodb_table.this.stream_arn : null
}

output "kms_key_arn" {
  description = "The table's customer managed key (callers need it through DynamoDB: kms:ViaService)."
  value       = aws_kms_key.table.arn
}
