output "function_names" {
  description = "Deployed function name by executable name."
  value       = { for name, function in module.function : name => function.function_name }
}

output "function_arns" {
  description = "Function ARN by executable name."
  value       = { for name, function in module.function : name => function.arn }
}

output "invoke_arns" {
  description = "Invoke ARN (for API Gateway) by executable name."
  value       = { for name, function in module.function : name => function.invoke_arn }
}
