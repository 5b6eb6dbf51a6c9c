# The bus policy, as locals only (main.tf applies it), so that scripts/terraform_evaluate.py can have
# Terraform compute it without the AWS provider.
#
# Only the relays may put the events of this system on the bus: the payments table's outbox-relay the
# shop.payments events, each consumer table's relay that consumer's events. A consumer trusts an event
# by its source (Delivery ships on a PaymentSucceeded of shop.payments), so anyone else in the account
# with events:PutEvents on the bus could otherwise have an order shipped. Same-account callers are
# allowed by their IAM policies; an explicit Deny here overrides them for these sources. events:source
# holds every entry's source of a PutEvents call, hence ForAnyValue. The role ARNs are computed (not
# taken from the iam module) so a disabled consumer's source is refused to everyone.
locals {
  bus_event_sources = {
    "shop.payments"      = "outbox-relay"
    "shop.delivery"      = "delivery-outbox-relay"
    "shop.notifications" = "notification-outbox-relay"
  }

  bus_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [for source, relay in local.bus_event_sources : {
      Sid       = "Only${replace(title(replace(relay, "-", " ")), " ", "")}Puts${replace(title(replace(source, ".", " ")), " ", "")}"
      Effect    = "Deny"
      Principal = "*"
      Action    = "events:PutEvents"
      Resource  = module.events.bus_arn
      Condition = {
        "ForAnyValue:StringEquals" = { "events:source" = [source] }
        ArnNotEquals               = { "aws:PrincipalArn" = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:role/${var.function_name_prefix}${relay}"] }
      }
    }]
  })
}
