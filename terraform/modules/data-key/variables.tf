variable "environment" {
  description = "Deployment environment, one of dev, staging, prod (the root creates the key in prod)."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of dev, staging, prod."
  }
}

variable "tags" {
  description = "Resource tags applied to all created resources."
  type        = map(string)
  default     = {}
}
