output "endpoint" {
  description = "Internal vector store connection endpoint: http://<load balancer or node>:6333 for Qdrant, <host>:5432 for pgvector."
  value       = local.is_qdrant ? "http://${local.qdrant_clustered ? aws_lb.qdrant[0].dns_name : aws_instance.qdrant[0].private_ip}:${local.qdrant_http_port}" : aws_db_instance.pgvector[0].endpoint
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

output "database_identifier" {
  description = "Identifier of the pgvector RDS instance, for the off-hours schedule (empty with Qdrant)."
  value       = local.is_qdrant ? "" : aws_db_instance.pgvector[0].identifier
}

output "database_arn" {
  description = "ARN of the pgvector RDS instance, for the off-hours schedule (empty with Qdrant)."
  value       = local.is_qdrant ? "" : aws_db_instance.pgvector[0].arn
}

output "qdrant_instance_ids" {
  description = "Instance ids of the Qdrant nodes in node order (alarms, off-hours schedules); empty with pgvector."
  value       = aws_instance.qdrant[*].id
}

output "qdrant_instance_arns" {
  description = "Instance ARNs of the Qdrant nodes in node order; empty with pgvector."
  value       = aws_instance.qdrant[*].arn
}

output "backup_resource_arns" {
  description = "ARNs of every data volume and database the store keeps its data on: what AWS Backup must cover."
  value       = local.is_qdrant ? aws_ebs_volume.qdrant_data[*].arn : [aws_db_instance.pgvector[0].arn]
}

output "qdrant_snapshot_bucket" {
  description = "S3 bucket the Qdrant nodes upload their daily snapshots to (empty with pgvector)."
  value       = local.is_qdrant ? aws_s3_bucket.qdrant_snapshots[0].bucket : ""
}
