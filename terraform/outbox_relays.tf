# One outbox-relay per table that holds an outbox (modules/outbox_relay): the payments table's, and the
# enabled consumers' (consumers.tf). The relay removes what it published from the table OUTBOX_TABLE
# names, not from the table a stream record came from, so each table's stream has a relay of its own:
# the same zip (dist/outbox-relay.zip), a function, role and failure queue each. The consumers' outbox
# items have the payments table's shape (pk OUTBOX#<eventId>, type outbox, event: the JSON;
# DynamoDBTable.outboxItem), so the same filter, batch handling and removal apply.

locals {
  # Table => its relay (function and role name) and what the relay needs of the table.
  outbox_relays = merge(
    {
      payments = {
        function             = "outbox-relay"
        table_name           = module.table.name
        stream_arn           = module.table.stream_arn
        reserved_concurrency = var.function_sizing["relay"].reserved_concurrency
      }
    },
    {
      for consumer, table in local.consumer_tables : consumer => {
        function             = local.consumer_relay_names[consumer]
        table_name           = table.name
        stream_arn           = table.stream_arn
        reserved_concurrency = null # one invocation per shard of a small table at a time: nothing to cap
      }
    },
  )
}

module "outbox_relay" {
  source   = "./modules/outbox_relay"
  for_each = local.outbox_relays

  function_name          = each.value.function
  table_name             = each.value.table_name
  stream_arn             = each.value.stream_arn
  bus_name               = module.events.bus_name
  deploy_function        = var.manage_functions
  role_arn               = module.iam.role_arns[each.value.function]
  dist_dir               = local.dist_dir
  name_prefix            = var.function_name_prefix
  memory_size            = var.function_sizing["relay"].memory_size
  timeout                = var.function_sizing["relay"].timeout
  reserved_concurrency   = each.value.reserved_concurrency
  maximum_retry_attempts = var.relay_maximum_retry_attempts
  iterator_age_alarm_ms  = var.relay_iterator_age_alarm_ms
  kms_key_arn            = module.kms.key_arn
  log_retention_days     = var.log_retention_days
  alarm_actions          = local.alarm_actions
  tags                   = local.tags
}

# The relays were built by modules/functions (the payments table's) and modules/consumers (the consumer
# tables'), their failure queues in the root module; these keep the deployed functions, mappings,
# alarms and queues (with any failed batches they hold) at their new addresses. A plan with nothing at
# the old addresses ignores them.
moved {
  from = module.functions[0].module.function["outbox-relay"]
  to   = module.outbox_relay["payments"].module.function[0]
}

moved {
  from = module.functions[0].aws_lambda_event_source_mapping.relay
  to   = module.outbox_relay["payments"].aws_lambda_event_source_mapping.stream[0]
}

moved {
  from = module.functions[0].aws_cloudwatch_metric_alarm.relay_iterator_age
  to   = module.outbox_relay["payments"].aws_cloudwatch_metric_alarm.iterator_age[0]
}

moved {
  from = module.relay_failures
  to   = module.outbox_relay["payments"].module.failure_queue
}

moved {
  from = module.consumers.module.relay["delivery-outbox-relay"]
  to   = module.outbox_relay["delivery"].module.function[0]
}

moved {
  from = module.consumers.aws_lambda_event_source_mapping.relay["delivery-outbox-relay"]
  to   = module.outbox_relay["delivery"].aws_lambda_event_source_mapping.stream[0]
}

moved {
  from = module.consumers.aws_cloudwatch_metric_alarm.relay_iterator_age["delivery-outbox-relay"]
  to   = module.outbox_relay["delivery"].aws_cloudwatch_metric_alarm.iterator_age[0]
}

moved {
  from = module.consumer_relay_failures["delivery"]
  to   = module.outbox_relay["delivery"].module.failure_queue
}

moved {
  from = module.consumers.module.relay["notification-outbox-relay"]
  to   = module.outbox_relay["notification"].module.function[0]
}

moved {
  from = module.consumers.aws_lambda_event_source_mapping.relay["notification-outbox-relay"]
  to   = module.outbox_relay["notification"].aws_lambda_event_source_mapping.stream[0]
}

moved {
  from = module.consumers.aws_cloudwatch_metric_alarm.relay_iterator_age["notification-outbox-relay"]
  to   = module.outbox_relay["notification"].aws_cloudwatch_metric_alarm.iterator_age[0]
}

moved {
  from = module.consumer_relay_failures["notification"]
  to   = module.outbox_relay["notification"].module.failure_queue
}
