# What each function's role may do, besides writing its own log group and X-Ray traces (modules/iam).
# Mirrors docs/aws.md, "IAM permissions per function". TransactWriteItems is authorised per item
# action, so the payment and webhook functions hold GetItem, PutItem, UpdateItem, ConditionCheckItem
# and no Query, Scan or DeleteItem.

locals {
  region    = data.aws_region.current.name
  account   = data.aws_caller_identity.current.account_id
  partition = data.aws_partition.current.partition

  # The table is encrypted with its own customer managed key: DynamoDB uses it on the caller's behalf.
  table_key_through_dynamodb = {
    sid       = "TableKeyThroughDynamoDB"
    actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
    resources = [module.table.kms_key_arn]
    conditions = [{
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["dynamodb.${local.region}.amazonaws.com"]
    }]
  }
  platform_key_decrypt = {
    sid        = "PlatformKeyDecrypt"
    actions    = ["kms:Decrypt"]
    resources  = [module.kms.key_arn]
    conditions = []
  }
  payments_table_items = {
    sid        = "PaymentsTableItems"
    actions    = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:ConditionCheckItem"]
    resources  = [module.table.arn]
    conditions = []
  }

  # The relay removes what it published with BatchWriteItem (DynamoDBPaymentStore.markPublished, 25
  # deletes a call), which IAM authorises as dynamodb:BatchWriteItem, not DeleteItem. BatchWriteItem
  # could put items too, so the condition holds it to items keyed OUTBOX#: the relay can touch nothing
  # else in the table. (Used for every relay: the payments table's and the consumers', consumers.tf.)
  remove_published_outbox_items = {
    sid       = "RemovePublishedOutboxItems"
    actions   = ["dynamodb:BatchWriteItem"]
    resources = []
    conditions = [{
      test     = "ForAllValues:StringLike"
      variable = "dynamodb:LeadingKeys"
      values   = ["OUTBOX#*"]
    }]
  }

  # Before publishing a stream record's event the relay reads whether its outbox item is still there:
  # one it already published and removed (a retry from a failed record's checkpoint hands it over again)
  # is skipped, not published twice. Held to OUTBOX# items like the removal.
  read_outbox_items = {
    sid       = "ReadOutboxItems"
    actions   = ["dynamodb:GetItem", "dynamodb:BatchGetItem"]
    resources = []
    conditions = [{
      test     = "ForAllValues:StringLike"
      variable = "dynamodb:LeadingKeys"
      values   = ["OUTBOX#*"]
    }]
  }

  # Each function's own secrets (functions.tf, local.secret_parameter_names), as parameter ARNs. The
  # function may GetParameter those and no other, and decrypt with the secrets key only what SSM decrypts
  # for those parameters: SSM passes the parameter's ARN to KMS as the encryption context PARAMETER_ARN
  # of every SecureString it encrypts or decrypts, and kms:ViaService holds the key to calls SSM makes.
  secret_parameter_arns = {
    for name, parameters in local.secret_parameter_names : name => [
      for parameter in values(parameters) : "arn:${local.partition}:ssm:${local.region}:${local.account}:parameter${parameter}"
    ]
  }
  read_own_secrets = {
    for name, arns in local.secret_parameter_arns : name => length(arns) == 0 ? [] : [
      {
        sid        = "ReadOwnSecrets"
        actions    = ["ssm:GetParameter"]
        resources  = arns
        conditions = []
      },
      {
        sid       = "DecryptOwnSecrets"
        actions   = ["kms:Decrypt"]
        resources = [aws_kms_key.secrets.arn]
        conditions = [
          { test = "StringEquals", variable = "kms:ViaService", values = ["ssm.${local.region}.amazonaws.com"] },
          { test = "StringEquals", variable = "kms:EncryptionContext:PARAMETER_ARN", values = arns },
        ]
      },
    ]
  }

  payment_and_webhook_permissions = [local.payments_table_items, local.table_key_through_dynamodb, local.platform_key_decrypt]

  relay_permissions = [
    {
      # What the event source mapping does with the function's role to read the stream.
      sid        = "ReadTheTableStream"
      actions    = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"]
      resources  = ["${module.table.arn}/stream/*"]
      conditions = []
    },
    merge(local.remove_published_outbox_items, { resources = [module.table.arn] }),
    merge(local.read_outbox_items, { resources = [module.table.arn] }),
    {
      sid        = "PublishToTheBus"
      actions    = ["events:PutEvents"]
      resources  = [module.events.bus_arn]
      conditions = []
    },
    {
      # The mapping's on-failure destination is sent to with the function's role.
      sid        = "RecordFailedBatches"
      actions    = ["sqs:SendMessage"]
      resources  = [module.outbox_relay["payments"].failure_queue_arn]
      conditions = []
    },
    {
      sid        = "EncryptFailedBatchRecords"
      actions    = ["kms:GenerateDataKey", "kms:Decrypt"]
      resources  = [module.kms.key_arn]
      conditions = []
    },
    local.table_key_through_dynamodb,
  ]

  permissions = merge(
    { for name, f in local.functions : name => concat(f.kind == "relay" ? local.relay_permissions : local.payment_and_webhook_permissions, local.read_own_secrets[name]) },
    local.consumer_permissions,
  )
}
