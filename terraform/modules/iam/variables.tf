variable "functions" {
  description = "Function name => the statements of its role's policy (besides its own logs and X-Ray)."
  type = map(list(object({
    sid       = string
    actions   = list(string)
    resources = list(string)
    # Instead of resources: every resource but these (notification's SMS: a phone number has no ARN).
    not_resources = optional(list(string), [])
    conditions = optional(list(object({
      test     = string
      variable = string
      values   = list(string)
    })), [])
  })))
}

variable "name_prefix" {
  description = "Prefix of the function and role names."
  type        = string
  default     = ""
}

variable "tags" {
  description = "Tags."
  type        = map(string)
  default     = {}
}
