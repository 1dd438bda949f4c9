output "api_endpoint" {
  description = "Memory Spine API URL: https:// when TLS is on, http:// otherwise."
  value       = module.memory_spine.api_endpoint
}

output "vector_store_endpoint" {
  description = "Internal vector store connection endpoint."
  value       = module.vector_store.endpoint
  sensitive   = true
}

output "kv_endpoint" {
  description = "rediss:// endpoint of the key-value layer (primary, or configuration endpoint in cluster mode)."
  value       = module.kv_store.url
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

output "qdrant_instance_ids" {
  description = "The Qdrant instances' ids in node order (empty with pgvector), e.g. for off-hours schedules."
  value       = module.vector_store.qdrant_instance_ids
}

output "qdrant_instance_arns" {
  description = "The Qdrant instances' ARNs in node order (empty with pgvector)."
  value       = module.vector_store.qdrant_instance_arns
}

output "backup_vault_name" {
  description = "AWS Backup vault of the environment (staging, prod; empty in dev)."
  value       = var.environment == "dev" ? "" : module.backup[0].vault_name
}

output "qdrant_snapshot_bucket" {
  description = "S3 bucket holding the Qdrant nodes' daily snapshots (Qdrant only)."
  value       = module.vector_store.qdrant_snapshot_bucket
}
