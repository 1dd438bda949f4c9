# The key-value layer (the Pulumi program's components/kv-store.ts): an ElastiCache replication
# group running Valkey 8 in the private subnets, encrypted at rest (a customer managed key in
# prod) and in transit (TLS required), behind an AUTH token that modules/secrets generates and
# keeps in Vault. Reachable on 6379 from the API nodes' security group only. One shard by
# default; more shards turn on cluster mode.
#
# Protection in prod: lifecycle.prevent_destroy must be a literal (see modules/vector-store), so
# prod relies on the final snapshot taken before any deletion instead of Pulumi's protect.

locals {
  tags = merge(var.tags, { Service = "memory-spine" })
  name = "memspine-${var.environment}-kv"
  port = 6379

  # How each environment runs the layer; the size (node type, replicas, shards) is config.
  posture = {
    dev     = { multi_az = false, snapshot_retention_days = 0, protect = false }
    staging = { multi_az = true, snapshot_retention_days = 1, protect = false }
    prod    = { multi_az = true, snapshot_retention_days = 7, protect = true }
  }[var.environment]

  cluster_mode = var.kv_shards > 1
  multi_az     = local.posture.multi_az && var.kv_replicas >= 1
  # Cluster mode always fails over (ElastiCache requires it); with one shard only Multi-AZ does.
  automatic_failover = local.cluster_mode || local.multi_az

  # Evict the least frequently used key of all keys once memory is full: everything here can be
  # rebuilt from the vector store, and LFU keeps the often-recalled memories through a bulk scan.
  maxmemory_policy = "allkeys-lfu"
  parameters = concat(
    [{ name = "maxmemory-policy", value = local.maxmemory_policy }],
    local.cluster_mode ? [{ name = "cluster-enabled", value = "yes" }] : [],
  )

  # The node (cache cluster) ids ElastiCache gives the members, under which it publishes metrics.
  node_numbers = [for i in range(var.kv_replicas + 1) : format("%03d", i + 1)]
  member_cluster_ids = local.cluster_mode ? flatten([
    for shard in range(var.kv_shards) : [for node in local.node_numbers : format("%s-%04d-%s", local.name, shard + 1, node)]
  ]) : [for node in local.node_numbers : "${local.name}-${node}"]
}

# ── Security group: 6379 from the API nodes only; the cache opens no connections ─────────────

resource "aws_security_group" "kv" {
  name_prefix = "${local.name}-"
  description = "Memory Spine ${var.environment} key-value layer: ${local.port} from the API nodes only"
  vpc_id      = var.vpc_id

  tags = merge(local.tags, { Name = local.name })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "kv_from_nodes" {
  security_group_id            = aws_security_group.kv.id
  description                  = "Valkey ${local.port} (TLS) from the Memory Spine nodes"
  ip_protocol                  = "tcp"
  from_port                    = local.port
  to_port                      = local.port
  referenced_security_group_id = var.node_security_group_id

  tags = merge(local.tags, { Name = "${local.name}-in-${local.port}" })
}

resource "aws_vpc_security_group_egress_rule" "nodes_to_kv" {
  security_group_id            = var.node_security_group_id
  description                  = "Valkey ${local.port} (TLS) to the key-value layer"
  ip_protocol                  = "tcp"
  from_port                    = local.port
  to_port                      = local.port
  referenced_security_group_id = aws_security_group.kv.id

  tags = merge(local.tags, { Name = "memspine-${var.environment}-node-out-kv-${local.port}" })
}

resource "aws_elasticache_subnet_group" "kv" {
  name        = "${local.name}-subnets"
  description = "Memory Spine ${var.environment} key-value layer, private subnets"
  subnet_ids  = var.private_subnet_ids

  tags = merge(local.tags, { Name = "${local.name}-subnets" })
}

# Named per mode: cluster-enabled cannot change on a group in use, so switching mode makes a new
# parameter group instead of editing the live one.
resource "aws_elasticache_parameter_group" "kv" {
  name        = "${local.name}-valkey8${local.cluster_mode ? "-cluster" : ""}"
  family      = "valkey8"
  description = "Memory Spine ${var.environment} key-value layer: ${local.maxmemory_policy} eviction${local.cluster_mode ? ", cluster mode" : ""}"

  dynamic "parameter" {
    for_each = local.parameters
    content {
      name  = parameter.value.name
      value = parameter.value.value
    }
  }

  tags = merge(local.tags, { Name = "${local.name}-valkey8${local.cluster_mode ? "-cluster" : ""}" })

  lifecycle {
    create_before_destroy = true
  }
}

# Prod encrypts with its own customer managed key (rotation on); elsewhere the AWS managed key.
resource "aws_kms_key" "kv" {
  count = local.posture.protect ? 1 : 0

  description             = "Memory Spine ${var.environment} key-value layer (ElastiCache at rest and snapshots)"
  enable_key_rotation     = true
  deletion_window_in_days = 30

  tags = merge(local.tags, { Name = "${local.name}-key" })
}

resource "aws_kms_alias" "kv" {
  count = local.posture.protect ? 1 : 0

  name          = "alias/${local.name}"
  target_key_id = aws_kms_key.kv[0].key_id
}

resource "aws_elasticache_replication_group" "kv" {
  replication_group_id = local.name
  description          = "Memory Spine ${var.environment} key-value layer (Valkey)"
  engine               = "valkey"
  engine_version       = var.kv_engine_version
  node_type            = var.kv_node_type
  port                 = local.port
  cluster_mode         = local.cluster_mode ? "enabled" : "disabled"

  num_cache_clusters      = local.cluster_mode ? null : var.kv_replicas + 1
  num_node_groups         = local.cluster_mode ? var.kv_shards : null
  replicas_per_node_group = local.cluster_mode ? var.kv_replicas : null

  automatic_failover_enabled = local.automatic_failover
  multi_az_enabled           = local.multi_az

  subnet_group_name    = aws_elasticache_subnet_group.kv.name
  security_group_ids   = [aws_security_group.kv.id]
  parameter_group_name = aws_elasticache_parameter_group.kv.name

  at_rest_encryption_enabled = true
  kms_key_id                 = local.posture.protect ? aws_kms_key.kv[0].arn : null
  transit_encryption_enabled = true
  transit_encryption_mode    = "required"
  auth_token                 = var.auth_token
  # A new token is added beside the old one; clients move over before the old is dropped (README).
  auth_token_update_strategy = "ROTATE"

  snapshot_retention_limit   = local.posture.snapshot_retention_days
  snapshot_window            = local.posture.snapshot_retention_days > 0 ? "03:00-04:00" : null
  maintenance_window         = "sun:05:00-sun:06:00"
  final_snapshot_identifier  = local.posture.protect ? "${local.name}-final" : null
  auto_minor_version_upgrade = true
  apply_immediately          = !local.posture.protect

  tags = merge(local.tags, { Name = local.name })
}
