# Dev: one small node, pgvector, no TLS (reachable only over the internal VPN, internal balancer).
# Mirrors Pulumi.dev.yaml key for key; secrets never go here (export TF_VAR_openai_api_key).
aws_region          = "us-east-1"
environment         = "dev"
instance_count      = 1
instance_type       = "t3.large"
vector_store_engine = "pgvector"
enable_tls          = false
vault_address       = "https://vault.dev.chaozcode.internal"
allowed_cidr_blocks = [
  "10.0.0.0/8", # internal VPN
]
vpc_cidr = "10.10.0.0/16"
tags = {
  Environment = "dev"
  Team        = "platform-engineering"
  CostCenter  = "engineering"
}
# Monitoring: dev alarms notify (no pager) and tolerate more noise.
alarm_server_error_count = 50
alarm_latency_ms         = 2000
alarm_cpu_percent        = 90
alarm_db_connections     = 50
# Key-value layer (ElastiCache Valkey): node type and replicas per shard, one shard.
kv_node_type = "cache.t4g.micro"
kv_replicas  = 0
