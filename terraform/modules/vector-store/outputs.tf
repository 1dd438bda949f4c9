output "endpoint" {
  description = "Internal vector store connection endpoint: http://<ip>:6333 for Qdrant, <host>:5432 for pgvector."
  value       = local.is_qdrant ? "http://${aws_instance.qdrant[0].private_ip}:${local.qdrant_http_port}" : aws_db_instance.pgvector[0].endpoint
  sensitive   = true
}

output "security_group_id" {
  description = "Security group of the vector store."
  value       = aws_security_group.store.id
}

output "database_secret_arn" {
  description = "Secrets Manager secret with the RDS-managed master credentials (empty with Qdrant)."
  value       = local.is_qdrant ? "" : aws_db_instance.pgvector[0].master_user_secret[0].secret_arn
}

output "qdrant_instance_id" {
  description = "Instance id of the Qdrant node, for its status-check alarm (empty with pgvector)."
  value       = local.is_qdrant ? aws_instance.qdrant[0].id : ""
}
