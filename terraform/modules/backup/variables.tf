variable "environment" {
  description = "Deployment environment with AWS Backup: staging (daily, 7 days) or prod (daily 35 days, monthly 365 days)."
  type        = string

  validation {
    condition     = contains(["staging", "prod"], var.environment)
    error_message = "environment must be staging or prod: dev has no AWS Backup."
  }
}

variable "resource_arns" {
  description = "ARNs of every data volume and database of the stack (the vector store's backup_resource_arns)."
  type        = list(string)

  validation {
    condition     = length(var.resource_arns) > 0
    error_message = "resource_arns must name at least one volume or database."
  }
}

variable "alert_topic_arn" {
  description = "The environment's alert topic (monitoring module): failed backup jobs are sent there."
  type        = string
}

variable "tags" {
  description = "Resource tags applied to all created resources."
  type        = map(string)
  default     = {}
}
