# Memory Spine's secrets in this environment's Vault: the KV v2 mount with the OpenAI entry, a
# read-only policy for the environment's own path, and machine auth (AppRole as in the reference,
# and the AWS IAM method the nodes use). The provider gets its token from VAULT_TOKEN in the
# environment of whoever runs Terraform; it is never a variable and never in state.

locals {
  role_name = "memory-spine-${var.environment}"

  approle_backend_path = var.create_vault_auth_backends ? vault_auth_backend.approle[0].path : var.vault_approle_backend_path
  aws_backend_path     = var.create_vault_auth_backends ? vault_auth_backend.aws[0].path : var.vault_aws_auth_path
}

resource "vault_mount" "provider_keys" {
  path        = var.kv_mount_path
  type        = "kv"
  options     = { version = "2" }
  description = "AI provider API keys (KV v2, versioned)"
}

# Written once, only when a key is given. data_json_wo is write-only (never in plan or state) and
# is sent again only when openai_secret_version changes; disable_read keeps Terraform from reading
# the value back. Rotations done in Vault (vault kv put) are therefore never undone by an apply.
resource "vault_kv_secret_v2" "openai" {
  count = nonsensitive(var.openai_api_key != "") ? 1 : 0

  mount        = vault_mount.provider_keys.path
  name         = "${var.environment}/openai"
  disable_read = true
  data_json_wo = jsonencode({
    api_key         = var.openai_api_key
    organization_id = var.openai_org_id
    rotation_due    = timeadd(timestamp(), "${var.rotation_period_hours}h")
  })
  data_json_wo_version = var.openai_secret_version
}

# Qdrant's API key is generated here, with the other secrets, and handed to the vector store as
# a sensitive input: so only this module needs the random and vault providers, and every other
# module needs aws alone.
resource "random_password" "qdrant_api_key" {
  count = var.vector_store_engine == "qdrant" ? 1 : 0

  length  = 48
  special = false
}

resource "vault_kv_secret_v2" "qdrant" {
  count = var.vector_store_engine == "qdrant" ? 1 : 0

  mount     = vault_mount.provider_keys.path
  name      = "${var.environment}/qdrant"
  data_json = jsonencode({ api_key = random_password.qdrant_api_key[0].result })
}

# The key-value layer's AUTH token: generated here so that the data modules need only the aws
# provider (modules/kv-store takes it as a sensitive input), and kept beside the provider keys for
# the nodes' Vault Agent. Not ignored after creation: a rotation (README: apply with
# -replace=module.secrets.random_password.kv_auth_token) makes a new token, the cache accepts old
# and new under the ROTATE strategy, and this entry follows.
resource "random_password" "kv_auth_token" {
  length  = var.kv_auth_token_length
  special = false
}

resource "vault_kv_secret_v2" "kv" {
  mount     = vault_mount.provider_keys.path
  name      = "${var.environment}/kv"
  data_json = jsonencode({ auth_token = random_password.kv_auth_token.result })
}

# KV v2 serves data at <mount>/data/<path> and metadata at <mount>/metadata/<path>: both paths
# are derived from the mount, so that policy and mount can never disagree.
resource "vault_policy" "memory_spine" {
  name   = local.role_name
  policy = <<-EOT
    # Memory Spine ${var.environment}: read its own provider keys, nothing else.
    path "${vault_mount.provider_keys.path}/data/${var.environment}/*" {
      capabilities = ["read"]
    }

    path "${vault_mount.provider_keys.path}/metadata/${var.environment}/*" {
      capabilities = ["list"]
    }
  EOT
}

resource "vault_auth_backend" "approle" {
  count = var.create_vault_auth_backends ? 1 : 0

  type        = "approle"
  path        = var.vault_approle_backend_path
  description = "AppRole machine auth"
}

resource "vault_approle_auth_backend_role" "memory_spine" {
  backend               = local.approle_backend_path
  role_name             = local.role_name
  token_policies        = [vault_policy.memory_spine.name]
  token_ttl             = var.token_ttl_seconds
  token_max_ttl         = var.token_max_ttl_seconds
  secret_id_bound_cidrs = [var.vpc_cidr]
  token_bound_cidrs     = [var.vpc_cidr]
}

resource "vault_auth_backend" "aws" {
  count = var.create_vault_auth_backends ? 1 : 0

  type        = "aws"
  path        = var.vault_aws_auth_path
  description = "AWS IAM machine auth for EC2 nodes"
}

resource "vault_aws_auth_backend_role" "memory_spine" {
  backend                  = local.aws_backend_path
  role                     = local.role_name
  auth_type                = "iam"
  bound_iam_principal_arns = [var.node_role_arn]
  resolve_aws_unique_ids   = true
  token_policies           = [vault_policy.memory_spine.name]
  token_ttl                = var.token_ttl_seconds
  token_max_ttl            = var.token_max_ttl_seconds
}
