output "url" {
  description = "rediss://<primary endpoint, or configuration endpoint in cluster mode>:6379 for the nodes."
  value       = "rediss://${local.cluster_mode ? aws_elasticache_replication_group.kv.configuration_endpoint_address : aws_elasticache_replication_group.kv.primary_endpoint_address}:${local.port}"
  sensitive   = true
}

output "cluster_mode" {
  description = "Whether the layer runs in cluster mode (kv_shards > 1): clients must speak the cluster protocol."
  value       = local.cluster_mode
}

output "replication_group_id" {
  description = "The replication group id, memspine-<environment>-kv; every node id starts with it."
  value       = aws_elasticache_replication_group.kv.id
}

output "member_cluster_ids" {
  description = "Ids of the group's nodes, known at plan time, for the per-node alarms."
  value       = local.member_cluster_ids
}

output "security_group_id" {
  description = "Security group of the cache."
  value       = aws_security_group.kv.id
}
