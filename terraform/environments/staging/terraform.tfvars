# Staging: production-shaped at smaller scale (Qdrant, TLS, internal balancer).
# Mirrors Pulumi.staging.yaml key for key; secrets never go here (export TF_VAR_openai_api_key).
aws_region          = "us-east-1"
environment         = "staging"
instance_count      = 2
instance_type       = "r6i.xlarge"
vector_store_engine = "qdrant"
enable_tls          = true
vault_address       = "https://vault.staging.chaozcode.internal"
allowed_cidr_blocks = [
  "10.0.0.0/8", # internal services and VPN
]
vpc_cidr = "10.20.0.0/16"
# Sized for staging (README "Off-hours and sizing"): Graviton r6g.large (16 GiB like r6i.large), 50 GB data volume.
qdrant_instance_type  = "r6g.large"
qdrant_volume_size_gb = 50
domain_name           = "memory-spine-staging.chaozcode.com"
tags = {
  Environment = "staging"
  Team        = "platform-engineering"
  CostCenter  = "engineering"
}
# Monitoring: staging alarms notify the team by e-mail.
alert_emails = [
  "platform-engineering@chaozcode.com",
]
alarm_server_error_count = 20
alarm_latency_ms         = 1500
# Sizes of the key-value layer (kv_node_type, kv_replicas) and the Qdrant cluster, and off_hours_stores,
# are staging's defaults (components/environment-defaults.json); set a variable here to override one.
