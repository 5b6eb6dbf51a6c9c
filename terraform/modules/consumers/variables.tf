variable "kms_key_arn" {
  description = "Customer managed key (the functions' environment and logs)."
  type        = string
}

variable "manage_functions" {
  description = "Whether Terraform deploys the consumer functions (false: Serverless does, serverless/consumers)."
  type        = bool
  default     = true
}

variable "enable_delivery" {
  description = "Deploy the delivery function (needs dist/delivery.zip)."
  type        = bool
  default     = false
}

variable "enable_notification" {
  description = "Deploy the notification function (needs dist/notification.zip)."
  type        = bool
  default     = false
}

variable "dist_dir" {
  description = "Folder holding the zips."
  type        = string
}

variable "name_prefix" {
  description = "Prefix of the function names."
  type        = string
  default     = ""
}

variable "role_arns" {
  description = "Function name => execution role."
  type        = map(string)
  default     = {}
}

variable "environments" {
  description = "Function name => environment variables."
  type        = map(map(string))
  default     = {}
}

variable "delivery_queue_arn" {
  description = "The queue the payments-to-delivery rule fills."
  type        = string
}

variable "notification_queue_arns" {
  description = "Notification's channel queues behind its topic, channel => ARN (modules/events): one mapping each."
  type        = map(string)
  default     = {}
}

variable "memory_size" {
  description = "Memory of each consumer (MB)."
  type        = number
  default     = 256
}

variable "timeout" {
  description = "Timeout of each consumer (s); the queues' visibility timeout must be at least six times this."
  type        = number
  default     = 30
}

variable "reserved_concurrency" {
  description = "Reserved concurrency of each consumer (null: unreserved)."
  type        = number
  default     = null
}

variable "batch_size" {
  description = "Messages per invocation."
  type        = number
  default     = 10
}

variable "batching_window_seconds" {
  description = "How long Lambda gathers messages before invoking."
  type        = number
  default     = 0
}

variable "maximum_concurrency" {
  description = "Most concurrent invocations per queue mapping (protects the carrier, SES, SMS; at least 2)."
  type        = number
  default     = 5
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

variable "tags" {
  description = "Tags."
  type        = map(string)
  default     = {}
}
