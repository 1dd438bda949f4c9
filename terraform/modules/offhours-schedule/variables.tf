variable "environment" {
  description = "Deployment environment: dev or staging. Prod never stops its stores."
  type        = string

  validation {
    condition     = contains(["dev", "staging"], var.environment)
    error_message = "environment must be dev or staging: prod never stops its stores."
  }
}

variable "scale_down_cron" {
  description = "The API group's scale-down cron (5 fields, one minute and one hour value); the stores stop margin_minutes later."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{1,2} [0-9]{1,2} \\* \\* [0-9A-Za-z*,-]+$", var.scale_down_cron))
    error_message = "scale_down_cron must be a weekly cron with one minute and one hour value, e.g. \"0 20 * * *\", for the stores' schedule to be derived from it."
  }
}

variable "scale_up_cron" {
  description = "The API group's scale-up cron (5 fields, one minute and one hour value); the stores start margin_minutes earlier."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{1,2} [0-9]{1,2} \\* \\* [0-9A-Za-z*,-]+$", var.scale_up_cron))
    error_message = "scale_up_cron must be a weekly cron with one minute and one hour value, e.g. \"0 7 * * 1-5\", for the stores' schedule to be derived from it."
  }
}

variable "schedule_time_zone" {
  description = "IANA time zone of the API group's schedules; the stores' schedules use the same."
  type        = string
  default     = "UTC"
}

variable "margin_minutes" {
  description = "Minutes (5 to 120) by which the stores start before the API nodes scale up and stop after they scale down."
  type        = number
  default     = 15

  validation {
    condition     = floor(var.margin_minutes) == var.margin_minutes && var.margin_minutes >= 5 && var.margin_minutes <= 120
    error_message = "margin_minutes must be a whole number from 5 to 120 (minutes)."
  }
}

variable "database_identifier" {
  description = "Identifier of the RDS instance to stop and start; empty for none."
  type        = string
  default     = ""
}

variable "database_arn" {
  description = "ARN of that RDS instance (the only database the role may stop and start); empty for none."
  type        = string
  default     = ""
}

variable "instance_ids" {
  description = "EC2 instances that hold state and may stop (the Qdrant nodes); empty for none."
  type        = list(string)
  default     = []
}

variable "volume_kms_key_arns" {
  description = "Customer managed KMS keys of those instances' EBS volumes: starting them needs a grant on the key."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags for every taggable resource (the schedule group and the role)."
  type        = map(string)
  default     = {}
}
