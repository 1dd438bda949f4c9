variable "environment" {
  description = "Deployment environment, one of dev, staging, prod."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of dev, staging, prod."
  }
}

variable "load_balancer_arn_suffix" {
  description = "ARN suffix of the API's load balancer (LoadBalancer metric dimension)."
  type        = string
}

variable "target_group_arn_suffix" {
  description = "ARN suffix of the API's target group (TargetGroup metric dimension)."
  type        = string
}

variable "autoscaling_group_name" {
  description = "Name of the API nodes' Auto Scaling group."
  type        = string
}

variable "node_role_name" {
  description = "The API nodes' IAM role: gets aps:RemoteWrite on the Prometheus workspace."
  type        = string
}

variable "vector_store_engine" {
  description = "Vector store backend, qdrant (EC2 + EBS) or pgvector (RDS PostgreSQL)."
  type        = string

  validation {
    condition     = contains(["qdrant", "pgvector"], var.vector_store_engine)
    error_message = "vector_store_engine must be qdrant or pgvector."
  }
}

variable "qdrant_instance_ids" {
  description = "qdrant only: the Qdrant nodes' instance ids in node order; each gets a status-check and a data-volume alarm."
  type        = list(string)
  default     = []
}

variable "kv_replication_group_id" {
  description = "The key-value layer's replication group id (modules/kv-store), for the dashboard; empty = no cache widget."
  type        = string
  default     = ""
}

variable "kv_member_cluster_ids" {
  description = "Ids of the key-value layer's nodes (modules/kv-store, known at plan time): one set of alarms per node."
  type        = list(string)
  default     = []
}

variable "kv_replicas" {
  description = "Replicas per shard of the key-value layer: replication lag is watched only when there are replicas."
  type        = number
}

variable "alert_emails" {
  description = "E-mail addresses subscribed to the alarm topic."
  type        = list(string)
  default     = []
}

variable "pager_endpoint" {
  description = "Optional https:// pager integration subscribed to the alarm topic."
  type        = string
  default     = ""
}

variable "alarm_server_error_count" {
  description = "Alarm when the targets or the balancer answer more than this many 5xx responses in 5 minutes."
  type        = number
  default     = 10
}

variable "alarm_latency_ms" {
  description = "Alarm when the p95 target response time stays above this many milliseconds."
  type        = number
  default     = 1000
}

variable "alarm_cpu_percent" {
  description = "Alarm when the API nodes' average CPU percentage stays above this."
  type        = number
  default     = 85
}

variable "alarm_db_cpu_percent" {
  description = "pgvector only; alarm when the database CPU percentage stays above this."
  type        = number
  default     = 80
}

variable "alarm_db_free_storage_gb" {
  description = "pgvector only; alarm when the database's free storage falls below this many GB."
  type        = number
  default     = 10
}

variable "alarm_db_connections" {
  description = "pgvector only; alarm when the database holds more than this many connections."
  type        = number
  default     = 100
}

variable "enable_grafana" {
  description = "Create an Amazon Managed Grafana workspace (prod only)."
  type        = bool
  default     = false
}

variable "monthly_budget_usd" {
  description = "Monthly AWS Budget limit in USD (the environment passes the policy pack's number by default)."
  type        = number

  validation {
    condition     = var.monthly_budget_usd > 0
    error_message = "monthly_budget_usd must be positive."
  }
}

variable "budget_emails" {
  description = "E-mail addresses notified directly by the AWS Budget."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Resource tags applied to all created resources."
  type        = map(string)
  default     = {}
}
