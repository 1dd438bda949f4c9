# Plans the networking module with each environment's settings against the real AWS provider,
# without credentials and without calling AWS: the provider never validates or looks up anything,
# and every data source that would call an AWS API is overridden. Run from the module directory:
#   terraform init -backend=false && terraform test
# The variables of each run are the values of terraform/environments/<env>/terraform.tfvars
# (tests/terraform/tftest.test.ts checks that they agree).

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "offline-test"
  secret_key                  = "offline-test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

override_data {
  target = data.aws_availability_zones.available
  values = {
    names    = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"]
    zone_ids = ["use1-az1", "use1-az2", "use1-az4", "use1-az6"]
  }
}

override_data {
  target = data.aws_caller_identity.current
  values = {
    account_id = "123456789012"
  }
}

run "dev" {
  command = plan

  variables {
    environment = "dev"
    vpc_cidr    = "10.10.0.0/16"
    tags        = { Environment = "dev", Team = "platform-engineering", CostCenter = "engineering" }
  }

  assert {
    condition     = length(aws_subnet.private) == 2 && length(aws_subnet.public) == 2
    error_message = "dev spreads over the default two zones: one public and one private subnet each."
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 1
    error_message = "Outside prod one NAT gateway is shared by every zone."
  }

  assert {
    condition     = alltrue([for s in concat(aws_subnet.public, aws_subnet.private) : s.map_public_ip_on_launch == false])
    error_message = "No subnet gives instances a public IP."
  }

  assert {
    condition     = aws_cloudwatch_log_group.flow_logs[0].retention_in_days == 14
    error_message = "dev keeps flow logs 14 days."
  }

  assert {
    condition     = aws_flow_log.this[0].traffic_type == "ALL"
    error_message = "Flow logs record all traffic."
  }
}

run "staging" {
  command = plan

  variables {
    environment = "staging"
    vpc_cidr    = "10.20.0.0/16"
    tags        = { Environment = "staging", Team = "platform-engineering", CostCenter = "engineering" }
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 1 && length(aws_subnet.private) == 2
    error_message = "staging shares one NAT gateway between its two zones."
  }

  assert {
    condition     = aws_cloudwatch_log_group.flow_logs[0].retention_in_days == 30
    error_message = "staging keeps flow logs 30 days."
  }
}

run "prod" {
  command = plan

  variables {
    environment             = "prod"
    vpc_cidr                = "10.30.0.0/16"
    availability_zone_count = 3
    tags                    = { Environment = "prod", Team = "platform-engineering", CostCenter = "infrastructure", Compliance = "soc2" }
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 3 && length(aws_subnet.private) == 3
    error_message = "prod has a NAT gateway and a private subnet in each of its three zones."
  }

  assert {
    condition     = aws_vpc.this[0].cidr_block == "10.30.0.0/16" && aws_subnet.private[0].cidr_block == "10.30.0.0/20"
    error_message = "Subnets are carved from the configured VPC CIDR."
  }

  assert {
    condition     = aws_cloudwatch_log_group.flow_logs[0].retention_in_days == 365
    error_message = "prod keeps flow logs a year."
  }
}
