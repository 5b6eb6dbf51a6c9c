# The functions this repository builds, as the function registry lists them (`payments functions`,
# Sources/payments/FunctionRegistry.swift), with their routes and settings. scripts/deploy_consistency.py
# checks this file against the registry, DESIGN.md's environment names and serverless/.

locals {
  # Executable name => what it is and which settings it reads. `secrets` come from SSM Parameter Store
  # (SSM_PREFIX/NAME); `settings` from var.provider_settings when set there.
  catalogue = {
    "stripe-payment" = {
      provider    = "stripe", kind = "payment"
      description = "Stripe: POST /payments/stripe creates a PaymentIntent; GET /payments/{id}"
      secrets     = ["STRIPE_SECRET_KEY"]
      settings    = ["STRIPE_API_BASE"]
    }
    "stripe-webhook" = {
      provider    = "stripe", kind = "webhook"
      description = "Stripe: POST /webhooks/stripe verifies Stripe-Signature and moves the payment"
      secrets     = ["STRIPE_WEBHOOK_SECRET"]
      settings    = []
    }
    "paypal-payment" = {
      provider    = "paypal", kind = "payment"
      description = "PayPal: POST /payments/paypal creates an Orders v2 order; GET /payments/{id}"
      secrets     = ["PAYPAL_CLIENT_ID", "PAYPAL_CLIENT_SECRET"]
      settings    = ["PAYPAL_API_BASE"]
    }
    "paypal-webhook" = {
      provider    = "paypal", kind = "webhook"
      description = "PayPal: POST /webhooks/paypal verifies the transmission signature and moves the payment"
      secrets     = ["PAYPAL_CLIENT_ID", "PAYPAL_CLIENT_SECRET", "PAYPAL_WEBHOOK_ID"]
      settings    = ["PAYPAL_API_BASE", "PAYPAL_WEBHOOK_VERIFICATION", "PAYPAL_TRUSTED_ROOTS"]
    }
    "braintree-payment" = {
      provider    = "braintree", kind = "payment"
      description = "Braintree: POST /payments/braintree makes a sale transaction; GET /payments/{id}"
      secrets     = ["BRAINTREE_MERCHANT_ID", "BRAINTREE_PUBLIC_KEY", "BRAINTREE_PRIVATE_KEY"]
      settings    = ["BRAINTREE_API_BASE"]
    }
    "braintree-webhook" = {
      provider    = "braintree", kind = "webhook"
      description = "Braintree: POST /webhooks/braintree verifies bt_signature and moves the payment"
      secrets     = ["BRAINTREE_PUBLIC_KEY", "BRAINTREE_PRIVATE_KEY"]
      settings    = []
    }
    "outbox-relay" = {
      provider    = null, kind = "relay"
      description = "Publishes the payments table's outbox items (its stream) to EventBridge"
      secrets     = []
      settings    = []
    }
  }

  # The functions deployed: the enabled providers' two each, and the relay.
  functions = { for name, f in local.catalogue : name => f if f.provider == null || contains(var.providers_enabled, coalesce(f.provider, "-")) }

  function_sizing = { for name, f in local.functions : name => merge(var.function_sizing[f.kind], { description = f.description }) }

  # The HTTP API's routes (payload format 2.0). GET /payments/{id} is served by every payment function;
  # one of them takes the route.
  lookup_function = "${var.providers_enabled[0]}-payment"
  routes = merge(
    { for p in var.providers_enabled : "POST /payments/${p}" => { function = "${p}-payment", authorization_type = var.payment_routes_authorization } },
    { for p in var.providers_enabled : "POST /webhooks/${p}" => { function = "${p}-webhook", authorization_type = "NONE" } },
    { "GET /payments/{id}" = { function = local.lookup_function, authorization_type = var.payment_routes_authorization } },
  )

  # In AWS every function stores in the table; only outbox-relay publishes to the bus (the others
  # write the outbox, which the stream carries to the relay).
  common_environment = {
    PAYMENTS_STORE  = "dynamodb:${var.table_name}"
    PAYMENTS_EVENTS = "eventbridge:${var.bus_name}"
  }

  secret_names = var.manage_functions ? toset(flatten([for f in local.functions : f.secrets])) : toset([])

  environments = {
    for name, f in local.functions : name => merge(
      local.common_environment,
      { for setting in f.settings : setting => var.provider_settings[setting] if lookup(var.provider_settings, setting, "") != "" },
      { for secret in f.secrets : secret => data.aws_ssm_parameter.secret[secret].value },
    )
  }
}

# Secrets: resolved at deploy time into the functions' environment (encrypted with the platform key).
# The functions read their settings from the environment only, so this is the way that works with the
# binaries as they are; the cost is that the values sit in Terraform's state (marked sensitive): keep
# state in an encrypted, access-restricted backend. README.md ("Secrets") compares the alternatives.
# Read only when Terraform deploys the functions: with manage_functions = false, no secret touches
# Terraform at all.
data "aws_ssm_parameter" "secret" {
  for_each        = local.secret_names
  name            = "${var.ssm_parameter_prefix}/${each.key}"
  with_decryption = true
}
