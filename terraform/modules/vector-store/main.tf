# The Memory Spine vector store: Qdrant on its own instance with a separate encrypted data volume,
# or RDS PostgreSQL 16+ with pgvector. Reachable from the API nodes' security group only.
#
# Protection in prod: Terraform's lifecycle.prevent_destroy must be a literal, so it cannot be
# switched on for prod alone (and switching it on everywhere would block tearing down dev).
# Instead prod relies on what the resources themselves offer: the database has deletion
# protection and a final snapshot, the Qdrant data volume takes a final snapshot before any
# deletion, and nothing about the API nodes feeds a property that would replace either.

locals {
  tags      = merge(var.tags, { Service = "memory-spine" })
  name      = "memspine-${var.environment}-${var.vector_store_engine}"
  is_prod   = var.environment == "prod"
  is_qdrant = var.vector_store_engine == "qdrant"

  qdrant_http_port = 6333
  qdrant_grpc_port = 6334
  postgres_port    = 5432
  store_ports      = local.is_qdrant ? { "6333" = local.qdrant_http_port, "6334" = local.qdrant_grpc_port } : { "5432" = local.postgres_port }

  backup_retention_days = { dev = 1, staging = 7, prod = 30 }
  postgres_major        = split(".", var.postgres_version)[0]

  qdrant_api_key_parameter = "/memory-spine/${var.environment}/qdrant/api-key"

  # The Qdrant node publishes its data volume's fill level (EC2 reports no disk usage); the
  # monitoring module alarms on the same namespace, metric and Environment dimension.
  disk_metric = { namespace = "MemorySpine/Qdrant", name = "DataVolumeUsedPercent", interval_seconds = 300 }
  qdrant_user_data = {
    environment       = var.environment
    qdrant_version    = var.qdrant_version
    api_key_parameter = local.qdrant_api_key_parameter
    data_volume_id    = local.is_qdrant ? aws_ebs_volume.qdrant_data[0].id : ""
    http_port         = tostring(local.qdrant_http_port)
    grpc_port         = tostring(local.qdrant_grpc_port)

    disk_metric_namespace        = local.disk_metric.namespace
    disk_metric_name             = local.disk_metric.name
    disk_metric_interval_seconds = tostring(local.disk_metric.interval_seconds)
  }

  family_suffix    = try(regex("^[a-z-]+[0-9]+([a-z-]*)$", split(".", var.qdrant_instance_type)[0])[0], "")
  architecture     = strcontains(local.family_suffix, "g") ? "arm64" : "x86_64"
  ami_architecture = local.architecture == "arm64" ? "arm64" : "amd64"
}

data "aws_partition" "current" {}

# ── Security group: store ports from the API nodes only ──────────────────────────────────────

resource "aws_security_group" "store" {
  name_prefix = "${local.name}-"
  description = "Memory Spine ${var.vector_store_engine}: store ports from the API nodes only"
  vpc_id      = var.vpc_id

  tags = merge(local.tags, { Name = local.name })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "store_from_nodes" {
  for_each = local.store_ports

  security_group_id            = aws_security_group.store.id
  description                  = "${var.vector_store_engine} port ${each.value} from the Memory Spine nodes"
  ip_protocol                  = "tcp"
  from_port                    = each.value
  to_port                      = each.value
  referenced_security_group_id = var.node_security_group_id

  tags = merge(local.tags, { Name = "${local.name}-in-${each.key}" })
}

# The Qdrant node installs Docker and pulls its image through NAT (apt mirrors answer on 80).
resource "aws_vpc_security_group_egress_rule" "qdrant_internet" {
  for_each = local.is_qdrant ? { "443" = 443, "80" = 80 } : {}

  security_group_id = aws_security_group.store.id
  description       = each.value == 80 ? "HTTP to package mirrors" : "HTTPS to registries, SSM and AWS APIs"
  ip_protocol       = "tcp"
  from_port         = each.value
  to_port           = each.value
  cidr_ipv4         = "0.0.0.0/0"

  tags = merge(local.tags, { Name = "${local.name}-out-${each.key}" })
}

# ── Qdrant: instance + separate encrypted data volume ────────────────────────────────────────

resource "aws_ssm_parameter" "qdrant_api_key" {
  count = local.is_qdrant ? 1 : 0

  name        = local.qdrant_api_key_parameter
  description = "Qdrant API key, read by the Qdrant node at boot"
  type        = "SecureString"
  value       = var.qdrant_api_key

  tags = merge(local.tags, { Name = "${local.name}-api-key" })
}

data "aws_iam_policy_document" "qdrant_assume_role" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "qdrant" {
  count = local.is_qdrant ? 1 : 0

  name_prefix        = "${local.name}-"
  assume_role_policy = data.aws_iam_policy_document.qdrant_assume_role.json

  tags = merge(local.tags, { Name = "${local.name}-role" })
}

resource "aws_iam_role_policy_attachment" "qdrant_ssm" {
  count = local.is_qdrant ? 1 : 0

  role       = aws_iam_role.qdrant[0].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

data "aws_iam_policy_document" "qdrant_read_api_key" {
  count = local.is_qdrant ? 1 : 0

  statement {
    actions   = ["ssm:GetParameter"]
    resources = [aws_ssm_parameter.qdrant_api_key[0].arn]
  }
}

resource "aws_iam_role_policy" "qdrant_read_api_key" {
  count = local.is_qdrant ? 1 : 0

  name_prefix = "read-qdrant-api-key-"
  role        = aws_iam_role.qdrant[0].id
  policy      = data.aws_iam_policy_document.qdrant_read_api_key[0].json
}

data "aws_iam_policy_document" "qdrant_put_disk_metric" {
  statement {
    actions = ["cloudwatch:PutMetricData"]
    # PutMetricData has no resources: the namespace condition is what limits it.
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = [local.disk_metric.namespace]
    }
  }
}

resource "aws_iam_role_policy" "qdrant_put_disk_metric" {
  count = local.is_qdrant ? 1 : 0

  name_prefix = "put-qdrant-disk-metric-"
  role        = aws_iam_role.qdrant[0].id
  policy      = data.aws_iam_policy_document.qdrant_put_disk_metric.json
}

resource "aws_iam_instance_profile" "qdrant" {
  count = local.is_qdrant ? 1 : 0

  name_prefix = "${local.name}-"
  role        = aws_iam_role.qdrant[0].name

  tags = merge(local.tags, { Name = "${local.name}-profile" })
}

data "aws_subnet" "qdrant" {
  count = local.is_qdrant ? 1 : 0

  id = var.private_subnet_ids[0]
}

data "aws_ami" "ubuntu" {
  count = local.is_qdrant ? 1 : 0

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
}

# The data lives on its own volume so that replacing the instance (new AMI, new type) keeps
# every collection; in prod a snapshot is taken before the volume could ever be deleted.
resource "aws_ebs_volume" "qdrant_data" {
  count = local.is_qdrant ? 1 : 0

  availability_zone = data.aws_subnet.qdrant[0].availability_zone
  size              = var.qdrant_volume_size_gb
  type              = "gp3"
  encrypted         = true
  final_snapshot    = local.is_prod

  tags = merge(local.tags, { Name = "${local.name}-data" })
}

resource "aws_instance" "qdrant" {
  count = local.is_qdrant ? 1 : 0

  ami                         = data.aws_ami.ubuntu[0].id
  instance_type               = var.qdrant_instance_type
  subnet_id                   = var.private_subnet_ids[0]
  vpc_security_group_ids      = [aws_security_group.store.id]
  associate_public_ip_address = false
  iam_instance_profile        = aws_iam_instance_profile.qdrant[0].name
  monitoring                  = true
  user_data_replace_on_change = false
  user_data = templatefile("${path.module}/templates/qdrant-node.sh.tpl", {
    for key, value in local.qdrant_user_data : key => format("'%s'", replace(value, "'", "'\\''"))
  })

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 2
  }

  # Tags go on the root device itself: volume_tags would fight the data volume's own tags.
  root_block_device {
    volume_type           = "gp3"
    volume_size           = 30
    encrypted             = true
    delete_on_termination = true
    tags                  = merge(local.tags, { Name = "${local.name}-root" })
  }

  tags = merge(local.tags, { Name = "${local.name}-node" })

  # A newer Ubuntu image must not replace the running store; it is patched in place.
  lifecycle {
    ignore_changes = [ami]
  }

  depends_on = [aws_ssm_parameter.qdrant_api_key]
}

resource "aws_volume_attachment" "qdrant_data" {
  count = local.is_qdrant ? 1 : 0

  device_name                    = "/dev/sdf"
  volume_id                      = aws_ebs_volume.qdrant_data[0].id
  instance_id                    = aws_instance.qdrant[0].id
  stop_instance_before_detaching = true
}

# ── pgvector: RDS PostgreSQL ─────────────────────────────────────────────────────────────────

resource "aws_db_subnet_group" "pgvector" {
  count = local.is_qdrant ? 0 : 1

  name_prefix = "${local.name}-"
  description = "Memory Spine ${var.environment} pgvector, private subnets"
  subnet_ids  = var.private_subnet_ids

  tags = merge(local.tags, { Name = "${local.name}-subnets" })
}

resource "aws_db_parameter_group" "pgvector" {
  count = local.is_qdrant ? 0 : 1

  name_prefix = "${local.name}-"
  family      = "postgres${local.postgres_major}"
  description = "Memory Spine ${var.environment} pgvector: TLS only, slow-query log"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  parameter {
    name  = "log_min_duration_statement"
    value = "1000"
  }

  tags = merge(local.tags, { Name = "${local.name}-params" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_db_instance" "pgvector" {
  count = local.is_qdrant ? 0 : 1

  identifier                          = local.name
  engine                              = "postgres"
  engine_version                      = var.postgres_version
  instance_class                      = var.db_instance_class
  allocated_storage                   = var.db_allocated_storage_gb
  max_allocated_storage               = 2 * var.db_allocated_storage_gb
  storage_type                        = "gp3"
  storage_encrypted                   = true
  db_name                             = "memoryspine"
  username                            = "memoryspine"
  manage_master_user_password         = true
  db_subnet_group_name                = aws_db_subnet_group.pgvector[0].name
  parameter_group_name                = aws_db_parameter_group.pgvector[0].name
  vpc_security_group_ids              = [aws_security_group.store.id]
  publicly_accessible                 = false
  multi_az                            = local.is_prod
  backup_retention_period             = local.backup_retention_days[var.environment]
  backup_window                       = "03:00-04:00"
  maintenance_window                  = "sun:04:30-sun:05:30"
  deletion_protection                 = local.is_prod
  skip_final_snapshot                 = !local.is_prod
  final_snapshot_identifier           = local.is_prod ? "${local.name}-final" : null
  copy_tags_to_snapshot               = true
  auto_minor_version_upgrade          = true
  allow_major_version_upgrade         = false
  iam_database_authentication_enabled = true
  performance_insights_enabled        = true
  enabled_cloudwatch_logs_exports     = ["postgresql", "upgrade"]
  apply_immediately                   = !local.is_prod

  tags = merge(local.tags, { Name = "${local.name}-db" })
}
