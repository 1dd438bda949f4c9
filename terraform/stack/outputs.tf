output "api_endpoint" {
  description = "Memory Spine API URL: https:// when TLS is on, http:// otherwise."
  value       = module.memory_spine.api_endpoint
}

output "vector_store_endpoint" {
  description = "Internal vector store connection endpoint."
  value       = module.vector_store.endpoint
  sensitive   = true
}

output "security_group_id" {
  description = "Security group attached to Memory Spine nodes."
  value       = module.memory_spine.node_security_group_id
}

output "certificate_validation_records" {
  description = "DNS records to create at your DNS provider when domain_name is set without hosted_zone_id."
  value       = module.memory_spine.certificate_validation_records
}

output "vault_policy_name" {
  description = "Vault policy the nodes' tokens carry."
  value       = module.secrets.policy_name
}

output "alerts_topic_arn" {
  description = "SNS topic the CloudWatch alarms notify."
  value       = module.monitoring.alerts_topic_arn
}
