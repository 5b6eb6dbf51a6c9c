# One IAM role per function, holding only what that function does (the table in docs/aws.md): the
# statements come from the root module's permissions.tf; every role also may write its own log group
# and X-Ray traces. The roles exist whether Terraform or Serverless deploys the functions, so both ways
# run with the same least privilege (Serverless names them with `role:`).

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  log_group_arn_prefix = "arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:log-group:/aws/lambda/"
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

data "aws_iam_policy_document" "function" {
  for_each = var.functions

  statement {
    sid       = "OwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${local.log_group_arn_prefix}${var.name_prefix}${each.key}:*"]
  }

  # X-Ray's write actions support no resource-level permissions.
  statement {
    sid       = "Traces"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }

  dynamic "statement" {
    for_each = each.value
    content {
      sid           = statement.value.sid
      actions       = statement.value.actions
      resources     = length(statement.value.not_resources) == 0 ? statement.value.resources : null
      not_resources = length(statement.value.not_resources) == 0 ? null : statement.value.not_resources
      dynamic "condition" {
        for_each = statement.value.conditions
        content {
          test     = condition.value.test
          variable = condition.value.variable
          values   = condition.value.values
        }
      }
    }
  }
}

resource "aws_iam_role" "function" {
  for_each           = var.functions
  name               = "${var.name_prefix}${each.key}"
  description        = "Runs the ${var.name_prefix}${each.key} function"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy" "function" {
  for_each = var.functions
  name     = "${var.name_prefix}${each.key}"
  role     = aws_iam_role.function[each.key].id
  policy   = data.aws_iam_policy_document.function[each.key].json
}
