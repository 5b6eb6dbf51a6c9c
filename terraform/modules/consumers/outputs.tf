output "function_names" {
  description = "Deployed consumer function names."
  value       = { for name, function in module.function : name => function.function_name }
}
