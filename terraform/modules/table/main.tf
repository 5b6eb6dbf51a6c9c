# A DynamoDB table keyed by `pk` (S) alone, as docs/aws.md lays out the payments table: payments,
# idempotency keys, provider references and outbox items are items of their own. On-demand capacity,
# point-in-time recovery, encryption with a customer managed key of its own, deletion protection, and
# a NEW_AND_OLD_IMAGES stream that carries the table's outbox to an outbox-relay (the payments table's,
# and Delivery's and Notification's tables, whose OUTBOX# items have the same shape). Optionally TTL
# on an attribute: the consumers' processed-event markers and sent-records expire (`expiresAt`).

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

resource "aws_kms_key" "table" {
  description             = "DynamoDB table ${var.name}"
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
  tags = var.tags
}

resource "aws_kms_alias" "table" {
  name          = "alias/dynamodb-${var.name}"
  target_key_id = aws_kms_key.table.key_id
}

resource "aws_dynamodb_table" "this" {
  name                        = var.name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  deletion_protection_enabled = var.deletion_protection
  stream_enabled              = var.stream
  stream_view_type            = var.stream ? "NEW_AND_OLD_IMAGES" : null

  attribute {
    name = "pk"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  # Items carrying this attribute (epoch seconds) are removed by DynamoDB once it has passed. The
  # removals reach the stream as REMOVEs, which the relay's filter (INSERTs of OUTBOX#) never passes on.
  dynamic "ttl" {
    for_each = var.ttl_attribute == "" ? [] : [var.ttl_attribute]
    content {
      attribute_name = ttl.value
      enabled        = true
    }
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.table.arn
  }

  tags = var.tags
}
