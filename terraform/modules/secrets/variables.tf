variable "environment" {
  description = "Deployment environment, one of dev, staging, prod; each reads only its own secret path."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of dev, staging, prod."
  }
}

variable "kv_mount_path" {
  description = "Path of the KV v2 mount for AI provider keys; the policy paths are derived from it."
  type        = string
  default     = "secret/ai-providers"

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9_/-]*[a-z0-9])?$", var.kv_mount_path))
    error_message = "kv_mount_path must be a Vault mount path without leading or trailing slash."
  }
}

variable "vpc_cidr" {
  description = "CIDR of the VPC the nodes run in: AppRole secret ids and tokens are bound to it."
  type        = string
}

variable "node_role_arn" {
  description = "IAM role of the API nodes: the only principal the AWS auth role admits."
  type        = string
}

variable "vector_store_engine" {
  description = "Vector store backend, qdrant or pgvector; with qdrant its API key is generated here and kept next to the provider keys."
  type        = string
  default     = "qdrant"

  validation {
    condition     = contains(["qdrant", "pgvector"], var.vector_store_engine)
    error_message = "vector_store_engine must be one of qdrant, pgvector."
  }
}

variable "openai_api_key" {
  description = "Optional OpenAI API key written to Vault at creation; empty = write it yourself with vault kv put."
  type        = string
  default     = ""
  sensitive   = true
}

variable "openai_org_id" {
  description = "Optional OpenAI organization id, stored with the API key."
  type        = string
  default     = ""
  sensitive   = true
}

variable "openai_secret_version" {
  description = "Version of the write-only OpenAI entry: bump it to write openai_api_key to Vault again."
  type        = number
  default     = 1
}

variable "rotation_period_hours" {
  description = "The OpenAI key is due for rotation this many hours after it is written."
  type        = number
  default     = 720
}

variable "create_vault_auth_backends" {
  description = "Create the AppRole and AWS auth backends in Vault; false to use existing ones at the paths below."
  type        = bool
  default     = true
}

variable "vault_approle_backend_path" {
  description = "Mount path of Vault's AppRole auth backend."
  type        = string
  default     = "approle"
}

variable "vault_aws_auth_path" {
  description = "Mount path of Vault's AWS auth backend (IAM type) the nodes log in with."
  type        = string
  default     = "aws"
}

variable "token_ttl_seconds" {
  description = "TTL of the tokens both auth roles issue."
  type        = number
  default     = 3600
}

variable "token_max_ttl_seconds" {
  description = "Maximum TTL of the tokens both auth roles issue."
  type        = number
  default     = 14400
}

variable "kv_auth_token_length" {
  description = "Length of the key-value layer's AUTH token (ElastiCache accepts 16 to 128 characters)."
  type        = number
  default     = 64

  validation {
    condition     = var.kv_auth_token_length >= 32 && var.kv_auth_token_length <= 128
    error_message = "kv_auth_token_length must be from 32 to 128."
  }
}
