variable "bus_name" {
  description = "Name of the EventBridge bus."
  type        = string
}

variable "rules" {
  description = "The routing rules, as events/rules.json holds them (its \"rules\" list): name, description, target, pattern (an EventBridge event pattern, verbatim)."
  # any: the patterns differ in shape, which a list(object(...)) cannot hold.
  type = any
}

variable "kms_key_arn" {
  description = "Customer managed key for the queues (its policy lets events.amazonaws.com use it)."
  type        = string
}

variable "max_receive_count" {
  description = "Receives before a message moves to the target's dead-letter queue."
  type        = number
  default     = 5
}

variable "visibility_timeout_seconds" {
  description = "Visibility timeout of the target queues (at least six times the consumer's timeout)."
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
