output "function_names" {
  description = "Deployed consumer function names, and their tables' outbox relays."
  value       = merge({ for name, function in module.function : name => function.function_name }, { for name, relay in module.relay : name => relay.function_name })
}
