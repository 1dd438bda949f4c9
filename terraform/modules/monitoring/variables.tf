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

variable "alert_email" {
  description = "Email address subscribed to the alarm topic; empty = no subscription."
  type        = string
  default     = ""

  validation {
    condition     = var.alert_email == "" || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.alert_email))
    error_message = "alert_email must be empty or an email address."
  }
}

variable "target_5xx_threshold" {
  description = "Alarm when the targets answer more than this many 5xx responses in one evaluation period."
  type        = number
  default     = 10
}

variable "unhealthy_host_threshold" {
  description = "Alarm when more than this many targets are unhealthy."
  type        = number
  default     = 0
}

variable "cpu_threshold" {
  description = "Alarm when the group's average CPU percentage stays above this."
  type        = number
  default     = 85
}

variable "period_seconds" {
  description = "Length of one evaluation period of the alarms, in seconds."
  type        = number
  default     = 300
}

variable "evaluation_periods" {
  description = "Number of consecutive breaching periods before an alarm fires."
  type        = number
  default     = 2
}

variable "tags" {
  description = "Resource tags applied to all created resources."
  type        = map(string)
  default     = {}
}
