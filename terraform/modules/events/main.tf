# The event bus and the routing rules of events/rules.json (the one definition, read by the root module
# with jsondecode(file(...)) and passed in as var.rules, patterns verbatim), and what each rule delivers
# to, with the names and shape `payments aws init` creates (Sources/payments/AWSInit.swift, docs/aws.md):
#  - a target of var.fan_out (Notification) gets an SNS topic BUS-TARGET, which the rule targets, and one
#    SQS queue per channel BUS-TARGET-CHANNEL subscribed to it with raw message delivery and no filter
#    policy: every channel's queue holds its own copy of each event, so a failing channel is retried on
#    its own, and the function reads the channel from the queue's name (NotificationChannel(queue:));
#  - any other target gets one SQS queue BUS-TARGET, which the rule targets (Delivery).
# Every queue has a dead-letter queue NAME-dlq (after max_receive_count receives) with an alarm on it
# (modules/queue).

locals {
  targets       = toset([for rule in var.rules : rule.target])
  topic_targets = toset([for target in local.targets : target if contains(keys(var.fan_out), target)])
  queue_targets = toset([for target in local.targets : target if !contains(keys(var.fan_out), target)])
  # "notification-email" => { target = "notification", channel = "email" }: the queue BUS-notification-email.
  channel_queues = merge([
    for target in local.topic_targets : { for channel in var.fan_out[target] : "${target}-${channel}" => { target = target, channel = channel } }
  ]...)
  # By name; each pattern as JSON text (the patterns differ in shape, so they cannot share one type).
  rules = { for rule in var.rules : rule.name => { description = rule.description, target = rule.target, pattern = jsonencode(rule.pattern) } }
  # Rule name => its target.
  rule_targets = { for rule in var.rules : rule.name => rule.target }
}

resource "aws_cloudwatch_event_bus" "this" {
  name = var.bus_name
  tags = var.tags
}

resource "aws_cloudwatch_event_rule" "this" {
  for_each       = local.rules
  name           = each.key
  description    = each.value.description
  event_bus_name = aws_cloudwatch_event_bus.this.name
  event_pattern  = each.value.pattern
  tags           = var.tags
}

resource "aws_cloudwatch_event_target" "this" {
  for_each       = local.rules
  rule           = aws_cloudwatch_event_rule.this[each.key].name
  event_bus_name = aws_cloudwatch_event_bus.this.name
  target_id      = each.value.target
  # The whole event goes to the topic or the queue (no input transformer): the consumers read
  # EventBridge's envelope.
  arn = contains(local.topic_targets, each.value.target) ? aws_sns_topic.fan_out[each.value.target].arn : module.queue[each.value.target].arn
}

# --- Targets with one queue ------------------------------------------------------------------------

module "queue" {
  source   = "../queue"
  for_each = local.queue_targets

  name                       = "${var.bus_name}-${each.key}"
  kms_key_arn                = var.kms_key_arn
  max_receive_count          = var.max_receive_count
  visibility_timeout_seconds = var.visibility_timeout_seconds
  alarm_actions              = var.alarm_actions
  tags                       = var.tags

  # Only the rules that target the queue may send to it (and only over TLS, as every queue).
  policy_statements = [{
    Sid       = "EventBridgeRulesDeliver"
    Effect    = "Allow"
    Principal = { Service = "events.amazonaws.com" }
    Action    = "sqs:SendMessage"
    Condition = {
      ArnEquals = {
        "aws:SourceArn" = [for name, target in local.rule_targets : aws_cloudwatch_event_rule.this[name].arn if target == each.key]
      }
    }
  }]
}

# The queue policies (modules/queue) were resources of this module before they took the TLS refusal;
# these keep them in place. (Instance keys are literal: the targets of events/rules.json.)
moved {
  from = aws_sqs_queue_policy.this["delivery"]
  to   = module.queue["delivery"].aws_sqs_queue_policy.this
}

moved {
  from = aws_sqs_queue_policy.channel["notification-email"]
  to   = module.channel_queue["notification-email"].aws_sqs_queue_policy.this
}

moved {
  from = aws_sqs_queue_policy.channel["notification-sms"]
  to   = module.channel_queue["notification-sms"].aws_sqs_queue_policy.this
}

# --- Targets that fan out: a topic, and a queue per channel behind it --------------------------------

# Encrypted with the platform key, whose policy lets EventBridge publish to these topics (modules/kms,
# var.eventbridge_topic_names) and SNS deliver to the encrypted channel queues.
resource "aws_sns_topic" "fan_out" {
  for_each          = local.topic_targets
  name              = "${var.bus_name}-${each.key}"
  kms_master_key_id = var.kms_key_arn
  tags              = var.tags
}

# Only the rules that target the topic may publish to it. This replaces SNS's default topic policy: the
# account's own principals keep what their IAM policies grant them.
resource "aws_sns_topic_policy" "fan_out" {
  for_each = local.topic_targets
  arn      = aws_sns_topic.fan_out[each.key].arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "EventBridgeRulesPublish"
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sns:Publish"
      Resource  = aws_sns_topic.fan_out[each.key].arn
      Condition = {
        ArnEquals = {
          "aws:SourceArn" = [for name, target in local.rule_targets : aws_cloudwatch_event_rule.this[name].arn if target == each.key]
        }
      }
    }]
  })
}

module "channel_queue" {
  source   = "../queue"
  for_each = local.channel_queues

  # BUS-notification-email: the function takes the channel from the name's last part.
  name                       = "${var.bus_name}-${each.key}"
  kms_key_arn                = var.kms_key_arn
  max_receive_count          = var.max_receive_count
  visibility_timeout_seconds = var.visibility_timeout_seconds
  alarm_actions              = var.alarm_actions
  tags                       = var.tags

  # Only the topic may send to its channel queues (and only over TLS, as every queue).
  policy_statements = [{
    Sid       = "FanOutTopicDelivers"
    Effect    = "Allow"
    Principal = { Service = "sns.amazonaws.com" }
    Action    = "sqs:SendMessage"
    Condition = { ArnEquals = { "aws:SourceArn" = aws_sns_topic.fan_out[each.value.target].arn } }
  }]
}

# Raw message delivery: the queue gets EventBridge's envelope itself, as Delivery's queue does (the
# function reads SNS's wrapping too). No filter policy: EventBridge sets no message attributes, and every
# channel wants every event the rule routes (the event's contact decides whether a channel sends).
resource "aws_sns_topic_subscription" "channel" {
  for_each             = local.channel_queues
  topic_arn            = aws_sns_topic.fan_out[each.value.target].arn
  protocol             = "sqs"
  endpoint             = module.channel_queue[each.key].arn
  raw_message_delivery = true

  # SNS delivers only once the queue policy lets it.
  depends_on = [module.channel_queue]
}
