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
# Sized for development (README "Off-hours and sizing"): Graviton burstable class, 20 GB (RDS's gp3 minimum).
db_instance_class       = "db.t4g.small"
db_allocated_storage_gb = 20
# Dev works a 10-hour weekday (08:00-18:00 UTC): the API nodes run only then and the stores
# from 07:45 to 18:15; backups and maintenance inside those hours.
scale_up_cron         = "0 8 * * 1-5"
scale_down_cron       = "0 18 * * *"
db_backup_window      = "12:00-12:30"
db_maintenance_window = "wed:12:30-wed:13:00"
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
# Sizes of the key-value layer (kv_node_type, kv_replicas) and the Qdrant cluster, and off_hours_stores,
# are dev's defaults (components/environment-defaults.json); set a variable here to override one.
