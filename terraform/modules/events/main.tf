# The event bus and the routing rules of events/rules.json (the one definition, read by the root module
# with jsondecode(file(...)) and passed in as var.rules, patterns verbatim), each delivering to an SQS queue per target,
# named BUS-TARGET with a dead-letter queue BUS-TARGET-dlq after 5 receives: the same names and shape
# `payments aws init` creates (docs/aws.md).

locals {
  targets = toset([for rule in var.rules : rule.target])
  # By name; each pattern as JSON text (the patterns differ in shape, so they cannot share one type).
  rules = { for rule in var.rules : rule.name => { description = rule.description, target = rule.target, pattern = jsonencode(rule.pattern) } }
  # Rule name => its target.
  rule_targets = { for rule in var.rules : rule.name => rule.target }
}

resource "aws_cloudwatch_event_bus" "this" {
  name = var.bus_name
  tags = var.tags
}

module "queue" {
  source   = "../queue"
  for_each = local.targets

  name                       = "${var.bus_name}-${each.key}"
  kms_key_arn                = var.kms_key_arn
  max_receive_count          = var.max_receive_count
  visibility_timeout_seconds = var.visibility_timeout_seconds
  alarm_actions              = var.alarm_actions
  tags                       = var.tags
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
  arn            = module.queue[each.value.target].arn
}

# Only the rules that target a queue may send to it.
resource "aws_sqs_queue_policy" "this" {
  for_each  = local.targets
  queue_url = module.queue[each.key].url
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "EventBridgeRulesDeliver"
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = module.queue[each.key].arn
      Condition = {
        ArnEquals = {
          "aws:SourceArn" = [for name, target in local.rule_targets : aws_cloudwatch_event_rule.this[name].arn if target == each.key]
        }
      }
    }]
  })
}
