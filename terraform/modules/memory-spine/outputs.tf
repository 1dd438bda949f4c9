output "api_endpoint" {
  description = "Memory Spine API URL: https:// when TLS is on (the domain name when set), http:// otherwise."
  value       = "${var.enable_tls ? "https" : "http"}://${var.enable_tls && var.domain_name != "" ? var.domain_name : aws_lb.this.dns_name}"
}

output "load_balancer_arn" {
  description = "ARN of the Application Load Balancer."
  value       = aws_lb.this.arn
}

output "load_balancer_arn_suffix" {
  description = "ARN suffix of the balancer, the LoadBalancer dimension of its CloudWatch metrics."
  value       = aws_lb.this.arn_suffix
}

output "load_balancer_dns_name" {
  description = "DNS name of the balancer."
  value       = aws_lb.this.dns_name
}

output "target_group_arn_suffix" {
  description = "ARN suffix of the target group, the TargetGroup dimension of its CloudWatch metrics."
  value       = aws_lb_target_group.this.arn_suffix
}

output "autoscaling_group_name" {
  description = "Name of the nodes' Auto Scaling group."
  value       = aws_autoscaling_group.this.name
}

output "node_role_arn" {
  description = "IAM role of the nodes: the principal Vault's AWS auth role is bound to."
  value       = aws_iam_role.node.arn
}

output "node_role_name" {
  description = "Name of the nodes' IAM role."
  value       = aws_iam_role.node.name
}

output "node_security_group_id" {
  description = "Security group attached to Memory Spine nodes."
  value       = aws_security_group.node.id
}

output "balancer_security_group_id" {
  description = "Security group of the load balancer."
  value       = aws_security_group.balancer.id
}

output "certificate_validation_records" {
  description = "DNS records that validate the ACM certificate; create them yourself when hosted_zone_id is not set."
  value = [
    for option in flatten(aws_acm_certificate.api[*].domain_validation_options) : {
      name  = option.resource_record_name
      type  = option.resource_record_type
      value = option.resource_record_value
    }
  ]
}
