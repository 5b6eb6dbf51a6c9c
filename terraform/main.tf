# The payments system on AWS. Read in this order:
#   main.tf         the core: keys, the payments table, the bus with the rules of events/rules.json and
#                   what they deliver to (Delivery's queue; Notification's topic and channel queues), the
#                   alarm topic, and the modules below
#   functions.tf    the functions of the registry (`payments functions`): routes, settings, secrets
#   outbox_relays.tf  the outbox-relay of each table with an outbox (payments, the enabled consumers')
#   permissions.tf  what each function's role may do (docs/aws.md, "IAM permissions per function")
#   consumers.tf    Delivery and Notification when enabled: their tables, relays, roles, functions
#   bus_policy.tf   the bus policy: only each source's relay puts its events (locals; main.tf applies it)
#   outputs.tf      names and ARNs, and the parameters serverless/ needs
# modules/: kms, table, queue, events, iam, lambda, functions, outbox_relay, consumers, api (each with a
# header comment).

locals {
  tags     = merge(var.tags, { service = "payments" })
  dist_dir = var.dist_dir != "" ? var.dist_dir : abspath("${path.module}/../dist")

  # The one definition of the routing rules, shared with `payments aws init` and the local bus.
  rules = jsondecode(file("${path.module}/../events/rules.json")).rules

  # The rule targets that fan out through an SNS topic to one queue per channel, as `payments aws init`
  # builds them (AWSSetup.fanOut): Notification, whose function takes a record's channel from its
  # queue's name (BUS-notification-email).
  fan_out = { notification = var.notification_channels }

  alarm_actions = [aws_sns_topic.alarms.arn]
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

# Queues, topics, log groups and the functions' environment are encrypted with this key.
module "kms" {
  source      = "./modules/kms"
  alias       = "${var.table_name}-platform"
  description = "Payments: queues, topics, log groups, function environments"
  # The fan-out topics EventBridge publishes to (modules/events names them BUS-TARGET).
  eventbridge_topic_names = [for target in keys(local.fan_out) : "${var.bus_name}-${target}"]
  tags                    = local.tags
}

# The payments table: payments, idempotency keys, provider references, outbox items, webhook
# transmissions recorded against replays (which expire by TTL); its stream feeds outbox-relay
# (outbox_relays.tf).
module "table" {
  source              = "./modules/table"
  name                = var.table_name
  stream              = true
  ttl_attribute       = "expiresAt"
  deletion_protection = var.table_deletion_protection
  tags                = local.tags
}

# The bus and the rules: an SQS queue BUS-TARGET (+ BUS-TARGET-dlq) per rule target, except the fan-out
# targets: an SNS topic BUS-TARGET with a queue BUS-TARGET-CHANNEL (+ -dlq) per channel behind it.
module "events" {
  source                     = "./modules/events"
  bus_name                   = var.bus_name
  rules                      = local.rules
  fan_out                    = local.fan_out
  kms_key_arn                = module.kms.key_arn
  max_receive_count          = var.max_receive_count
  visibility_timeout_seconds = 6 * var.consumer_sizing.timeout
  alarm_actions              = local.alarm_actions
  tags                       = local.tags
}

resource "aws_sns_topic" "alarms" {
  name              = "${var.table_name}-alarms"
  kms_master_key_id = module.kms.key_arn
  tags              = local.tags
}

resource "aws_sns_topic_subscription" "alarm_email" {
  count     = var.alarm_email == "" ? 0 : 1
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

# One role per function, whoever deploys the functions.
module "iam" {
  source      = "./modules/iam"
  functions   = local.permissions
  name_prefix = var.function_name_prefix
  tags        = local.tags
}

module "functions" {
  source = "./modules/functions"
  count  = var.manage_functions ? 1 : 0

  # The relay is outbox_relays.tf's, like every table's.
  functions          = { for name, f in local.function_sizing : name => f if local.functions[name].kind != "relay" }
  environments       = local.environments
  role_arns          = module.iam.role_arns
  dist_dir           = local.dist_dir
  name_prefix        = var.function_name_prefix
  kms_key_arn        = module.kms.key_arn
  log_retention_days = var.log_retention_days
  alarm_actions      = local.alarm_actions
  tags               = local.tags
}

module "api" {
  source = "./modules/api"
  count  = var.manage_functions ? 1 : 0

  name                   = var.api_name
  routes                 = local.routes
  function_names         = module.functions[0].function_names
  invoke_arns            = module.functions[0].invoke_arns
  throttling_burst_limit = var.api_throttling.burst_limit
  throttling_rate_limit  = var.api_throttling.rate_limit
  kms_key_arn            = module.kms.key_arn
  log_retention_days     = var.log_retention_days
  tags                   = local.tags
}

# The provider credentials: SSM SecureString parameters SSM_PREFIX/NAME, created by the operator with
# this key (`aws ssm put-parameter --type SecureString --key-id alias/TABLE-secrets`, docs/deploy.md).
# Terraform never reads them: the functions get the parameters' names (functions.tf) and read the
# values at run time; each role may decrypt only its own parameters (permissions.tf).
resource "aws_kms_key" "secrets" {
  description             = "Payments: provider credentials in SSM Parameter Store (${var.ssm_parameter_prefix}/*)"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AccountAdministersThroughIAM"
      Effect    = "Allow"
      Principal = { AWS = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
  tags = local.tags
}

resource "aws_kms_alias" "secrets" {
  name          = "alias/${var.table_name}-secrets"
  target_key_id = aws_kms_key.secrets.key_id
}

# Only the relays may put this system's events on the bus (bus_policy.tf says why and how).
resource "aws_cloudwatch_event_bus_policy" "only_relays_publish" {
  event_bus_name = module.events.bus_name
  policy         = local.bus_policy
}

# SNS's SMS settings are the account's: a monthly spend limit (USD; SNS stops sending SMS for the rest
# of the month once reached, so SMS pumping costs at most this) and transactional delivery. Made only
# when Notification sends SMS. An account starts with a 1 USD limit; a higher one needs a quota
# increase (AWS Support) before apply, or SNS refuses it.
resource "aws_sns_sms_preferences" "account" {
  count               = var.enable_notification && contains(var.notification_channels, "sms") ? 1 : 0
  monthly_spend_limit = var.sms_monthly_spend_limit
  default_sms_type    = "Transactional"
}
