variable "environment" {
  description = "Deployment environment, one of dev, staging, prod."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of dev, staging, prod."
  }
}

variable "instance_count" {
  description = "Desired number of Memory Spine API nodes (integer >= 1); the group scales between the floor and 3x this."
  type        = number
  default     = 2

  validation {
    condition     = floor(var.instance_count) == var.instance_count && var.instance_count >= 1
    error_message = "instance_count must be a whole number >= 1."
  }

  validation {
    condition     = var.environment != "prod" || var.instance_count >= 2
    error_message = "instance_count must be at least 2 in prod: the group keeps a floor of 2 nodes there."
  }
}

variable "instance_type" {
  description = "EC2 instance type of the Memory Spine API nodes."
  type        = string
  default     = "r6i.xlarge"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", var.instance_type))
    error_message = "instance_type must be an EC2 instance type such as t3.large or r6i.xlarge (family.size)."
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

variable "enable_tls" {
  description = "Terminate TLS on the load balancer (HTTPS 443 + redirect from 80). Required in prod."
  type        = bool
  default     = true

  validation {
    condition     = var.enable_tls || var.environment != "prod"
    error_message = "enable_tls must be true in prod."
  }

  validation {
    condition     = !var.enable_tls || var.certificate_arn != "" || var.domain_name != ""
    error_message = "enable_tls is true but no certificate source is set: set certificate_arn (existing ACM certificate) or domain_name (+ hosted_zone_id for DNS validation)."
  }
}

variable "vault_address" {
  description = "HashiCorp Vault address of this environment (https:// outside dev)."
  type        = string

  validation {
    condition     = can(regex(var.environment == "dev" ? "^https?://[^/@:\\s]+(:[0-9]+)?/?$" : "^https://[^/@:\\s]+(:[0-9]+)?/?$", var.vault_address))
    error_message = "vault_address must be an https:// URL of this environment's Vault (plain http is allowed only in dev)."
  }
}

variable "allowed_cidr_blocks" {
  description = "IPv4 CIDR blocks allowed to reach the API through the load balancer."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.allowed_cidr_blocks : can(cidrhost(c, 0)) && can(regex("^[0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}$", c))])
    error_message = "Each allowed_cidr_blocks entry must be an IPv4 CIDR a.b.c.d/n, e.g. 10.0.0.0/8."
  }
}

variable "tags" {
  description = "Resource tags applied to all created resources."
  type        = map(string)
  default     = {}
}

variable "vpc_id" {
  description = "VPC the balancer and the nodes run in."
  type        = string
}

variable "vpc_cidr" {
  description = "CIDR block of the VPC; the nodes reach the vector store inside it."
  type        = string
}

variable "public_subnet_ids" {
  description = "Public subnets (>= 2 zones) for an internet-facing balancer."
  type        = list(string)
}

variable "private_subnet_ids" {
  description = "Private subnets (>= 2 zones) for the nodes and for an internal balancer."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) >= 2
    error_message = "private_subnet_ids must span at least two availability zones."
  }
}

variable "domain_name" {
  description = "DNS name of the API; with hosted_zone_id a DNS-validated ACM certificate and an alias record are created."
  type        = string
  default     = ""
}

variable "hosted_zone_id" {
  description = "Route 53 hosted zone that holds domain_name."
  type        = string
  default     = ""
}

variable "certificate_arn" {
  description = "Existing ACM certificate ARN for the HTTPS listener (instead of domain_name + hosted_zone_id)."
  type        = string
  default     = ""
}

variable "container_image" {
  description = "Memory Spine container image, pinned by tag or digest."
  type        = string
  default     = "ghcr.io/chaozcode/memory-spine:1.0.0"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9._/:-]*(:[A-Za-z0-9_][A-Za-z0-9._-]{0,127}|@sha256:[0-9a-f]{64})$", var.container_image)) && !endswith(var.container_image, ":latest")
    error_message = "container_image must be pinned by tag or digest (not :latest), e.g. ghcr.io/org/memory-spine:1.0.0."
  }
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

variable "target_cpu_utilization" {
  description = "Average CPU percentage the Auto Scaling target-tracking policy holds (10 to 90)."
  type        = number
  default     = 60

  validation {
    condition     = floor(var.target_cpu_utilization) == var.target_cpu_utilization && var.target_cpu_utilization >= 10 && var.target_cpu_utilization <= 90
    error_message = "target_cpu_utilization must be a whole number from 10 to 90 (percent)."
  }
}

variable "scale_down_cron" {
  description = "Outside prod, cron (5 fields) at which the API group scales to zero."
  type        = string
  default     = "0 20 * * *"

  validation {
    condition     = length(split(" ", var.scale_down_cron)) == 5
    error_message = "scale_down_cron must be a 5-field cron expression (minute hour day-of-month month day-of-week)."
  }
}

variable "scale_up_cron" {
  description = "Outside prod, cron (5 fields) at which the API group returns to instance_count; weekends stay at zero."
  type        = string
  default     = "0 7 * * 1-5"

  validation {
    condition     = length(split(" ", var.scale_up_cron)) == 5
    error_message = "scale_up_cron must be a 5-field cron expression (minute hour day-of-month month day-of-week)."
  }
}

variable "schedule_time_zone" {
  description = "IANA time zone of the scale schedules."
  type        = string
  default     = "UTC"
}

variable "vector_store_endpoint" {
  description = "Connection endpoint of the vector store, handed to the nodes at boot."
  type        = string
  sensitive   = true
}

variable "database_secret_arn" {
  description = "Secrets Manager secret with the RDS-managed master credentials (pgvector only); the nodes may read it."
  type        = string
  default     = ""
}

variable "kv_url" {
  description = "rediss:// endpoint of the key-value layer (modules/kv-store), handed to the nodes at boot."
  type        = string
  sensitive   = true
}

variable "kv_cluster_mode" {
  description = "Whether the key-value layer runs in cluster mode (clients must speak the cluster protocol)."
  type        = bool
  default     = false
}

variable "vault_aws_auth_path" {
  description = "Mount path of Vault's AWS auth backend (IAM type) the nodes log in with."
  type        = string
  default     = "aws"
}

variable "vault_kv_mount_path" {
  description = "Mount path of the KV v2 engine holding the provider keys; the nodes read <mount>/data/<environment>/openai."
  type        = string
  default     = "secret/ai-providers"
}

variable "data_kms_key_arn" {
  description = "Customer-managed KMS key for the API nodes' root volumes (prod); empty = the AWS-managed EBS key."
  type        = string
  default     = ""

  validation {
    condition     = var.data_kms_key_arn == "" || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]+$", var.data_kms_key_arn))
    error_message = "data_kms_key_arn must be empty or a KMS key ARN."
  }
}
