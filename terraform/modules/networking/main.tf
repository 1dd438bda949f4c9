# The stack's network: a VPC with one public and one private subnet per availability zone, an
# internet gateway, NAT (one gateway per zone in prod, a single shared one elsewhere, trading
# zone-failure resilience for cost) and route tables; or an existing VPC passed through.

locals {
  tags = merge(var.tags, { Service = "memory-spine" })
  name = "memspine-${var.environment}"

  create_vpc         = var.existing_vpc_id == ""
  single_nat_gateway = var.environment != "prod"
  zone_count         = local.create_vpc ? var.availability_zone_count : 0
  nat_gateway_count  = local.create_vpc ? (local.single_nat_gateway ? 1 : var.availability_zone_count) : 0
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
