variable "aws_region" {
  description = "AWS region of the stack (the stack files' aws:region)."
  type        = string
  default     = "us-east-1"
}

variable "environment" {
  description = "Deployment environment, one of dev, staging, prod. Required."
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
    error_message = "enable_tls is true but no certificate source is set: set certificate_arn (existing ACM certificate) or domain_name (+ hosted_zone_id for DNS validation), or set enable_tls to false outside prod."
  }
}

variable "vault_address" {
  description = "HashiCorp Vault address of this environment (https:// outside dev). Required."
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
  description = "Resource tags applied to all created resources; Environment, when set, must equal environment."
  type        = map(string)
  default     = {}

  validation {
    condition     = lookup(var.tags, "Environment", var.environment) == var.environment
    error_message = "The Environment tag must equal the environment variable or be left out."
  }
}

variable "vpc_cidr" {
  description = "CIDR of the VPC created for the stack (ignored when existing_vpc_id is set)."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(regex("^[0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}$", var.vpc_cidr)) && try(cidrhost(var.vpc_cidr, 0) == split("/", var.vpc_cidr)[0] && tonumber(split("/", var.vpc_cidr)[1]) >= 16 && tonumber(split("/", var.vpc_cidr)[1]) <= 22, false)
    error_message = "vpc_cidr must be an IPv4 CIDR with no host bits set and a prefix from /16 to /22, e.g. 10.0.0.0/16."
  }
}

variable "availability_zone_count" {
  description = "Number of availability zones to spread subnets and nodes over (2 to 6)."
  type        = number
  default     = 2

  validation {
    condition     = floor(var.availability_zone_count) == var.availability_zone_count && var.availability_zone_count >= 2 && var.availability_zone_count <= 6
    error_message = "availability_zone_count must be a whole number from 2 to 6 (nodes are spread over at least two zones)."
  }
}

variable "existing_vpc_id" {
  description = "Deploy into this existing VPC instead of creating one (needs both subnet lists)."
  type        = string
  default     = ""

  validation {
    condition     = var.existing_vpc_id == "" || can(regex("^vpc-[0-9a-f]{8,17}$", var.existing_vpc_id))
    error_message = "existing_vpc_id must be empty or a VPC id such as vpc-0123456789abcdef0."
  }
}

variable "existing_public_subnet_ids" {
  description = "Public subnets of the existing VPC, for the load balancer (>= 2 zones)."
  type        = list(string)
  default     = []

  validation {
    condition     = var.existing_vpc_id == "" ? length(var.existing_public_subnet_ids) == 0 : length(var.existing_public_subnet_ids) >= 2 && alltrue([for id in var.existing_public_subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", id))])
    error_message = "existing_public_subnet_ids must list at least two subnet ids (subnet-...) when existing_vpc_id is set, and be empty otherwise."
  }
}

variable "existing_private_subnet_ids" {
  description = "Private subnets of the existing VPC, for nodes and the vector store (>= 2 zones)."
  type        = list(string)
  default     = []

  validation {
    condition     = var.existing_vpc_id == "" ? length(var.existing_private_subnet_ids) == 0 : length(var.existing_private_subnet_ids) >= 2 && alltrue([for id in var.existing_private_subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", id))])
    error_message = "existing_private_subnet_ids must list at least two subnet ids (subnet-...) when existing_vpc_id is set, and be empty otherwise."
  }
}

variable "domain_name" {
  description = "DNS name of the API; with hosted_zone_id a DNS-validated ACM certificate and an alias record are created."
  type        = string
  default     = ""

  validation {
    condition     = var.domain_name == "" || can(regex("^(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.domain_name))
    error_message = "domain_name must be a lower-case DNS name such as memory-spine.example.com."
  }
}

variable "hosted_zone_id" {
  description = "Route 53 hosted zone that holds domain_name."
  type        = string
  default     = ""

  validation {
    condition     = var.hosted_zone_id == "" || (can(regex("^Z[A-Z0-9]{4,32}$", var.hosted_zone_id)) && var.domain_name != "")
    error_message = "hosted_zone_id must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ, and is only used together with domain_name."
  }
}

variable "certificate_arn" {
  description = "Existing ACM certificate ARN for the HTTPS listener (instead of domain_name + hosted_zone_id)."
  type        = string
  default     = ""

  validation {
    condition     = var.certificate_arn == "" || can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]{36}$", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN arn:aws:acm:<region>:<account>:certificate/<uuid>."
  }
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
    error_message = "scale_down_cron must be a 5-field cron expression (minute hour day-of-month month day-of-week), e.g. \"0 20 * * *\"."
  }
}

variable "scale_up_cron" {
  description = "Outside prod, cron (5 fields) at which the API group returns to instance_count; weekends stay at zero."
  type        = string
  default     = "0 7 * * 1-5"

  validation {
    condition     = length(split(" ", var.scale_up_cron)) == 5
    error_message = "scale_up_cron must be a 5-field cron expression (minute hour day-of-month month day-of-week), e.g. \"0 7 * * 1-5\"."
  }
}

variable "schedule_time_zone" {
  description = "IANA time zone of the scale schedules."
  type        = string
  default     = "UTC"

  validation {
    condition     = can(regex("^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$", var.schedule_time_zone))
    error_message = "schedule_time_zone must be an IANA time zone such as UTC or Europe/Berlin."
  }
}

variable "off_hours_stores" {
  description = "Outside prod, stop the vector store (RDS instance, Qdrant instances) after the API nodes scale down and start it before they scale up (EventBridge Scheduler). Must be false in prod, which never stops. Default per environment (components/environment-defaults.json): dev true, staging true, prod false."
  type        = bool
  default     = null

  # null = the environment's default (terraform/stack/environment-defaults.tf). Terraform 1.11
  # evaluates both operands of || and &&, so every null guard below is a conditional.
  validation {
    condition     = var.off_hours_stores == null ? true : !(var.off_hours_stores && var.environment == "prod")
    error_message = "off_hours_stores: prod never stops its stores: leave it out of the prod tfvars (prod's default is false) or set it to false."
  }
}

variable "off_hours_store_margin_minutes" {
  description = "Minutes (5 to 120) by which the stores start before the API nodes scale up and stop after they scale down."
  type        = number
  default     = 15

  validation {
    condition     = floor(var.off_hours_store_margin_minutes) == var.off_hours_store_margin_minutes && var.off_hours_store_margin_minutes >= 5 && var.off_hours_store_margin_minutes <= 120
    error_message = "off_hours_store_margin_minutes must be a whole number from 5 to 120 (minutes)."
  }
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

variable "qdrant_node_count" {
  description = "Qdrant nodes, 1 or an odd number from 3 to 9; more than 1 runs Qdrant's distributed mode, one node per private subnet and zone, behind an internal Network Load Balancer. Default per environment (components/environment-defaults.json): dev 1, staging 1, prod 3."
  type        = number
  default     = null

  validation {
    condition     = var.qdrant_node_count == null ? true : contains([1, 3, 5, 7, 9], var.qdrant_node_count)
    error_message = "qdrant_node_count must be 1, 3, 5, 7 or 9 (1 = a single node; Qdrant's consensus needs a majority, so a cluster has an odd number of nodes and 2 would survive no loss)."
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

variable "db_backup_window" {
  description = "Daily automated-backup window of the pgvector database (UTC, hh24:mi-hh24:mi). With off_hours_stores it must fall inside the hours the database runs (RDS backs up no stopped instance)."
  type        = string
  default     = "03:00-04:00"

  validation {
    condition     = can(regex("^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$", var.db_backup_window))
    error_message = "db_backup_window must be a daily UTC window, hh24:mi-hh24:mi, e.g. 12:00-12:30."
  }
}

variable "db_maintenance_window" {
  description = "Weekly maintenance window of the pgvector database (UTC, ddd:hh24:mi-ddd:hh24:mi). With off_hours_stores it must fall inside the hours the database runs (RDS drops pending maintenance when it stops)."
  type        = string
  default     = "sun:04:30-sun:05:30"

  validation {
    condition     = can(regex("^(sun|mon|tue|wed|thu|fri|sat):([01][0-9]|2[0-3]):[0-5][0-9]-(sun|mon|tue|wed|thu|fri|sat):([01][0-9]|2[0-3]):[0-5][0-9]$", var.db_maintenance_window))
    error_message = "db_maintenance_window must be a weekly UTC window, ddd:hh24:mi-ddd:hh24:mi, e.g. wed:12:30-wed:13:00."
  }
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

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9_/-]*[a-z0-9])?$", var.vault_approle_backend_path))
    error_message = "vault_approle_backend_path must be a Vault auth mount path such as approle (no leading or trailing slash)."
  }
}

variable "vault_aws_auth_path" {
  description = "Mount path of Vault's AWS auth backend (IAM type) the nodes log in with."
  type        = string
  default     = "aws"

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9_/-]*[a-z0-9])?$", var.vault_aws_auth_path))
    error_message = "vault_aws_auth_path must be a Vault auth mount path such as aws (no leading or trailing slash)."
  }
}

variable "openai_api_key" {
  description = "Optional OpenAI API key written to Vault at creation (export TF_VAR_openai_api_key, never a tfvars file); empty = write it yourself with vault kv put."
  type        = string
  default     = ""
  sensitive   = true
}

variable "openai_org_id" {
  description = "Optional OpenAI organization id, stored with the API key."
  type        = string
  default     = ""
  sensitive   = true

  validation {
    condition     = nonsensitive(var.openai_org_id == "" || var.openai_api_key != "")
    error_message = "openai_org_id is only used together with openai_api_key; set both or neither."
  }
}

variable "alert_emails" {
  description = "E-mail addresses subscribed to the environment's alarm topic (each confirms once)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for e in var.alert_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "alert_emails must be a list of e-mail addresses."
  }
}

variable "pager_endpoint" {
  description = "Optional https:// pager integration (e.g. PagerDuty's SNS endpoint) subscribed to the alarm topic; set it in prod so alarms page."
  type        = string
  default     = ""

  validation {
    condition     = var.pager_endpoint == "" || can(regex("^https://[^\\s/]+\\.[^\\s]+$", var.pager_endpoint))
    error_message = "pager_endpoint must be empty or an https:// URL."
  }
}

variable "alarm_server_error_count" {
  description = "Alarm when the targets or the balancer answer more than this many 5xx responses in 5 minutes (twice in a row)."
  type        = number
  default     = 10

  validation {
    condition     = floor(var.alarm_server_error_count) == var.alarm_server_error_count && var.alarm_server_error_count >= 1 && var.alarm_server_error_count <= 100000
    error_message = "alarm_server_error_count must be a whole number from 1 to 100000."
  }
}

variable "alarm_latency_ms" {
  description = "Alarm when the p95 target response time stays above this many milliseconds."
  type        = number
  default     = 1000

  validation {
    condition     = floor(var.alarm_latency_ms) == var.alarm_latency_ms && var.alarm_latency_ms >= 10 && var.alarm_latency_ms <= 60000
    error_message = "alarm_latency_ms must be a whole number from 10 to 60000."
  }
}

variable "alarm_cpu_percent" {
  description = "Alarm when the API nodes' average CPU percentage stays above this although the group scales out."
  type        = number
  default     = 85

  validation {
    condition     = floor(var.alarm_cpu_percent) == var.alarm_cpu_percent && var.alarm_cpu_percent >= 10 && var.alarm_cpu_percent <= 100
    error_message = "alarm_cpu_percent must be a whole number from 10 to 100."
  }
}

variable "alarm_db_cpu_percent" {
  description = "pgvector only; alarm when the database CPU percentage stays above this."
  type        = number
  default     = 80

  validation {
    condition     = floor(var.alarm_db_cpu_percent) == var.alarm_db_cpu_percent && var.alarm_db_cpu_percent >= 10 && var.alarm_db_cpu_percent <= 100
    error_message = "alarm_db_cpu_percent must be a whole number from 10 to 100."
  }
}

variable "alarm_db_free_storage_gb" {
  description = "pgvector only; alarm when the database's free storage falls below this many GB."
  type        = number
  default     = 10

  validation {
    condition     = floor(var.alarm_db_free_storage_gb) == var.alarm_db_free_storage_gb && var.alarm_db_free_storage_gb >= 1 && var.alarm_db_free_storage_gb <= 65536
    error_message = "alarm_db_free_storage_gb must be a whole number from 1 to 65536."
  }
}

variable "alarm_db_connections" {
  description = "pgvector only; alarm when the database holds more than this many connections."
  type        = number
  default     = 100

  validation {
    condition     = floor(var.alarm_db_connections) == var.alarm_db_connections && var.alarm_db_connections >= 1 && var.alarm_db_connections <= 100000
    error_message = "alarm_db_connections must be a whole number from 1 to 100000."
  }
}

variable "enable_grafana" {
  description = "Create an Amazon Managed Grafana workspace over the Prometheus workspace (prod only)."
  type        = bool
  default     = false

  validation {
    condition     = !var.enable_grafana || var.environment == "prod"
    error_message = "enable_grafana: a Managed Grafana workspace is created in prod only."
  }
}

variable "monthly_budget_usd" {
  description = "Monthly AWS Budget limit in USD; 0 = the environment's budget in the policy pack's config (policy-pack/config/<env>.json, monthly-cost-estimate)."
  type        = number
  default     = 0

  validation {
    condition     = floor(var.monthly_budget_usd) == var.monthly_budget_usd && var.monthly_budget_usd >= 0 && var.monthly_budget_usd <= 10000000
    error_message = "monthly_budget_usd must be a whole number from 0 to 10000000 (0 = the policy pack budget)."
  }
}

variable "budget_emails" {
  description = "E-mail addresses notified directly by the AWS Budget (besides the alarm topic)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for e in var.budget_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "budget_emails must be a list of e-mail addresses."
  }
}

variable "kv_node_type" {
  description = "ElastiCache node type of the Valkey key-value layer (cache.<family>.<size>). Default per environment (components/environment-defaults.json): dev cache.t4g.micro, staging cache.t4g.small, prod cache.r7g.large."
  type        = string
  default     = null

  validation {
    condition     = var.kv_node_type == null ? true : contains(["t3", "t4g", "m5", "m6g", "m7g", "r5", "r6g", "r7g", "c7gn"], try(regex("^cache\\.([a-z0-9]+)\\.(micro|small|medium|large|[0-9]*xlarge)$", var.kv_node_type)[0], ""))
    error_message = "kv_node_type must be an ElastiCache node type cache.<family>.<size> of a family t3, t4g, m5, m6g, m7g, r5, r6g, r7g, c7gn, e.g. cache.r7g.large."
  }
}

variable "kv_replicas" {
  description = "Read replicas per shard of the key-value layer (0 to 5; at least 1 in prod, where Multi-AZ fails over to one). Default per environment (components/environment-defaults.json): dev 0, staging 1, prod 2."
  type        = number
  default     = null

  validation {
    condition     = var.kv_replicas == null ? true : (floor(var.kv_replicas) == var.kv_replicas && var.kv_replicas >= 0 && var.kv_replicas <= 5)
    error_message = "kv_replicas must be a whole number of replicas per shard from 0 to 5."
  }

  validation {
    condition     = var.kv_replicas == null ? true : (var.environment != "prod" || var.kv_replicas >= 1)
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
