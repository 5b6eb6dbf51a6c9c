variable "name" {
  description = "Table name."
  type        = string
}

variable "stream" {
  description = "Whether the table has a NEW_AND_OLD_IMAGES stream (its outbox travels on it to an outbox-relay)."
  type        = bool
  default     = true
}

variable "ttl_attribute" {
  description = "Attribute holding an item's expiry (epoch seconds) for DynamoDB's TTL; empty: no TTL."
  type        = string
  default     = ""
}

variable "deletion_protection" {
  description = "DynamoDB deletion protection: the table cannot be deleted until this is turned off."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags for the table and its key."
  type        = map(string)
  default     = {}
}
