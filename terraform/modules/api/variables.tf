variable "name" {
  description = "Name of the HTTP API."
  type        = string
}

variable "routes" {
  description = "Route key (\"POST /payments/stripe\") => the function (executable name) that serves it and the route's authorization type (NONE or AWS_IAM)."
  type = map(object({
    function           = string
    authorization_type = string
  }))
}

variable "function_names" {
  description = "Executable name => deployed function name."
  type        = map(string)
}

variable "invoke_arns" {
  description = "Executable name => invoke ARN."
  type        = map(string)
}

variable "integration_timeout_ms" {
  description = "How long API Gateway waits for a function (30000 at most for HTTP APIs)."
  type        = number
  default     = 29000
}

variable "throttling_burst_limit" {
  description = "Requests in a burst across the API's routes."
  type        = number
  default     = 200
}

variable "throttling_rate_limit" {
  description = "Steady requests per second across the API's routes."
  type        = number
  default     = 100
}

variable "kms_key_arn" {
  description = "Customer managed key for the access log group."
  type        = string
}

variable "log_retention_days" {
  description = "Days the access logs are kept."
  type        = number
  default     = 365
}

variable "tags" {
  description = "Tags."
  type        = map(string)
  default     = {}
}
