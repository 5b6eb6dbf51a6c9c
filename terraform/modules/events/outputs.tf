output "bus_name" {
  description = "Name of the bus."
  value       = aws_cloudwatch_event_bus.this.name
}

output "bus_arn" {
  description = "ARN of the bus."
  value       = aws_cloudwatch_event_bus.this.arn
}

output "queue_arns" {
  description = "Queue ARN by target, for the targets with one queue (delivery)."
  value       = { for target, queue in module.queue : target => queue.arn }
}

output "queue_urls" {
  description = "Queue URL by target, for the targets with one queue."
  value       = { for target, queue in module.queue : target => queue.url }
}

output "dlq_arns" {
  description = "Dead-letter queue ARN by target (one-queue targets) and by TARGET-CHANNEL (channel queues)."
  value = merge(
    { for target, queue in module.queue : target => queue.dlq_arn },
    { for key, queue in module.channel_queue : key => queue.dlq_arn },
  )
}

output "topic_arns" {
  description = "Fan-out topic ARN by target (notification)."
  value       = { for target, topic in aws_sns_topic.fan_out : target => topic.arn }
}

output "channel_queue_arns" {
  description = "Channel queue ARNs of each fan-out target: target => channel => ARN."
  value       = { for target in local.topic_targets : target => { for key, queue in local.channel_queues : queue.channel => module.channel_queue[key].arn if queue.target == target } }
}

output "channel_queue_urls" {
  description = "Channel queue URLs of each fan-out target: target => channel => URL."
  value       = { for target in local.topic_targets : target => { for key, queue in local.channel_queues : queue.channel => module.channel_queue[key].url if queue.target == target } }
}

output "rule_arns" {
  description = "Rule ARN by rule name."
  value       = { for name, rule in aws_cloudwatch_event_rule.this : name => rule.arn }
}
