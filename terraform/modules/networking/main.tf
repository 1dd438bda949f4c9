# The stack's network: a VPC with one public and one private subnet per availability zone, an
# internet gateway, NAT (one gateway per zone in prod, a single shared one elsewhere, trading
# zone-failure resilience for cost), route tables and flow logs to CloudWatch Logs; or an
# existing VPC passed through (its flow logs are its owner's).

locals {
  tags = merge(var.tags, { Service = "memory-spine" })
  name = "memspine-${var.environment}"

  create_vpc         = var.existing_vpc_id == ""
  single_nat_gateway = var.environment != "prod"
  zone_count         = local.create_vpc ? var.availability_zone_count : 0
  nat_gateway_count  = local.create_vpc ? (local.single_nat_gateway ? 1 : var.availability_zone_count) : 0

  # Days the flow logs are kept: long enough in prod for an incident review or an audit.
  flow_log_retention_days = { dev = 14, staging = 30, prod = 365 }[var.environment]
}

data "aws_availability_zones" "available" {
  count = local.create_vpc ? 1 : 0

  state = "available"

  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"]
  }

  lifecycle {
    postcondition {
      condition     = length(self.names) >= var.availability_zone_count
      error_message = "availability_zone_count is ${var.availability_zone_count} but the region offers only ${length(self.names)} available zones."
    }
  }
}

data "aws_vpc" "existing" {
  count = local.create_vpc ? 0 : 1

  id = var.existing_vpc_id
}

resource "aws_vpc" "this" {
  count = local.create_vpc ? 1 : 0

  cidr_block           = var.vpc_cidr
  enable_dns_hostnames = true
  enable_dns_support   = true

  tags = merge(local.tags, { Name = "${local.name}-vpc" })
}

# The default security group admits all traffic between its members: strip its rules so that
# nothing can use it by accident (CIS AWS 5.4).
resource "aws_default_security_group" "this" {
  count = local.create_vpc ? 1 : 0

  vpc_id = aws_vpc.this[0].id

  tags = merge(local.tags, { Name = "${local.name}-default-locked" })
}

resource "aws_internet_gateway" "this" {
  count = local.create_vpc ? 1 : 0

  vpc_id = aws_vpc.this[0].id

  tags = merge(local.tags, { Name = "${local.name}-igw" })
}

# /20s (of a /16) from the bottom of the VPC for private subnets, from the middle for public ones.
resource "aws_subnet" "public" {
  count = local.zone_count

  vpc_id                  = aws_vpc.this[0].id
  cidr_block              = cidrsubnet(var.vpc_cidr, 4, 8 + count.index)
  availability_zone       = data.aws_availability_zones.available[0].names[count.index]
  map_public_ip_on_launch = false

  tags = merge(local.tags, { Name = "${local.name}-public-${count.index}", Tier = "public" })
}

resource "aws_subnet" "private" {
  count = local.zone_count

  vpc_id                  = aws_vpc.this[0].id
  cidr_block              = cidrsubnet(var.vpc_cidr, 4, count.index)
  availability_zone       = data.aws_availability_zones.available[0].names[count.index]
  map_public_ip_on_launch = false

  tags = merge(local.tags, { Name = "${local.name}-private-${count.index}", Tier = "private" })
}

resource "aws_route_table" "public" {
  count = local.create_vpc ? 1 : 0

  vpc_id = aws_vpc.this[0].id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.this[0].id
  }

  tags = merge(local.tags, { Name = "${local.name}-public-rt" })
}

resource "aws_route_table_association" "public" {
  count = local.zone_count

  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public[0].id
}

resource "aws_eip" "nat" {
  count = local.nat_gateway_count

  domain = "vpc"

  tags = merge(local.tags, { Name = "${local.name}-nat-eip-${count.index}" })

  depends_on = [aws_internet_gateway.this]
}

resource "aws_nat_gateway" "this" {
  count = local.nat_gateway_count

  allocation_id     = aws_eip.nat[count.index].id
  subnet_id         = aws_subnet.public[count.index].id
  connectivity_type = "public"

  tags = merge(local.tags, { Name = "${local.name}-nat-${count.index}" })

  depends_on = [aws_internet_gateway.this]
}

# One route table per private subnet, so that prod routes each zone through its own NAT gateway.
resource "aws_route_table" "private" {
  count = local.zone_count

  vpc_id = aws_vpc.this[0].id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.this[min(count.index, local.nat_gateway_count - 1)].id
  }

  tags = merge(local.tags, { Name = "${local.name}-private-rt-${count.index}" })
}

resource "aws_route_table_association" "private" {
  count = local.zone_count

  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private[count.index].id
}

# Flow logs of every accepted and rejected connection (AWS Foundational Security Best Practices
# EC2.6), delivered by a role that only this account's flow logs can assume and that may write
# to this group only.
data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

resource "aws_cloudwatch_log_group" "flow_logs" {
  count = local.create_vpc ? 1 : 0

  name              = "/memory-spine/${var.environment}/vpc-flow-logs"
  retention_in_days = local.flow_log_retention_days

  tags = merge(local.tags, { Name = "${local.name}-vpc-flow-logs" })
}

data "aws_iam_policy_document" "flow_logs_assume_role" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["vpc-flow-logs.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${data.aws_partition.current.partition}:ec2:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:vpc-flow-log/*"]
    }
  }
}

resource "aws_iam_role" "flow_logs" {
  count = local.create_vpc ? 1 : 0

  name_prefix        = "${local.name}-flow-logs-"
  description        = "Delivers the Memory Spine ${var.environment} VPC flow logs to CloudWatch Logs"
  assume_role_policy = data.aws_iam_policy_document.flow_logs_assume_role.json

  tags = merge(local.tags, { Name = "${local.name}-vpc-flow-logs" })
}

data "aws_iam_policy_document" "flow_logs_write" {
  count = local.create_vpc ? 1 : 0

  statement {
    sid       = "WriteThisGroup"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = [aws_cloudwatch_log_group.flow_logs[0].arn, "${aws_cloudwatch_log_group.flow_logs[0].arn}:*"]
  }

  # DescribeLogGroups has no resource-level permissions.
  statement {
    sid       = "FindGroups"
    actions   = ["logs:DescribeLogGroups"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "flow_logs" {
  count = local.create_vpc ? 1 : 0

  name   = "write-flow-logs"
  role   = aws_iam_role.flow_logs[0].id
  policy = data.aws_iam_policy_document.flow_logs_write[0].json
}

resource "aws_flow_log" "this" {
  count = local.create_vpc ? 1 : 0

  vpc_id               = aws_vpc.this[0].id
  traffic_type         = "ALL"
  log_destination_type = "cloud-watch-logs"
  log_destination      = aws_cloudwatch_log_group.flow_logs[0].arn
  iam_role_arn         = aws_iam_role.flow_logs[0].arn

  tags = merge(local.tags, { Name = "${local.name}-vpc-flow-log" })
}
