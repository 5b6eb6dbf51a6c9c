variable "functions" {
  description = "Function name (the executable's) => its sizing. The zip is DIST_DIR/NAME.zip."
  type = map(object({
    description          = string
    memory_size          = number
    timeout              = number
    reserved_concurrency = optional(number)
  }))
}

variable "environments" {
  description = "Function name => its environment variables (secrets as ssm: parameter names, never values)."
  type        = map(map(string))
}

variable "role_arns" {
  description = "Function name => its execution role (modules/iam)."
  type        = map(string)
}

variable "dist_dir" {
  description = "Folder holding the zips (scripts/package.sh writes dist/)."
  type        = string
}

variable "name_prefix" {
  description = "Prefix of the function names."
  type        = string
  default     = ""
}

variable "kms_key_arn" {
  description = "Customer managed key for environment variables and log groups."
  type        = string
}

variable "log_retention_days" {
  description = "Days the log groups keep logs."
  type        = number
  default     = 365
}

variable "alarm_actions" {
  description = "ARNs notified by the alarms."
  type        = list(string)
  default     = []
}

variable "relay_function" {
  description = "Name of the relay among var.functions."
  type        = string
  default     = "outbox-relay"
}

variable "stream_arn" {
  description = "The payments table's stream."
  type        = string
}

variable "relay_failure_queue_arn" {
  description = "SQS queue that receives the position of a batch the relay could not publish after its retries."
  type        = string
}

variable "relay_batch_size" {
  description = "Stream records per relay invocation (the relay sends at most 10 per PutEvents call)."
  type        = number
  default     = 100
}

variable "relay_batching_window_seconds" {
  description = "How long Lambda gathers records before invoking the relay (0: at once, lowest latency)."
  type        = number
  default     = 0
}

variable "relay_maximum_retry_attempts" {
  description = "Retries of a failing batch (after bisecting) before it goes to the failure queue."
  type        = number
  default     = 10
}

variable "relay_iterator_age_alarm_ms" {
  description = "The IteratorAge alarm fires when the relay's oldest record is older than this, for 5 minutes."
  type        = number
  default     = 60000
}

variable "tags" {
  description = "Tags."
  type        = map(string)
  default     = {}
}
