variable "region" {
  description = "AWS region."
  type        = string
  default     = "us-east-1"
}

variable "table_name" {
  description = "The payments table (PAYMENTS_STORE=dynamodb:TABLE)."
  type        = string
  default     = "payments"
}

variable "bus_name" {
  description = "The EventBridge bus (PAYMENTS_EVENTS=eventbridge:BUS); queue and topic names start with it."
  type        = string
  default     = "shop"
}

variable "api_name" {
  description = "Name of the HTTP API."
  type        = string
  default     = "payments"
}

variable "function_name_prefix" {
  description = "Prefix of every function's (and role's) name, e.g. \"staging-\"; empty: the executables' names."
  type        = string
  default     = ""
}

variable "manage_functions" {
  description = "true: Terraform deploys the functions and the HTTP API too. false: Terraform deploys the core (table, bus, rules, queues, topic, roles, alarms) and serverless/ deploys the functions and the API."
  type        = bool
  default     = true
}

variable "providers_enabled" {
  description = "Payment providers to deploy: each brings its payment and webhook functions and their routes. GET /payments/{id} goes to the first one's payment function."
  type        = list(string)
  default     = ["stripe", "paypal", "braintree"]

  validation {
    condition     = length(var.providers_enabled) > 0 && alltrue([for p in var.providers_enabled : contains(["stripe", "paypal", "braintree"], p)])
    error_message = "providers_enabled lists one or more of stripe, paypal, braintree."
  }
}

variable "dist_dir" {
  description = "Folder of the zips scripts/package.sh writes; empty: ../dist beside this folder."
  type        = string
  default     = ""
}

variable "ssm_parameter_prefix" {
  description = "SSM Parameter Store path of the provider credentials: PREFIX/NAME, NAME being the environment variable (/payments/STRIPE_SECRET_KEY). Create them as SecureString with the secrets key (docs/deploy.md); the functions get `ssm:PREFIX/NAME` and read the value themselves."
  type        = string
  default     = "/payments"

  # The parameters' ARNs (arn:...:parameter/payments/NAME) are built from it: a leading slash, none at the end.
  validation {
    condition     = can(regex("^(/[A-Za-z0-9_.-]+)+$", var.ssm_parameter_prefix))
    error_message = "ssm_parameter_prefix is a path like /payments or /shop/prod: a leading slash, no slash at the end."
  }
}

variable "provider_settings" {
  description = "Non-secret provider settings by environment variable name; empty values stay unset (the function's default applies). Allowed: STRIPE_API_BASE, PAYPAL_API_BASE, PAYPAL_WEBHOOK_VERIFICATION, PAYPAL_TRUSTED_ROOTS, BRAINTREE_API_BASE."
  type        = map(string)
  default = {
    # Amazon Linux 2023 keeps its CA bundle here, not at Debian's /etc/ssl/certs/ca-certificates.crt
    # (the function's default): PayPal's downloaded signing certificate is checked against it.
    PAYPAL_TRUSTED_ROOTS = "/etc/pki/tls/certs/ca-bundle.crt"
  }

  validation {
    condition     = alltrue([for name in keys(var.provider_settings) : contains(["STRIPE_API_BASE", "PAYPAL_API_BASE", "PAYPAL_WEBHOOK_VERIFICATION", "PAYPAL_TRUSTED_ROOTS", "BRAINTREE_API_BASE"], name)])
    error_message = "provider_settings takes STRIPE_API_BASE, PAYPAL_API_BASE, PAYPAL_WEBHOOK_VERIFICATION, PAYPAL_TRUSTED_ROOTS, BRAINTREE_API_BASE; secrets come from SSM (ssm_parameter_prefix)."
  }
}

variable "payment_routes_authorization" {
  description = "Authorization of POST /payments/{provider} and GET /payments/{id}: AWS_IAM (the shop's backend signs its calls with SigV4), or NONE only with allow_unauthenticated_payment_routes = true (development). Webhook routes are always NONE: the functions verify the providers' signatures."
  type        = string
  default     = "AWS_IAM"

  validation {
    condition     = contains(["AWS_IAM", "NONE"], var.payment_routes_authorization)
    error_message = "payment_routes_authorization is AWS_IAM or NONE."
  }

  # NONE lets anyone on the internet create payments of any amount and read any payment by its id.
  validation {
    condition     = var.payment_routes_authorization != "NONE" || var.allow_unauthenticated_payment_routes
    error_message = "payment_routes_authorization = \"NONE\" opens the payment routes to anyone: it is refused unless allow_unauthenticated_payment_routes = true, a development setting."
  }
}

variable "allow_unauthenticated_payment_routes" {
  description = "Development only: allows payment_routes_authorization = \"NONE\" (no caller authentication on POST /payments/{provider} and GET /payments/{id}). Never in a stage that takes real payments."
  type        = bool
  default     = false
}

variable "function_sizing" {
  description = "Per kind of function: memory (MB), timeout (s), reserved concurrency (null: unreserved). Payment functions wait on the providers (and GET reads one item); webhooks verify and write; the relay publishes to EventBridge."
  type = map(object({
    memory_size          = number
    timeout              = number
    reserved_concurrency = optional(number)
  }))
  default = {
    # Reserved concurrency caps how hard a burst hits the providers' APIs and DynamoDB; an account
    # needs a concurrency quota above 100 + the sum of these (new accounts start lower: set null).
    payment = { memory_size = 256, timeout = 29, reserved_concurrency = 50 }
    webhook = { memory_size = 256, timeout = 29, reserved_concurrency = 50 }
    # One invocation per stream shard at a time; the cap protects EventBridge's PutEvents quota.
    relay = { memory_size = 256, timeout = 60, reserved_concurrency = 10 }
  }
}

variable "relay_maximum_retry_attempts" {
  description = "Retries of a stream batch the relay fails before its position goes to the failure queue."
  type        = number
  default     = 10
}

variable "relay_iterator_age_alarm_ms" {
  description = "IteratorAge (ms) above which the relay alarm fires."
  type        = number
  default     = 60000
}

variable "max_receive_count" {
  description = "Receives before a message moves to its dead-letter queue."
  type        = number
  default     = 5
}

variable "api_throttling" {
  description = "HTTP API throttling across routes: burst and steady requests per second."
  type = object({
    burst_limit = number
    rate_limit  = number
  })
  default = { burst_limit = 200, rate_limit = 100 }
}

variable "log_retention_days" {
  description = "Days every log group keeps logs."
  type        = number
  default     = 365
}

variable "table_deletion_protection" {
  description = "DynamoDB deletion protection on the tables (turn off, apply, then destroy)."
  type        = bool
  default     = true
}

variable "alarm_email" {
  description = "An address subscribed to the alarm topic (confirm the subscription mail); empty: none."
  type        = string
  default     = ""
}

# --- The consumers (Services/Delivery and Services/Notification), which come later -------------------

variable "enable_delivery" {
  description = "Deploy the delivery function from dist/delivery.zip, with its table and its queue mapping. Off until Services/Delivery exists."
  type        = bool
  default     = false
}

variable "enable_notification" {
  description = "Deploy the notification function from dist/notification.zip, with its table and a mapping on each channel queue. Off until Services/Notification exists."
  type        = bool
  default     = false
}

variable "notification_channels" {
  description = "Notification channels: one SQS queue BUS-notification-CHANNEL each behind Notification's SNS topic, and NOTIFICATION_CHANNELS."
  type        = list(string)
  default     = ["email", "sms"]

  # The function knows these (NotificationChannel); a queue named after another channel would give it
  # records it cannot place, which it sends on every enabled channel.
  validation {
    condition     = length(var.notification_channels) > 0 && alltrue([for channel in var.notification_channels : contains(["email", "sms"], channel)])
    error_message = "notification_channels lists one or more of email, sms."
  }
}

variable "notification_sms_countries" {
  description = "NOTIFICATION_SMS_COUNTRIES: the E.164 country calling codes Notification may text (\"1\", \"44\", \"49\"); a number elsewhere gets no SMS. Required when Notification sends SMS: SNS bills per message, and SMS pumping fraud texts numbers that pay the fraudster. \"1\" is the whole North American Numbering Plan, Caribbean countries included."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for code in var.notification_sms_countries : can(regex("^\\+?[1-9][0-9]{0,2}$", code))])
    error_message = "notification_sms_countries lists E.164 country calling codes of one to three digits, e.g. [\"1\", \"44\", \"49\"]."
  }

  validation {
    condition     = !(var.enable_notification && contains(var.notification_channels, "sms")) || length(var.notification_sms_countries) > 0
    error_message = "Notification sends SMS (enable_notification with sms among notification_channels): list the countries it may text in notification_sms_countries, or leave sms out of notification_channels."
  }
}

variable "sms_monthly_spend_limit" {
  description = "The account's monthly SMS spend limit in USD (SNS SMS preferences, set when Notification sends SMS): SNS stops sending SMS for the rest of the month once reached. A new account's quota is 1 USD; ask AWS Support before setting more."
  type        = number
  default     = 1

  validation {
    condition     = var.sms_monthly_spend_limit >= 0 && floor(var.sms_monthly_spend_limit) == var.sms_monthly_spend_limit
    error_message = "sms_monthly_spend_limit is a whole number of USD, 0 or more."
  }
}

variable "notification_sender" {
  description = "SES sender address of Notification's email channel (a verified identity); empty: no SES permission."
  type        = string
  default     = ""
}

variable "delivery_table_name" {
  description = "Delivery's own table."
  type        = string
  default     = "delivery"
}

variable "notification_table_name" {
  description = "Notification's own table."
  type        = string
  default     = "notifications"
}

variable "consumer_sizing" {
  description = "Memory (MB), timeout (s), reserved concurrency and the most concurrent invocations per queue of the consumers."
  type = object({
    memory_size          = number
    timeout              = number
    reserved_concurrency = optional(number)
    maximum_concurrency  = number
  })
  default = { memory_size = 256, timeout = 30, reserved_concurrency = null, maximum_concurrency = 5 }
}

variable "consumer_environment_overrides" {
  description = "Extra or renamed environment variables of delivery / notification ({ delivery = { NAME = VALUE } }), merged over the defaults of consumers.tf."
  type        = map(map(string))
  default     = {}
}

variable "tags" {
  description = "Tags on every resource (service = payments is always set)."
  type        = map(string)
  default     = {}
}
