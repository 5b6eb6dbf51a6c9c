# The payment and webhook functions from their zips (outbox-relay is modules/outbox_relay's, one per
# table). Left out entirely (manage_functions = false in the root module) when Serverless deploys the
# functions.

module "function" {
  source   = "../lambda"
  for_each = var.functions

  name                 = "${var.name_prefix}${each.key}"
  description          = each.value.description
  zip_path             = "${var.dist_dir}/${each.key}.zip"
  role_arn             = var.role_arns[each.key]
  environment          = var.environments[each.key]
  memory_size          = each.value.memory_size
  timeout              = each.value.timeout
  reserved_concurrency = each.value.reserved_concurrency
  kms_key_arn          = var.kms_key_arn
  log_retention_days   = var.log_retention_days
  alarm_actions        = var.alarm_actions
  tags                 = var.tags
}
