variable "function_name" {
  description = "The relay's function and role name, without the prefix (outbox-relay, delivery-outbox-relay, ...)."
  type        = string
}

variable "table_name" {
  description = "The table it drains (OUTBOX_TABLE): the stream's table, where it removes what it published."
  type        = string
}

variable "stream_arn" {
  description = "The table's stream."
  type        = string
}

variable "bus_name" {
  description = "The EventBridge bus it publishes to (OUTBOX_EVENTS=eventbridge:BUS)."
  type        = string
}

variable "deploy_function" {
  description = "Whether Terraform deploys the function, its stream mapping and alarm (false: Serverless does; the failure queue is made either way)."
  type        = bool
  default     = true
}

variable "role_arn" {
  description = "The relay's execution role (modules/iam)."
  type        = string
}

variable "dist_dir" {
  description = "Folder holding the zips (scripts/package.sh writes dist/outbox-relay.zip)."
  type        = string
}

variable "name_prefix" {
  description = "Prefix of the function names."
  type        = string
  default     = ""
}

variable "memory_size" {
  description = "Memory of the relay (MB)."
  type        = number
  default     = 256
}

variable "timeout" {
  description = "Timeout of the relay (s)."
  type        = number
  default     = 60
}

variable "reserved_concurrency" {
  description = "Reserved concurrency (null: unreserved; one invocation per shard runs at a time anyway)."
  type        = number
  default     = null
}

variable "batch_size" {
  description = "Stream records per relay invocation (the relay sends at most 10 per PutEvents call)."
  type        = number
  default     = 100
}

variable "batching_window_seconds" {
  description = "How long Lambda gathers records before invoking the relay (0: at once, lowest latency)."
  type        = number
  default     = 0
}

variable "maximum_retry_attempts" {
  description = "Retries of a failing batch (after bisecting) before it goes to the failure queue."
  type        = number
  default     = 10
}

variable "iterator_age_alarm_ms" {
  description = "The IteratorAge alarm fires when the relay's oldest record is older than this, for 5 minutes."
  type        = number
  default     = 60000
}

variable "kms_key_arn" {
  description = "Customer managed key for the environment, the log group and the failure queue."
  type        = string
}

variable "log_retention_days" {
  description = "Days the log group keeps logs."
  type        = number
  default     = 365
}

variable "alarm_actions" {
  description = "ARNs notified by the alarms."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags."
  type        = map(string)
  default     = {}
}
