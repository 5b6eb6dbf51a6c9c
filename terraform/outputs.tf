output "api_endpoint" {
  description = "Base URL of the HTTP API (null when serverless/ deploys the functions: `serverless info` prints it)."
  value       = var.manage_functions ? module.api[0].endpoint : null
}

output "routes" {
  description = "Route key => the function that serves it."
  value       = { for key, route in local.routes : key => "${var.function_name_prefix}${route.function}" }
}

output "function_names" {
  description = "Deployed function names (empty when serverless/ deploys them)."
  value       = var.manage_functions ? merge(module.functions[0].function_names, module.consumers.function_names, { for table, relay in module.outbox_relay : local.outbox_relays[table].function => relay.function_name }) : {}
}

output "table_name" {
  description = "The payments table (PAYMENTS_STORE=dynamodb:TABLE)."
  value       = module.table.name
}

output "table_arn" {
  description = "The payments table's ARN."
  value       = module.table.arn
}

output "table_stream_arn" {
  description = "The payments table's stream (feeds outbox-relay)."
  value       = module.table.stream_arn
}

output "bus_name" {
  description = "The EventBridge bus (PAYMENTS_EVENTS=eventbridge:BUS)."
  value       = module.events.bus_name
}

output "bus_arn" {
  description = "The bus's ARN."
  value       = module.events.bus_arn
}

output "queue_urls" {
  description = "Rule target queues (BUS-TARGET) by target: Delivery's (Notification's rule targets its topic)."
  value       = module.events.queue_urls
}

output "queue_arns" {
  description = "Rule target queue ARNs by target."
  value       = module.events.queue_arns
}

output "notification_topic_arn" {
  description = "Notification's fan-out topic (BUS-notification), the target of its rule."
  value       = module.events.topic_arns["notification"]
}

output "notification_channel_queue_urls" {
  description = "Notification's channel queues (BUS-notification-CHANNEL) by channel."
  value       = module.events.channel_queue_urls["notification"]
}

output "notification_channel_queue_arns" {
  description = "Notification's channel queue ARNs by channel."
  value       = module.events.channel_queue_arns["notification"]
}

output "relay_failure_queue_arn" {
  description = "Where outbox-relay's event source mapping records the batches it gave up on."
  value       = module.outbox_relay["payments"].failure_queue_arn
}

output "consumer_table_stream_arns" {
  description = "The enabled consumers' tables' streams by consumer (each feeds its own outbox-relay)."
  value       = { for consumer, table in local.consumer_tables : consumer => table.stream_arn }
}

output "consumer_relay_failure_queue_arns" {
  description = "Where each consumer table's outbox-relay mapping records the batches it gave up on, by consumer."
  value       = { for consumer in keys(local.consumer_tables) : consumer => module.outbox_relay[consumer].failure_queue_arn }
}

output "role_arns" {
  description = "Execution role by function."
  value       = module.iam.role_arns
}

output "kms_key_arn" {
  description = "The platform key (queues, topics, logs, function environments)."
  value       = module.kms.key_arn
}

output "secrets_kms_key_alias" {
  description = "The key to create the provider credentials' SecureString parameters with (aws ssm put-parameter --key-id ALIAS)."
  value       = aws_kms_alias.secrets.name
}

output "alarm_topic_arn" {
  description = "SNS topic the alarms notify."
  value       = aws_sns_topic.alarms.arn
}

# Everything serverless/ needs, as `serverless deploy --param="KEY=VALUE"` pairs (docs/deploy.md).
output "serverless_params" {
  description = "Parameters of serverless/payments and serverless/consumers."
  value = merge(
    {
      region               = var.region
      tableName            = module.table.name
      tableStreamArn       = module.table.stream_arn
      busName              = module.events.bus_name
      relayFailureQueueArn = module.outbox_relay["payments"].failure_queue_arn
      kmsKeyArn            = module.kms.key_arn
      ssmPrefix            = var.ssm_parameter_prefix
      functionPrefix       = var.function_name_prefix
      deliveryQueueArn     = module.events.queue_arns["delivery"]
      notificationChannels = join(",", var.notification_channels)
      notificationSender   = var.notification_sender
      # The countries Notification may text (NOTIFICATION_SMS_COUNTRIES), and the API's throttling, which
      # serverless/ sets on its stage as terraform does.
      notificationSmsCountries = join(",", var.notification_sms_countries)
      apiThrottlingBurstLimit  = var.api_throttling.burst_limit
      apiThrottlingRateLimit   = var.api_throttling.rate_limit
    },
    var.enable_delivery ? {
      deliveryTableName            = module.delivery_table[0].name
      deliveryTableStreamArn       = module.delivery_table[0].stream_arn
      deliveryRelayFailureQueueArn = module.outbox_relay["delivery"].failure_queue_arn
    } : {},
    var.enable_notification ? {
      notificationTableName            = module.notification_table[0].name
      notificationTableStreamArn       = module.notification_table[0].stream_arn
      notificationRelayFailureQueueArn = module.outbox_relay["notification"].failure_queue_arn
    } : {},
    # email => notificationEmailQueueArn
    { for channel, arn in module.events.channel_queue_arns["notification"] : "notification${title(channel)}QueueArn" => arn },
    # stripe-payment => stripePaymentRoleArn
    { for name, arn in module.iam.role_arns : "${lower(substr(name, 0, 1))}${substr(replace(title(replace(name, "-", " ")), " ", ""), 1, -1)}RoleArn" => arn },
  )
}
