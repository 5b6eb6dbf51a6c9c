output "topic_arn" {
  description = "Notification's SNS topic."
  value       = aws_sns_topic.notifications.arn
}

output "channel_queue_arns" {
  description = "Channel queue ARN by channel."
  value       = { for channel, queue in module.channel_queue : channel => queue.arn }
}

output "channel_queue_urls" {
  description = "Channel queue URL by channel."
  value       = { for channel, queue in module.channel_queue : channel => queue.url }
}

output "function_names" {
  description = "Deployed consumer function names, and their tables' outbox relays."
  value       = merge({ for name, function in module.function : name => function.function_name }, { for name, relay in module.relay : name => relay.function_name })
}
