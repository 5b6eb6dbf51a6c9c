variable "name" {
  description = "Queue name (the dead-letter queue is NAME-dlq)."
  type        = string
}

variable "kms_key_arn" {
  description = "Customer managed key that encrypts the messages."
  type        = string
}

variable "dead_letter_queue" {
  description = "Whether the queue has a dead-letter queue NAME-dlq."
  type        = bool
  default     = true
}

variable "max_receive_count" {
  description = "Receives before a message moves to the dead-letter queue."
  type        = number
  default     = 5
}

variable "visibility_timeout_seconds" {
  description = "Visibility timeout; for a Lambda consumer at least six times the function's timeout, as AWS advises."
  type        = number
  default     = 180
}

variable "message_retention_seconds" {
  description = "How long a message is kept (default 4 days; 14 days is the maximum)."
  type        = number
  default     = 345600
}

variable "alarm_actions" {
  description = "ARNs notified when the alarm changes state (an SNS topic)."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags for the queues and the alarm."
  type        = map(string)
  default     = {}
}

variable "policy_statements" {
  description = "Statements of the queue's policy besides the refusal of requests without TLS, without Resource (the queue's ARN is set): who may send to it (a rule, a topic)."
  type        = any
  default     = []
}
