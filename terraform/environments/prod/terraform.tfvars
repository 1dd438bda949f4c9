# Prod: four large nodes over three zones, Qdrant, TLS on an internet-facing balancer.
# Mirrors Pulumi.prod.yaml key for key; secrets never go here (export TF_VAR_openai_api_key).
aws_region          = "us-east-1"
environment         = "prod"
instance_count      = 4
instance_type       = "r6i.2xlarge"
vector_store_engine = "qdrant"
enable_tls          = true
vault_address       = "https://vault.prod.chaozcode.internal"
allowed_cidr_blocks = [
  "10.0.0.0/8",     # internal services
  "203.0.113.0/24", # CDN egress
]
vpc_cidr                = "10.30.0.0/16"
availability_zone_count = 3
domain_name             = "memory-spine.chaozcode.com"
tags = {
  Environment = "prod"
  Team        = "platform-engineering"
  CostCenter  = "infrastructure"
  Compliance  = "soc2"
}
# Monitoring: prod alarms page (set pager_endpoint to the pager's SNS integration URL).
alert_emails = [
  "platform-oncall@chaozcode.com",
]
alarm_server_error_count = 5
alarm_latency_ms         = 500
alarm_cpu_percent        = 75
enable_grafana           = true
# Prod's defaults (components/environment-defaults.json) need no variable here: a Qdrant cluster of 3
# (one node per zone, survives a lost node or zone), cache.r7g.large with 2 replicas per shard, and
# stores that never stop (off_hours_stores false). Set a variable here to override one.
