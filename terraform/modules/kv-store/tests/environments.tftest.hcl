# Plans the key-value layer module for every environment, cluster mode and each value it must
# refuse, against the real AWS provider, without credentials and without calling AWS. Run from the
# module directory:
#   terraform init -backend=false && terraform test
# Generated from the Pulumi program's posture table (KV_POSTURE) by
# tests/terraform/helpers/kv-store-tftest.ts, which tests/terraform/kv-store.test.ts holds equal
# to this file; the offline suite (tests/terraform/offline.test.ts) runs it.

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "AKIAIOSFODNN7EXAMPLE"
  secret_key                  = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

variables {
  vpc_id                 = "vpc-0123456789abcdef0"
  private_subnet_ids     = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"]
  node_security_group_id = "sg-0123456789abcdef0"
  auth_token             = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ01"
  # staging's size (components/environment-defaults.json); dev and prod set theirs
  kv_node_type = "cache.t4g.small"
  kv_replicas  = 1
}

run "dev" {
  command = plan
  variables {
    environment  = "dev"
    kv_node_type = "cache.t4g.micro"
    kv_replicas  = 0
    tags         = { Environment = "dev", Team = "platform-engineering", CostCenter = "engineering" }
  }
  assert {
    condition     = aws_elasticache_replication_group.kv.engine == "valkey" && aws_elasticache_replication_group.kv.engine_version == "8.2" && aws_elasticache_replication_group.kv.node_type == "cache.t4g.micro" && aws_elasticache_replication_group.kv.num_cache_clusters == 1
    error_message = "dev size"
  }
  assert {
    condition     = aws_elasticache_replication_group.kv.multi_az_enabled == false && aws_elasticache_replication_group.kv.automatic_failover_enabled == false && aws_elasticache_replication_group.kv.snapshot_retention_limit == 0
    error_message = "dev posture"
  }
  assert {
    condition     = tostring(aws_elasticache_replication_group.kv.at_rest_encryption_enabled) == "true" && aws_elasticache_replication_group.kv.transit_encryption_enabled == true && aws_elasticache_replication_group.kv.transit_encryption_mode == "required" && aws_elasticache_replication_group.kv.cluster_mode == "disabled"
    error_message = "encryption"
  }
  assert {
    condition     = aws_elasticache_replication_group.kv.final_snapshot_identifier == null && length(aws_kms_key.kv) == 0
    error_message = "no final snapshot or key outside prod"
  }
  assert {
    condition     = aws_vpc_security_group_ingress_rule.kv_from_nodes.referenced_security_group_id == "sg-0123456789abcdef0" && aws_vpc_security_group_ingress_rule.kv_from_nodes.from_port == 6379 && aws_vpc_security_group_ingress_rule.kv_from_nodes.cidr_ipv4 == null
    error_message = "6379 from the node group only"
  }
  assert {
    condition     = aws_elasticache_parameter_group.kv.family == "valkey8" && aws_elasticache_parameter_group.kv.name == "memspine-dev-kv-valkey8"
    error_message = "parameter group"
  }
  assert {
    condition     = output.member_cluster_ids == ["memspine-dev-kv-001"] && output.cluster_mode == false
    error_message = "member ids"
  }
}


run "staging" {
  command = plan
  variables {
    environment = "staging"
    tags        = { Environment = "staging", Team = "platform-engineering", CostCenter = "engineering" }
  }
  assert {
    condition     = aws_elasticache_replication_group.kv.node_type == "cache.t4g.small" && aws_elasticache_replication_group.kv.num_cache_clusters == 2 && aws_elasticache_replication_group.kv.multi_az_enabled == true && aws_elasticache_replication_group.kv.automatic_failover_enabled == true
    error_message = "staging"
  }
  assert {
    condition     = aws_elasticache_replication_group.kv.snapshot_retention_limit == 1 && aws_elasticache_replication_group.kv.snapshot_window == "03:00-04:00"
    error_message = "staging snapshots"
  }
}


run "prod" {
  command = plan
  variables {
    environment  = "prod"
    kv_node_type = "cache.r7g.large"
    kv_replicas  = 2
    tags         = { Environment = "prod", Team = "platform-engineering", CostCenter = "infrastructure", Compliance = "soc2" }
  }
  assert {
    condition     = aws_elasticache_replication_group.kv.num_cache_clusters == 3 && aws_elasticache_replication_group.kv.multi_az_enabled == true && aws_elasticache_replication_group.kv.automatic_failover_enabled == true
    error_message = "prod replicas and failover"
  }
  assert {
    condition     = aws_elasticache_replication_group.kv.snapshot_retention_limit == 7 && aws_elasticache_replication_group.kv.final_snapshot_identifier == "memspine-prod-kv-final" && aws_elasticache_replication_group.kv.apply_immediately == false
    error_message = "prod snapshots"
  }
  assert {
    condition     = length(aws_kms_key.kv) == 1 && aws_kms_key.kv[0].enable_key_rotation == true
    error_message = "prod key"
  }
  assert {
    condition     = output.member_cluster_ids == ["memspine-prod-kv-001", "memspine-prod-kv-002", "memspine-prod-kv-003"]
    error_message = "member ids"
  }
}


run "cluster_mode" {
  command = plan
  variables {
    environment = "staging"
    kv_shards   = 3
  }
  assert {
    condition     = aws_elasticache_replication_group.kv.cluster_mode == "enabled" && aws_elasticache_replication_group.kv.num_node_groups == 3 && aws_elasticache_replication_group.kv.replicas_per_node_group == 1 && aws_elasticache_replication_group.kv.automatic_failover_enabled == true
    error_message = "cluster mode"
  }
  assert {
    condition     = aws_elasticache_parameter_group.kv.name == "memspine-staging-kv-valkey8-cluster" && length([for p in aws_elasticache_parameter_group.kv.parameter : p if p.name == "cluster-enabled" && p.value == "yes"]) == 1
    error_message = "cluster parameter group"
  }
  assert {
    condition     = length(output.member_cluster_ids) == 6 && output.member_cluster_ids[5] == "memspine-staging-kv-0003-002" && output.cluster_mode == true
    error_message = "member ids"
  }
}


run "prod_without_replicas" {
  command = plan
  variables {
    environment = "prod"
    kv_replicas = 0
  }
  expect_failures = [var.kv_replicas]
}


run "negative_replicas" {
  command = plan
  variables {
    environment = "dev"
    kv_replicas = -1
  }
  expect_failures = [var.kv_replicas]
}


run "fractional_shards" {
  command = plan
  variables {
    environment = "dev"
    kv_shards   = 2.5
  }
  expect_failures = [var.kv_shards]
}


run "unknown_family" {
  command = plan
  variables {
    environment  = "dev"
    kv_node_type = "cache.x9.large"
  }
  expect_failures = [var.kv_node_type]
}


run "valkey_7" {
  command = plan
  variables {
    environment       = "dev"
    kv_engine_version = "7.2"
  }
  expect_failures = [var.kv_engine_version]
}


run "short_token" {
  command = plan
  variables {
    environment = "dev"
    auth_token  = "too-short"
  }
  expect_failures = [var.auth_token]
}
