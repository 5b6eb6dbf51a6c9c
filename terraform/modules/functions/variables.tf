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

variable "tags" {
  description = "Tags."
  type        = map(string)
  default     = {}
}
