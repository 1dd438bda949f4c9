# The one composition root of the Terraform form: network -> vector store -> key-value layer ->
# API cluster -> Vault secrets -> monitoring. Every environment applies this same module with its own backend settings
# and values (terraform/environments/<env>/backend.hcl and terraform.tfvars, through
# terraform/scripts/tf.sh), so the contract and the wiring are declared once.

locals {
  # One place for the KV v2 mount: the nodes read below it, the policy is derived from it.
  provider_keys_mount = "secret/ai-providers"

  # One source for the budget: 0 = the environment's number in the policy pack's config, read
  # here, never copied (the same file the CrossGuard cost policy and the Pulumi program read).
  policy_budget_usd = jsondecode(file("${path.module}/../../policy-pack/config/${var.environment}.json"))["monthly-cost-estimate"]["monthlyBudgetUsd"]
}

module "networking" {
  source = "../modules/networking"

  environment                 = var.environment
  vpc_cidr                    = var.vpc_cidr
  availability_zone_count     = var.availability_zone_count
  existing_vpc_id             = var.existing_vpc_id
  existing_public_subnet_ids  = var.existing_public_subnet_ids
  existing_private_subnet_ids = var.existing_private_subnet_ids
  tags                        = var.tags
}

# Prod encrypts every data and root volume, the database and the Qdrant snapshots with its own key.
module "data_key" {
  source = "../modules/data-key"
  count  = var.environment == "prod" ? 1 : 0

  environment = var.environment
  tags        = var.tags
}

module "vector_store" {
  source = "../modules/vector-store"

  environment             = var.environment
  vector_store_engine     = var.vector_store_engine
  vpc_id                  = module.networking.vpc_id
  private_subnet_ids      = module.networking.private_subnet_ids
  node_security_group_id  = module.memory_spine.node_security_group_id
  qdrant_version          = var.qdrant_version
  qdrant_instance_type    = var.qdrant_instance_type
  qdrant_volume_size_gb   = var.qdrant_volume_size_gb
  qdrant_node_count       = local.qdrant_node_count
  data_kms_key_arn        = var.environment == "prod" ? module.data_key[0].key_arn : ""
  db_instance_class       = var.db_instance_class
  db_allocated_storage_gb = var.db_allocated_storage_gb
  postgres_version        = var.postgres_version
  db_backup_window        = var.db_backup_window
  db_maintenance_window   = var.db_maintenance_window
  qdrant_api_key          = module.secrets.qdrant_api_key
  ubuntu_ami_release      = var.ubuntu_ami_release
  tags                    = var.tags
}

module "kv_store" {
  source = "../modules/kv-store"

  environment            = var.environment
  vpc_id                 = module.networking.vpc_id
  private_subnet_ids     = module.networking.private_subnet_ids
  node_security_group_id = module.memory_spine.node_security_group_id
  kv_node_type           = local.kv_node_type
  kv_replicas            = local.kv_replicas
  kv_shards              = var.kv_shards
  kv_engine_version      = var.kv_engine_version
  auth_token             = module.secrets.kv_auth_token
  tags                   = var.tags
}

module "memory_spine" {
  source = "../modules/memory-spine"

  environment            = var.environment
  instance_count         = var.instance_count
  instance_type          = var.instance_type
  vector_store_engine    = var.vector_store_engine
  enable_tls             = var.enable_tls
  vault_address          = var.vault_address
  allowed_cidr_blocks    = var.allowed_cidr_blocks
  vpc_id                 = module.networking.vpc_id
  vpc_cidr               = module.networking.vpc_cidr
  public_subnet_ids      = module.networking.public_subnet_ids
  private_subnet_ids     = module.networking.private_subnet_ids
  domain_name            = var.domain_name
  hosted_zone_id         = var.hosted_zone_id
  certificate_arn        = var.certificate_arn
  container_image        = var.container_image
  ubuntu_ami_release     = var.ubuntu_ami_release
  target_cpu_utilization = var.target_cpu_utilization
  scale_down_cron        = var.scale_down_cron
  scale_up_cron          = var.scale_up_cron
  schedule_time_zone     = var.schedule_time_zone
  vector_store_endpoint  = module.vector_store.endpoint
  database_secret_arn    = module.vector_store.database_secret_arn
  kv_url                 = module.kv_store.url
  kv_cluster_mode        = module.kv_store.cluster_mode
  vault_aws_auth_path    = var.vault_aws_auth_path
  vault_kv_mount_path    = local.provider_keys_mount
  data_kms_key_arn       = var.environment == "prod" ? module.data_key[0].key_arn : ""
  tags                   = var.tags
}

# Outside prod the stores follow the API group's off-hours schedule (off_hours_stores).
module "offhours_schedule" {
  source = "../modules/offhours-schedule"
  count  = local.off_hours_stores && var.environment != "prod" ? 1 : 0

  environment         = var.environment
  scale_down_cron     = var.scale_down_cron
  scale_up_cron       = var.scale_up_cron
  schedule_time_zone  = var.schedule_time_zone
  margin_minutes      = var.off_hours_store_margin_minutes
  database_identifier = module.vector_store.database_identifier
  database_arn        = module.vector_store.database_arn
  instance_ids        = module.vector_store.qdrant_instance_ids
  volume_kms_key_arns = module.data_key[*].key_arn
  tags                = var.tags
}

module "secrets" {
  source = "../modules/secrets"

  environment                = var.environment
  kv_mount_path              = local.provider_keys_mount
  vpc_cidr                   = module.networking.vpc_cidr
  node_role_arn              = module.memory_spine.node_role_arn
  vector_store_engine        = var.vector_store_engine
  openai_api_key             = var.openai_api_key
  openai_org_id              = var.openai_org_id
  create_vault_auth_backends = var.create_vault_auth_backends
  vault_approle_backend_path = var.vault_approle_backend_path
  vault_aws_auth_path        = var.vault_aws_auth_path
}

module "monitoring" {
  source = "../modules/monitoring"

  environment              = var.environment
  load_balancer_arn_suffix = module.memory_spine.load_balancer_arn_suffix
  target_group_arn_suffix  = module.memory_spine.target_group_arn_suffix
  autoscaling_group_name   = module.memory_spine.autoscaling_group_name
  node_role_name           = module.memory_spine.node_role_name
  vector_store_engine      = var.vector_store_engine
  qdrant_instance_ids      = module.vector_store.qdrant_instance_ids
  kv_replication_group_id  = module.kv_store.replication_group_id
  kv_member_cluster_ids    = module.kv_store.member_cluster_ids
  kv_replicas              = local.kv_replicas
  alert_emails             = var.alert_emails
  pager_endpoint           = var.pager_endpoint
  alarm_server_error_count = var.alarm_server_error_count
  alarm_latency_ms         = var.alarm_latency_ms
  alarm_cpu_percent        = var.alarm_cpu_percent
  alarm_db_cpu_percent     = var.alarm_db_cpu_percent
  alarm_db_free_storage_gb = var.alarm_db_free_storage_gb
  alarm_db_connections     = var.alarm_db_connections
  enable_grafana           = var.enable_grafana
  monthly_budget_usd       = var.monthly_budget_usd > 0 ? var.monthly_budget_usd : local.policy_budget_usd
  budget_emails            = var.budget_emails
  tags                     = var.tags
}

# Staging and prod back up every data volume and the database; failed jobs reach the alert topic.
module "backup" {
  source = "../modules/backup"
  count  = contains(["staging", "prod"], var.environment) ? 1 : 0

  environment     = var.environment
  resource_arns   = module.vector_store.backup_resource_arns
  alert_topic_arn = module.monitoring.alerts_topic_arn
  tags            = var.tags
}
