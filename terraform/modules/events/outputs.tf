output "bus_name" {
  description = "Name of the bus."
  value       = aws_cloudwatch_event_bus.this.name
}

output "bus_arn" {
  description = "ARN of the bus."
  value       = aws_cloudwatch_event_bus.this.arn
}

output "queue_arns" {
  description = "Target queue ARN by target name (delivery, notification)."
  value       = { for target, queue in module.queue : target => queue.arn }
}

output "queue_urls" {
  description = "Target queue URL by target name."
  value       = { for target, queue in module.queue : target => queue.url }
}

output "dlq_arns" {
  description = "Dead-letter queue ARN by target name."
  value       = { for target, queue in module.queue : target => queue.dlq_arn }
}

output "rule_arns" {
  description = "Rule ARN by rule name."
  value       = { for name, rule in aws_cloudwatch_event_rule.this : name => rule.arn }
}
