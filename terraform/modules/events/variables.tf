variable "bus_name" {
  description = "Name of the EventBridge bus."
  type        = string
}

variable "rules" {
  description = "The routing rules, as events/rules.json holds them (its \"rules\" list): name, description, target, pattern (an EventBridge event pattern, verbatim)."
  # any: the patterns differ in shape, which a list(object(...)) cannot hold.
  type = any
}

variable "fan_out" {
  description = "Targets that fan out through an SNS topic BUS-TARGET to one SQS queue per channel BUS-TARGET-CHANNEL, instead of one queue BUS-TARGET: target => channels (notification => [email, sms])."
  type        = map(list(string))
  default     = {}
}

variable "kms_key_arn" {
  description = "Customer managed key for the queues and topics (its policy lets EventBridge and SNS use it)."
  type        = string
}

variable "max_receive_count" {
  description = "Receives before a message moves to the target's dead-letter queue."
  type        = number
  default     = 5
}

variable "visibility_timeout_seconds" {
  description = "Visibility timeout of the target and channel queues (at least six times the consumer's timeout)."
  type        = number
  default     = 180
}

variable "alarm_actions" {
  description = "ARNs notified by the dead-letter queue alarms."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags."
  type        = map(string)
  default     = {}
}
