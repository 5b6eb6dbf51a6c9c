# The functions this repository builds, as the function registry lists them (`payments functions`,
# Sources/payments/FunctionRegistry.swift), with their routes and settings. scripts/deploy_consistency.py
# checks this file against the registry, DESIGN.md's environment names and serverless/.

locals {
  # Executable name => what it is and which settings it reads. `secrets` come from SSM Parameter Store
  # (SSM_PREFIX/NAME); `settings` from var.provider_settings when set there. `routes` are the registry's.
  catalogue = {
    "stripe-payment" = {
      provider    = "stripe", kind = "payment"
      description = "Stripe: POST /payments/stripe creates a PaymentIntent; GET /payments/{id}"
      routes      = ["POST /payments/stripe", "GET /payments/{id}"]
      secrets     = ["STRIPE_SECRET_KEY"]
      settings    = ["STRIPE_API_BASE"]
    }
    "stripe-webhook" = {
      provider    = "stripe", kind = "webhook"
      description = "Stripe: POST /webhooks/stripe verifies Stripe-Signature and moves the payment"
      routes      = ["POST /webhooks/stripe"]
      secrets     = ["STRIPE_WEBHOOK_SECRET"]
      settings    = []
    }
    "paypal-payment" = {
      provider    = "paypal", kind = "payment"
      description = "PayPal: POST /payments/paypal creates an Orders v2 order; GET /payments/{id}"
      routes      = ["POST /payments/paypal", "GET /payments/{id}"]
      secrets     = ["PAYPAL_CLIENT_ID", "PAYPAL_CLIENT_SECRET"]
      settings    = ["PAYPAL_API_BASE"]
    }
    "paypal-webhook" = {
      provider    = "paypal", kind = "webhook"
      description = "PayPal: POST /webhooks/paypal verifies the transmission signature and moves the payment"
      routes      = ["POST /webhooks/paypal"]
      secrets     = ["PAYPAL_CLIENT_ID", "PAYPAL_CLIENT_SECRET", "PAYPAL_WEBHOOK_ID"]
      settings    = ["PAYPAL_API_BASE", "PAYPAL_WEBHOOK_VERIFICATION", "PAYPAL_TRUSTED_ROOTS"]
    }
    "braintree-payment" = {
      provider    = "braintree", kind = "payment"
      description = "Braintree: POST /payments/braintree makes a sale transaction; GET /payments/{id}"
      routes      = ["POST /payments/braintree", "GET /payments/{id}"]
      secrets     = ["BRAINTREE_MERCHANT_ID", "BRAINTREE_PUBLIC_KEY", "BRAINTREE_PRIVATE_KEY"]
      settings    = ["BRAINTREE_API_BASE"]
    }
    "braintree-webhook" = {
      provider    = "braintree", kind = "webhook"
      description = "Braintree: POST /webhooks/braintree verifies bt_signature and moves the payment"
      routes      = ["POST /webhooks/braintree"]
      secrets     = ["BRAINTREE_PUBLIC_KEY", "BRAINTREE_PRIVATE_KEY"]
      settings    = []
    }
    "outbox-relay" = {
      provider    = null, kind = "relay"
      description = "Publishes the payments table's outbox items (its stream) to EventBridge"
      routes      = [] # the payments table's stream (outbox_relays.tf, modules/outbox_relay)
      secrets     = []
      settings    = []
    }
  }

  # The functions deployed: the enabled providers' two each, and the relay.
  functions = { for name, f in local.catalogue : name => f if f.provider == null || contains(var.providers_enabled, coalesce(f.provider, "-")) }

  function_sizing = { for name, f in local.functions : name => merge(var.function_sizing[f.kind], { description = f.description }) }

  # The HTTP API's routes (payload format 2.0), from the catalogue. GET /payments/{id} is served by
  # every payment function; the first enabled provider's takes the route.
  lookup_function = "${var.providers_enabled[0]}-payment"
  route_functions = {
    for pair in flatten([for name, f in local.functions : [for route in f.routes : { route = route, function = name }]]) :
    pair.route => pair.function...
  }
  routes = {
    for route, functions in local.route_functions : route => {
      function           = contains(functions, local.lookup_function) ? local.lookup_function : functions[0]
      authorization_type = startswith(route, "POST /webhooks/") ? "NONE" : var.payment_routes_authorization
    }
  }

  # In AWS every payment and webhook function stores in the table and writes its events to the
  # outbox there, which the stream carries to outbox-relay; only the relay publishes to the bus. The
  # relay is configured by the table it drains instead (modules/outbox_relay: OUTBOX_TABLE, OUTBOX_EVENTS).
  common_environment = {
    PAYMENTS_STORE  = "dynamodb:${var.table_name}"
    PAYMENTS_EVENTS = "eventbridge:${var.bus_name}"
  }

  # Secrets travel as SSM parameter names, never as values: `ssm:/payments/STRIPE_SECRET_KEY`. The
  # function reads the SecureString at init with GetParameter (WithDecryption) and again once
  # SECRETS_MAX_AGE has passed, so no value is in Terraform's state, the plan, the function's
  # configuration or Serverless's template, and a rotated secret needs no deploy. Each role may read
  # only its own parameters (permissions.tf, local.secret_parameter_arns).
  secret_parameter_names = {
    for name, f in local.catalogue : name => { for secret in f.secrets : secret => "${var.ssm_parameter_prefix}/${secret}" }
  }

  environments = {
    for name, f in local.functions : name => merge(
      local.common_environment,
      { for setting in f.settings : setting => var.provider_settings[setting] if lookup(var.provider_settings, setting, "") != "" },
      { for secret, parameter in local.secret_parameter_names[name] : secret => "ssm:${parameter}" },
    ) if f.kind != "relay"
  }
}
