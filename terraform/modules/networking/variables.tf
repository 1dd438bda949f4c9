variable "environment" {
  description = "Deployment environment, one of dev, staging, prod. Prod gets one NAT gateway per zone, the others share one."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of dev, staging, prod."
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

variable "tags" {
  description = "Resource tags applied to all created resources."
  type        = map(string)
  default     = {}
}
