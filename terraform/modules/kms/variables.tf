variable "alias" {
  description = "Alias of the key, without the alias/ prefix."
  type        = string
}

variable "description" {
  description = "What the key encrypts."
  type        = string
}

variable "tags" {
  description = "Tags for the key."
  type        = map(string)
  default     = {}
}

variable "eventbridge_topic_names" {
  description = "SNS topics (names, in this account and region) encrypted with the key that EventBridge rules publish to."
  type        = list(string)
  default     = []
}
