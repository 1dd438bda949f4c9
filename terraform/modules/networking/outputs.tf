output "vpc_id" {
  description = "ID of the VPC the stack runs in (created or existing)."
  value       = local.create_vpc ? aws_vpc.this[0].id : var.existing_vpc_id
}

output "vpc_cidr" {
  description = "CIDR block of the VPC."
  value       = local.create_vpc ? aws_vpc.this[0].cidr_block : data.aws_vpc.existing[0].cidr_block
}

output "public_subnet_ids" {
  description = "Public subnets, one per availability zone (load balancer, NAT gateways)."
  value       = local.create_vpc ? aws_subnet.public[*].id : var.existing_public_subnet_ids
}

output "private_subnet_ids" {
  description = "Private subnets, one per availability zone (API nodes, vector store)."
  value       = local.create_vpc ? aws_subnet.private[*].id : var.existing_private_subnet_ids
}

output "nat_gateway_count" {
  description = "Number of NAT gateways created (1 outside prod, one per zone in prod, 0 with an existing VPC)."
  value       = local.nat_gateway_count
}

output "flow_log_group_name" {
  description = "CloudWatch Logs group of the created VPC's flow logs (null with an existing VPC)."
  value       = local.create_vpc ? aws_cloudwatch_log_group.flow_logs[0].name : null
}
