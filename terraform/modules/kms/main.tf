# One customer managed key for the messaging and runtime data of the system: SQS queues, SNS topics,
# CloudWatch log groups and the functions' environment variables. Its policy lets the AWS services that
# write into those resources on our behalf use it (EventBridge into Delivery's queue and Notification's
# topic, SNS into the channel queues, CloudWatch alarms into the alarm topic, CloudWatch Logs into the
# log groups); everyone else goes through IAM policies in this account.

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  account = data.aws_caller_identity.current.account_id
  region  = data.aws_region.current.name

  # EventBridge publishing to an encrypted topic. The SNS developer guide (key management) says
  # aws:SourceAccount and aws:SourceArn in a key policy are not supported for EventBridge-to-encrypted
  # topics, so ServicesDeliverEncryptedMessages below (which carries aws:SourceAccount) does not cover
  # it and publishing would fail. SNS asks KMS for the data key with the encryption context aws:sns:topicArn, which holds
  # the statement to the named topics; the topic policy holds publishing to the rules' ARNs.
  eventbridge_to_topics = length(var.eventbridge_topic_names) == 0 ? [] : [{
    Sid       = "EventBridgePublishesToEncryptedTopics"
    Effect    = "Allow"
    Principal = { Service = "events.amazonaws.com" }
    Action    = ["kms:GenerateDataKey*", "kms:Decrypt"]
    Resource  = "*"
    Condition = {
      StringEquals = {
        "kms:EncryptionContext:aws:sns:topicArn" = [for name in var.eventbridge_topic_names : "arn:${data.aws_partition.current.partition}:sns:${local.region}:${local.account}:${name}"]
      }
    }
  }]
}

resource "aws_kms_key" "this" {
  description             = var.description
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat([
      {
        Sid       = "AccountAdministersThroughIAM"
        Effect    = "Allow"
        Principal = { AWS = "arn:${data.aws_partition.current.partition}:iam::${local.account}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        # EventBridge into Delivery's queue, SNS into the channel queues, CloudWatch alarms into the alarm
        # topic; aws:SourceAccount holds the key to calls these services make for this account.
        Sid       = "ServicesDeliverEncryptedMessages"
        Effect    = "Allow"
        Principal = { Service = ["events.amazonaws.com", "sns.amazonaws.com", "cloudwatch.amazonaws.com"] }
        Action    = ["kms:GenerateDataKey*", "kms:Decrypt"]
        Resource  = "*"
        Condition = { StringEquals = { "aws:SourceAccount" = local.account } }
      },
      {
        Sid       = "LogsEncryptLogGroups"
        Effect    = "Allow"
        Principal = { Service = "logs.${local.region}.amazonaws.com" }
        Action    = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
        Resource  = "*"
        Condition = {
          ArnLike = { "kms:EncryptionContext:aws:logs:arn" = "arn:${data.aws_partition.current.partition}:logs:${local.region}:${local.account}:log-group:*" }
        }
      },
    ], local.eventbridge_to_topics)
  })
  tags = var.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.alias}"
  target_key_id = aws_kms_key.this.key_id
}
