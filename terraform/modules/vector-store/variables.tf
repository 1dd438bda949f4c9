variable "environment" {
  description = "Deployment environment, one of dev, staging, prod. Prod gets Multi-AZ, deletion protection and final snapshots."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of dev, staging, prod."
  }
}

variable "vector_store_engine" {
  description = "Vector store backend, qdrant (EC2 + EBS) or pgvector (RDS PostgreSQL)."
  type        = string
  default     = "qdrant"

  validation {
    condition     = contains(["qdrant", "pgvector"], var.vector_store_engine)
    error_message = "vector_store_engine must be one of qdrant, pgvector."
  }
}

variable "vpc_id" {
  description = "VPC the vector store runs in."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets (>= 2 zones); Qdrant runs in the first, RDS spans them all."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) >= 2
    error_message = "private_subnet_ids must span at least two availability zones (RDS subnet groups need two)."
  }
}

variable "node_security_group_id" {
  description = "Security group of the Memory Spine nodes: the only source the store admits."
  type        = string
}

variable "qdrant_version" {
  description = "Pinned Qdrant release run by the qdrant vector store."
  type        = string
  default     = "v1.15.0"

  validation {
    condition     = can(regex("^v[0-9]+\\.[0-9]+\\.[0-9]+$", var.qdrant_version))
    error_message = "qdrant_version must be a pinned Qdrant release such as v1.15.0."
  }
}

variable "qdrant_instance_type" {
  description = "EC2 instance type of the Qdrant node."
  type        = string
  default     = "r6i.large"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", var.qdrant_instance_type))
    error_message = "qdrant_instance_type must be an EC2 instance type such as r6i.large."
  }
}

variable "qdrant_volume_size_gb" {
  description = "Size in GB of Qdrant's encrypted gp3 data volume (10 to 16384); it outlives the instance."
  type        = number
  default     = 100

  validation {
    condition     = floor(var.qdrant_volume_size_gb) == var.qdrant_volume_size_gb && var.qdrant_volume_size_gb >= 10 && var.qdrant_volume_size_gb <= 16384
    error_message = "qdrant_volume_size_gb must be a whole number of GB from 10 to 16384."
  }
}

variable "db_instance_class" {
  description = "RDS instance class of the pgvector database."
  type        = string
  default     = "db.t3.large"

  validation {
    condition     = can(regex("^db\\.[a-z][a-z0-9-]*\\.[a-z0-9]+$", var.db_instance_class))
    error_message = "db_instance_class must be an RDS instance class such as db.t3.large or db.r6g.xlarge."
  }
}

variable "db_allocated_storage_gb" {
  description = "Initial gp3 storage of the pgvector database in GB (20 to 65536); storage autoscaling may double it."
  type        = number
  default     = 100

  validation {
    condition     = floor(var.db_allocated_storage_gb) == var.db_allocated_storage_gb && var.db_allocated_storage_gb >= 20 && var.db_allocated_storage_gb <= 65536
    error_message = "db_allocated_storage_gb must be a whole number of GB from 20 to 65536."
  }
}

variable "postgres_version" {
  description = "RDS PostgreSQL engine version, 16 or newer (ships the pgvector extension)."
  type        = string
  default     = "16"

  validation {
    condition     = can(regex("^[0-9]+(\\.[0-9]+)?$", var.postgres_version)) && try(tonumber(split(".", var.postgres_version)[0]) >= 16, false)
    error_message = "postgres_version must be PostgreSQL 16 or newer (e.g. 16 or 17.2): pgvector ships with RDS PostgreSQL 16+."
  }
}

variable "tags" {
  description = "Resource tags applied to all created resources."
  type        = map(string)
  default     = {}
}

variable "ubuntu_ami_release" {
  description = "Canonical release serial of the Ubuntu 24.04 LTS image the nodes boot, e.g. 20250610 (the date in the AMI name). Empty boots the newest image, so a new Canonical release rolls the API nodes on the next deployment."
  type        = string
  default     = ""

  validation {
    condition     = var.ubuntu_ami_release == "" || can(regex("^[0-9]{8}(\\.[0-9]{1,2})?$", var.ubuntu_ami_release))
    error_message = "ubuntu_ami_release must be empty (the newest image) or a Canonical release serial such as 20250610 or 20250610.1 (the date in the AMI name)."
  }
}
