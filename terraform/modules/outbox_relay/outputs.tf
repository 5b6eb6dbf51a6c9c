output "failure_queue_arn" {
  description = "Where the stream mapping records the batches the relay gave up on."
  value       = module.failure_queue.arn
}

output "function_name" {
  description = "The deployed function's name (null when deploy_function is false)."
  value       = var.deploy_function ? module.function[0].function_name : null
}
