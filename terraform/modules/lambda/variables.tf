variable "name" {
  description = "Function name."
  type        = string
}

variable "description" {
  description = "What the function does."
  type        = string
  default     = ""
}

variable "zip_path" {
  description = "Path of the function's zip (dist/NAME.zip)."
  type        = string
}

variable "role_arn" {
  description = "The function's execution role."
  type        = string
}

variable "environment" {
  description = "Environment variables. Never a secret: a secret's variable holds its SSM parameter's name (ssm:/payments/NAME), which the function reads at run time (root README, \"Secrets\"); so the plan shows them."
  type        = map(string)
}

variable "architecture" {
  description = "x86_64 (what scripts/package.sh builds) or arm64."
  type        = string
  default     = "x86_64"
}

variable "memory_size" {
  description = "Memory in MB (CPU grows with it)."
  type        = number
  default     = 256
}

variable "timeout" {
  description = "Timeout in seconds."
  type        = number
  default     = 30
}

variable "reserved_concurrency" {
  description = "Reserved concurrency: the most instances at once, to protect what the function calls; null leaves it unreserved."
  type        = number
  default     = null
}

variable "kms_key_arn" {
  description = "Customer managed key for the environment variables and the log group."
  type        = string
}

variable "log_retention_days" {
  description = "Days the log group keeps logs."
  type        = number
  default     = 365
}

variable "errors_threshold" {
  description = "The error alarm fires when more errors than this happen in 5 minutes."
  type        = number
  default     = 0
}

variable "alarm_actions" {
  description = "ARNs notified by the alarm."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags."
  type        = map(string)
  default     = {}
}
