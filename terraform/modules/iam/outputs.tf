output "role_arns" {
  description = "Role ARN by function name."
  value       = { for name, role in aws_iam_role.function : name => role.arn }
}

output "role_names" {
  description = "Role name by function name."
  value       = { for name, role in aws_iam_role.function : name => role.name }
}
