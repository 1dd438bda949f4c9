# The Memory Spine API: nodes from a launch template in an Auto Scaling group across the private
# subnets, behind an Application Load Balancer with a /health-checked target group. The balancer
# and the nodes have separate security groups: clients reach the balancer only, the nodes admit
# the API port from the balancer only. Internet-facing only in prod; every other balancer is
# internal.

locals {
  tags = merge(var.tags, { Service = "memory-spine" })
  name = "memspine-${var.environment}"

  is_prod   = var.environment == "prod"
  internal  = var.environment != "prod"
  api_port  = 8788
  min_size  = local.is_prod ? 2 : 1
  max_size  = 3 * var.instance_count
  node_tags = merge(local.tags, { Name = "${local.name}-node" })

  # Clients reach the balancer on 443 (and on 80, which only redirects) with TLS, on 80 without.
  client_ports = var.enable_tls ? [443, 80] : [80]
  balancer_ingress = {
    for pair in setproduct(local.client_ports, var.allowed_cidr_blocks) : "${pair[0]}-${pair[1]}" => {
      port = pair[0]
      cidr = pair[1]
    }
  }

  # Nodes pull packages (apt mirrors answer on 80) and the image, and reach Vault, SSM and the
  # AWS APIs through NAT; Vault may listen on a port of its own.
  vault_port         = tonumber(coalesce(try(regex("^[a-z]+://[^/:]+:([0-9]+)", var.vault_address)[0], ""), startswith(var.vault_address, "http://") ? "80" : "443"))
  node_egress_ports  = { for port in distinct([443, 80, local.vault_port]) : tostring(port) => port }
  vector_store_ports = var.vector_store_engine == "qdrant" ? { "6333" = 6333, "6334" = 6334 } : { "5432" = 5432 }

  # Graviton families carry a "g" after the generation digit (t4g, m7g, c7gn, r8g).
  family_suffix    = try(regex("^[a-z-]+[0-9]+([a-z-]*)$", split(".", var.instance_type)[0])[0], "")
  architecture     = strcontains(local.family_suffix, "g") ? "arm64" : "x86_64"
  ami_architecture = local.architecture == "arm64" ? "arm64" : "amd64"

  create_certificate   = var.enable_tls && var.certificate_arn == ""
  validate_certificate = local.create_certificate && var.hosted_zone_id != ""
  certificate_arn      = var.enable_tls ? (var.certificate_arn != "" ? var.certificate_arn : (local.validate_certificate ? aws_acm_certificate_validation.api[0].certificate_arn : aws_acm_certificate.api[0].arn)) : ""

  access_logs_enabled = var.environment != "dev"
  access_log_prefix   = "alb"
  access_log_days     = local.is_prod ? 365 : 90

  # Every value reaches the boot script shell-quoted, so config can never break out of it.
  user_data = {
    environment           = var.environment
    vault_address         = var.vault_address
    vault_aws_auth_path   = var.vault_aws_auth_path
    vault_role            = "memory-spine-${var.environment}"
    openai_secret_path    = "${var.vault_kv_mount_path}/data/${var.environment}/openai"
    qdrant_secret_path    = var.vector_store_engine == "qdrant" ? "${var.vault_kv_mount_path}/data/${var.environment}/qdrant" : ""
    kv_secret_path        = "${var.vault_kv_mount_path}/data/${var.environment}/kv"
    kv_url                = var.kv_url
    kv_cluster_mode       = tostring(var.kv_cluster_mode)
    vector_store_engine   = var.vector_store_engine
    vector_store_endpoint = var.vector_store_endpoint
    database_secret_arn   = var.database_secret_arn
    container_image       = var.container_image
    api_port              = tostring(local.api_port)
  }
}

data "aws_partition" "current" {}

data "aws_caller_identity" "current" {}

data "aws_elb_service_account" "current" {}

# ── Security groups ──────────────────────────────────────────────────────────────────────────

resource "aws_security_group" "balancer" {
  name_prefix = "${local.name}-alb-"
  description = "Memory Spine load balancer: clients in, API port to the nodes out"
  vpc_id      = var.vpc_id

  tags = merge(local.tags, { Name = "${local.name}-alb" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_security_group" "node" {
  name_prefix = "${local.name}-node-"
  description = "Memory Spine API nodes: API port from the balancer only"
  vpc_id      = var.vpc_id

  tags = merge(local.tags, { Name = "${local.name}-node" })

  lifecycle {
    create_before_destroy = true
  }
}

# Keyed by port and CIDR, so that reordering allowed_cidr_blocks replaces nothing.
resource "aws_vpc_security_group_ingress_rule" "balancer_clients" {
  for_each = local.balancer_ingress

  security_group_id = aws_security_group.balancer.id
  description       = each.value.port == 80 && var.enable_tls ? "HTTP from ${each.value.cidr}, redirected to HTTPS" : "${each.value.port == 443 ? "HTTPS" : "HTTP"} from ${each.value.cidr}"
  ip_protocol       = "tcp"
  from_port         = each.value.port
  to_port           = each.value.port
  cidr_ipv4         = each.value.cidr

  tags = merge(local.tags, { Name = "${local.name}-alb-in-${each.key}" })
}

resource "aws_vpc_security_group_egress_rule" "balancer_to_nodes" {
  security_group_id            = aws_security_group.balancer.id
  description                  = "API port to the Memory Spine nodes"
  ip_protocol                  = "tcp"
  from_port                    = local.api_port
  to_port                      = local.api_port
  referenced_security_group_id = aws_security_group.node.id

  tags = merge(local.tags, { Name = "${local.name}-alb-out-api" })
}

resource "aws_vpc_security_group_ingress_rule" "node_from_balancer" {
  security_group_id            = aws_security_group.node.id
  description                  = "API port from the load balancer only"
  ip_protocol                  = "tcp"
  from_port                    = local.api_port
  to_port                      = local.api_port
  referenced_security_group_id = aws_security_group.balancer.id

  tags = merge(local.tags, { Name = "${local.name}-node-in-api" })
}

resource "aws_vpc_security_group_egress_rule" "node_internet" {
  for_each = local.node_egress_ports

  security_group_id = aws_security_group.node.id
  description       = each.value == 80 ? "HTTP to package mirrors" : each.value == 443 ? "HTTPS to registries, Vault, SSM and AWS APIs" : "Vault API"
  ip_protocol       = "tcp"
  from_port         = each.value
  to_port           = each.value
  cidr_ipv4         = "0.0.0.0/0"

  tags = merge(local.tags, { Name = "${local.name}-node-out-${each.key}" })
}

resource "aws_vpc_security_group_egress_rule" "node_vector_store" {
  for_each = local.vector_store_ports

  security_group_id = aws_security_group.node.id
  description       = "${var.vector_store_engine} port ${each.value} to the vector store inside the VPC"
  ip_protocol       = "tcp"
  from_port         = each.value
  to_port           = each.value
  cidr_ipv4         = var.vpc_cidr

  tags = merge(local.tags, { Name = "${local.name}-node-out-${var.vector_store_engine}-${each.key}" })
}

# ── Node identity: SSM Session Manager instead of SSH; Vault's AWS auth binds to this role ───

data "aws_iam_policy_document" "node_assume_role" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "node" {
  name_prefix        = "${local.name}-node-"
  description        = "Memory Spine ${var.environment} API nodes"
  assume_role_policy = data.aws_iam_policy_document.node_assume_role.json

  tags = merge(local.tags, { Name = "${local.name}-node-role" })
}

resource "aws_iam_role_policy_attachment" "node" {
  for_each = toset(["AmazonSSMManagedInstanceCore", "CloudWatchAgentServerPolicy"])

  role       = aws_iam_role.node.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/${each.value}"
}

data "aws_iam_policy_document" "node_database_secret" {
  count = var.vector_store_engine == "pgvector" ? 1 : 0

  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [var.database_secret_arn]
  }
}

resource "aws_iam_role_policy" "node_database_secret" {
  count = var.vector_store_engine == "pgvector" ? 1 : 0

  name_prefix = "read-db-credentials-"
  role        = aws_iam_role.node.id
  policy      = data.aws_iam_policy_document.node_database_secret[0].json
}

resource "aws_iam_instance_profile" "node" {
  name_prefix = "${local.name}-node-"
  role        = aws_iam_role.node.name

  tags = merge(local.tags, { Name = "${local.name}-node-profile" })
}

# ── Launch template ──────────────────────────────────────────────────────────────────────────

data "aws_ami" "ubuntu" {
  most_recent = true
  owners      = ["099720109477"]

  filter {
    name   = "name"
    values = ["ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-${local.ami_architecture}-server-${var.ubuntu_ami_release == "" ? "*" : var.ubuntu_ami_release}"]
  }

  filter {
    name   = "virtualization-type"
    values = ["hvm"]
  }

  filter {
    name   = "architecture"
    values = [local.architecture]
  }

  filter {
    name   = "root-device-type"
    values = ["ebs"]
  }
}

resource "aws_launch_template" "this" {
  name_prefix            = "${local.name}-"
  description            = "Memory Spine ${var.environment} API node"
  image_id               = data.aws_ami.ubuntu.id
  instance_type          = var.instance_type
  update_default_version = true
  user_data              = base64encode(templatefile("${path.module}/templates/user-data.sh.tpl", { for key, value in local.user_data : key => format("'%s'", replace(value, "'", "'\\''")) }))

  iam_instance_profile {
    arn = aws_iam_instance_profile.node.arn
  }

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 2
    instance_metadata_tags      = "disabled"
  }

  network_interfaces {
    associate_public_ip_address = false
    delete_on_termination       = true
    security_groups             = [aws_security_group.node.id]
  }

  block_device_mappings {
    device_name = "/dev/sda1"

    ebs {
      volume_size           = local.is_prod ? 200 : 50
      volume_type           = "gp3"
      encrypted             = true
      kms_key_id            = var.data_kms_key_arn == "" ? null : var.data_kms_key_arn
      delete_on_termination = true
    }
  }

  monitoring {
    enabled = true
  }

  tag_specifications {
    resource_type = "instance"
    tags          = local.node_tags
  }

  tag_specifications {
    resource_type = "volume"
    tags          = local.node_tags
  }

  tag_specifications {
    resource_type = "network-interface"
    tags          = local.node_tags
  }

  tags = merge(local.tags, { Name = "${local.name}-lt" })
}

# ── Load balancer ────────────────────────────────────────────────────────────────────────────

resource "aws_lb" "this" {
  name                       = local.name
  load_balancer_type         = "application"
  internal                   = local.internal
  security_groups            = [aws_security_group.balancer.id]
  subnets                    = local.internal ? var.private_subnet_ids : var.public_subnet_ids
  drop_invalid_header_fields = true
  enable_deletion_protection = local.is_prod
  idle_timeout               = 60

  dynamic "access_logs" {
    for_each = local.access_logs_enabled ? [local.access_log_prefix] : []

    content {
      bucket  = aws_s3_bucket.access_logs[0].id
      prefix  = access_logs.value
      enabled = true
    }
  }

  tags = merge(local.tags, { Name = "${local.name}-alb" })

  # AWS checks that it may write to the bucket when access logging is switched on.
  depends_on = [aws_s3_bucket_policy.access_logs]
}

resource "aws_lb_target_group" "this" {
  name                 = "${local.name}-tg"
  port                 = local.api_port
  protocol             = "HTTP"
  target_type          = "instance"
  vpc_id               = var.vpc_id
  deregistration_delay = 30

  health_check {
    enabled             = true
    path                = "/health"
    port                = "traffic-port"
    protocol            = "HTTP"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
    matcher             = "200"
  }

  tags = merge(local.tags, { Name = "${local.name}-tg" })
}

resource "aws_lb_listener" "https" {
  count = var.enable_tls ? 1 : 0

  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = local.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this.arn
  }

  tags = merge(local.tags, { Name = "${local.name}-https" })
}

resource "aws_lb_listener" "http_redirect" {
  count = var.enable_tls ? 1 : 0

  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"

    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }

  tags = merge(local.tags, { Name = "${local.name}-http-redirect" })
}

resource "aws_lb_listener" "http" {
  count = var.enable_tls ? 0 : 1

  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this.arn
  }

  tags = merge(local.tags, { Name = "${local.name}-http" })

  lifecycle {
    precondition {
      condition     = local.internal
      error_message = "enable_tls = false is only allowed on an internal balancer: plain HTTP is never served to the internet."
    }
  }
}

# ── TLS certificate (when no certificate_arn is given) and DNS ───────────────────────────────

resource "aws_acm_certificate" "api" {
  count = local.create_certificate ? 1 : 0

  domain_name       = var.domain_name
  validation_method = "DNS"
  key_algorithm     = "RSA_2048"

  tags = merge(local.tags, { Name = "${local.name}-cert" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_route53_record" "certificate_validation" {
  for_each = {
    for option in flatten(aws_acm_certificate.api[*].domain_validation_options) : option.domain_name => option
    if local.validate_certificate
  }

  zone_id         = var.hosted_zone_id
  name            = each.value.resource_record_name
  type            = each.value.resource_record_type
  records         = [each.value.resource_record_value]
  ttl             = 300
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "api" {
  count = local.validate_certificate ? 1 : 0

  certificate_arn         = aws_acm_certificate.api[0].arn
  validation_record_fqdns = [for record in aws_route53_record.certificate_validation : record.fqdn]
}

resource "aws_route53_record" "api_alias" {
  count = var.enable_tls && var.domain_name != "" && var.hosted_zone_id != "" ? 1 : 0

  zone_id = var.hosted_zone_id
  name    = var.domain_name
  type    = "A"

  alias {
    name                   = aws_lb.this.dns_name
    zone_id                = aws_lb.this.zone_id
    evaluate_target_health = true
  }
}

# ── Access logs (staging and prod): SSE-S3, because ELB log delivery cannot use KMS keys ─────

resource "aws_s3_bucket" "access_logs" {
  count = local.access_logs_enabled ? 1 : 0

  bucket_prefix = "${local.name}-alb-logs-"
  force_destroy = !local.is_prod

  tags = merge(local.tags, { Name = "${local.name}-alb-logs" })
}

resource "aws_s3_bucket_ownership_controls" "access_logs" {
  count = local.access_logs_enabled ? 1 : 0

  bucket = aws_s3_bucket.access_logs[0].id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "access_logs" {
  count = local.access_logs_enabled ? 1 : 0

  bucket                  = aws_s3_bucket.access_logs[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "access_logs" {
  count = local.access_logs_enabled ? 1 : 0

  bucket = aws_s3_bucket.access_logs[0].id

  rule {
    bucket_key_enabled = false

    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_versioning" "access_logs" {
  count = local.access_logs_enabled ? 1 : 0

  bucket = aws_s3_bucket.access_logs[0].id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "access_logs" {
  count = local.access_logs_enabled ? 1 : 0

  bucket = aws_s3_bucket.access_logs[0].id

  rule {
    id     = "expire-access-logs"
    status = "Enabled"

    filter {
      prefix = "${local.access_log_prefix}/"
    }

    expiration {
      days = local.access_log_days
    }

    noncurrent_version_expiration {
      noncurrent_days = 7
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
}

# Regions older than August 2022 deliver logs from a regional ELB account, newer ones from the
# log-delivery service principal; granting both works in every region.
data "aws_iam_policy_document" "access_logs" {
  count = local.access_logs_enabled ? 1 : 0

  statement {
    sid       = "AllowElbLogDeliveryAccount"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.access_logs[0].arn}/${local.access_log_prefix}/AWSLogs/${data.aws_caller_identity.current.account_id}/*"]

    principals {
      type        = "AWS"
      identifiers = [data.aws_elb_service_account.current.arn]
    }
  }

  statement {
    sid       = "AllowElbLogDeliveryService"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.access_logs[0].arn}/${local.access_log_prefix}/AWSLogs/${data.aws_caller_identity.current.account_id}/*"]

    principals {
      type        = "Service"
      identifiers = ["logdelivery.elasticloadbalancing.amazonaws.com"]
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.access_logs[0].arn, "${aws_s3_bucket.access_logs[0].arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "access_logs" {
  count = local.access_logs_enabled ? 1 : 0

  bucket = aws_s3_bucket.access_logs[0].id
  policy = data.aws_iam_policy_document.access_logs[0].json

  depends_on = [aws_s3_bucket_public_access_block.access_logs]
}

# ── Auto Scaling group ───────────────────────────────────────────────────────────────────────

resource "aws_autoscaling_group" "this" {
  name                      = local.name
  desired_capacity          = var.instance_count
  min_size                  = local.min_size
  max_size                  = local.max_size
  vpc_zone_identifier       = var.private_subnet_ids
  target_group_arns         = [aws_lb_target_group.this.arn]
  health_check_type         = "ELB"
  health_check_grace_period = 300
  default_instance_warmup   = 300
  enabled_metrics           = ["GroupDesiredCapacity", "GroupInServiceInstances", "GroupPendingInstances", "GroupTerminatingInstances", "GroupTotalInstances"]

  # A version number, not "$Latest": a new template version changes the group, which is what
  # starts the instance refresh below.
  launch_template {
    id      = aws_launch_template.this.id
    version = aws_launch_template.this.latest_version
  }

  # Launch before terminating (max 200 %), so capacity never drops, even with a single node.
  instance_refresh {
    strategy = "Rolling"

    preferences {
      min_healthy_percentage = 100
      max_healthy_percentage = 200
      auto_rollback          = true
    }
  }

  dynamic "tag" {
    for_each = local.node_tags

    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = true
    }
  }

  # Target tracking and the off-hours schedule move the desired count at run time; an apply must
  # not snap it back (instance_count still sets the launch size and the bounds).
  lifecycle {
    ignore_changes = [desired_capacity]
  }
}

resource "aws_autoscaling_policy" "cpu_target" {
  name                      = "${local.name}-cpu-target"
  autoscaling_group_name    = aws_autoscaling_group.this.name
  policy_type               = "TargetTrackingScaling"
  estimated_instance_warmup = 300

  target_tracking_configuration {
    target_value = var.target_cpu_utilization

    predefined_metric_specification {
      predefined_metric_type = "ASGAverageCPUUtilization"
    }
  }
}

# Outside prod the group sleeps off-hours: to zero at scale_down_cron, back at scale_up_cron.
resource "aws_autoscaling_schedule" "scale_down" {
  count = local.is_prod ? 0 : 1

  scheduled_action_name  = "${local.name}-scale-down"
  autoscaling_group_name = aws_autoscaling_group.this.name
  recurrence             = var.scale_down_cron
  time_zone              = var.schedule_time_zone
  min_size               = 0
  max_size               = local.max_size
  desired_capacity       = 0
}

resource "aws_autoscaling_schedule" "scale_up" {
  count = local.is_prod ? 0 : 1

  scheduled_action_name  = "${local.name}-scale-up"
  autoscaling_group_name = aws_autoscaling_group.this.name
  recurrence             = var.scale_up_cron
  time_zone              = var.schedule_time_zone
  min_size               = local.min_size
  max_size               = local.max_size
  desired_capacity       = var.instance_count
}
