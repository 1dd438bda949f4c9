variable "environment" {
  description = "Deployment environment, one of dev, staging, prod; it sets Multi-AZ, snapshots and the prod key."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of dev, staging, prod."
  }
}

variable "vpc_id" {
  description = "VPC of the cache's security group."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets of the cache subnet group (at least two zones)."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) >= 2
    error_message = "private_subnet_ids must list at least two subnets in different zones."
  }
}

variable "node_security_group_id" {
  description = "Security group of the API nodes: the only source admitted on 6379."
  type        = string
}

variable "kv_node_type" {
  description = "ElastiCache node type of the Valkey key-value layer (cache.<family>.<size>, e.g. cache.t4g.micro, cache.r7g.large)."
  type        = string

  validation {
    condition     = contains(["t3", "t4g", "m5", "m6g", "m7g", "r5", "r6g", "r7g", "c7gn"], try(regex("^cache\\.([a-z0-9]+)\\.(micro|small|medium|large|[0-9]*xlarge)$", var.kv_node_type)[0], ""))
    error_message = "kv_node_type must be an ElastiCache node type cache.<family>.<size> of a family t3, t4g, m5, m6g, m7g, r5, r6g, r7g, c7gn, e.g. cache.r7g.large."
  }
}

variable "kv_replicas" {
  description = "Read replicas per shard of the key-value layer (0 to 5; at least 1 in prod, where Multi-AZ fails over to one)."
  type        = number

  validation {
    condition     = floor(var.kv_replicas) == var.kv_replicas && var.kv_replicas >= 0 && var.kv_replicas <= 5
    error_message = "kv_replicas must be a whole number of replicas per shard from 0 to 5."
  }

  validation {
    condition     = var.environment != "prod" || var.kv_replicas >= 1
    error_message = "kv_replicas must be at least 1 in prod: prod must survive the loss of a cache node (Multi-AZ with automatic failover)."
  }
}

variable "kv_shards" {
  description = "Shards of the key-value layer (1 to 500); more than 1 turns on cluster mode and the nodes use the configuration endpoint."
  type        = number
  default     = 1

  validation {
    condition     = floor(var.kv_shards) == var.kv_shards && var.kv_shards >= 1 && var.kv_shards <= 500
    error_message = "kv_shards must be a whole number of shards from 1 to 500 (more than 1 turns on cluster mode)."
  }
}

variable "kv_engine_version" {
  description = "Valkey engine version of the key-value layer, 8.x (major.minor)."
  type        = string
  default     = "8.2"

  validation {
    condition     = can(regex("^8\\.[0-9]+$", var.kv_engine_version))
    error_message = "kv_engine_version must be a Valkey 8.x engine version such as 8.2 (major.minor)."
  }
}

variable "auth_token" {
  description = "AUTH token of the cache (from modules/secrets, which also keeps it in Vault); 16-128 characters without spaces, /, \" or @."
  type        = string
  sensitive   = true

  validation {
    condition     = length(var.auth_token) >= 32 && length(var.auth_token) <= 128 && !can(regex("[\\s/\"@]", var.auth_token))
    error_message = "auth_token must be 32 to 128 characters without spaces, /, \" or @."
  }
}

variable "tags" {
  description = "Tags on every resource (plus Name and Service = memory-spine)."
  type        = map(string)
  default     = {}
}
