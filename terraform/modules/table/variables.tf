variable "name" {
  description = "Table name."
  type        = string
}

variable "stream" {
  description = "Whether the table has a NEW_AND_OLD_IMAGES stream (the payments table's outbox travels on it)."
  type        = bool
  default     = true
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
