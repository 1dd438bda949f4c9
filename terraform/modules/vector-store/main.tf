# The Memory Spine vector store: Qdrant (one node, or a cluster of qdrant_node_count nodes, one per
# private subnet and zone, each with its own encrypted data volume, behind an internal Network
# Load Balancer; daily snapshots to S3) or RDS PostgreSQL 16+ with pgvector. Reachable from the API
# nodes' security group only. The Pulumi program's components/vector-store.ts, qdrant-*.ts.
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
  kms_key_id               = var.data_kms_key_arn == "" ? null : var.data_kms_key_arn

  # Topology (components/qdrant-topology.ts): nodes round-robin over the private subnets, peers
  # found by stable names in a private zone, collection defaults in Qdrant's own configuration.
  qdrant_node_count  = local.is_qdrant ? var.qdrant_node_count : 0
  qdrant_clustered   = local.qdrant_node_count > 1
  qdrant_p2p_port    = 6335
  qdrant_peer_zone   = "qdrant.memspine-${var.environment}.internal"
  qdrant_peer_uris   = local.qdrant_clustered ? join(" ", [for i in range(local.qdrant_node_count) : "http://node-${i}.${local.qdrant_peer_zone}:${local.qdrant_p2p_port}"]) : ""
  collection_default = { replication_factor = 2, write_consistency_factor = 1 }
  # A cluster is reached through its load balancer, which admits the API nodes itself.
  direct_store_ports = local.qdrant_clustered ? {} : local.store_ports
  balanced_ports     = local.qdrant_clustered ? { http = local.qdrant_http_port, grpc = local.qdrant_grpc_port } : {}
  health_check       = { path = "/readyz", port = "6333", interval_seconds = 10, healthy_threshold = 2, unhealthy_threshold = 2 }

  # Qdrant snapshots in S3 are kept as long as the environment's backups (components/backup-retention.ts).
  snapshot_retention = { dev = { daily = 7, monthly = 0 }, staging = { daily = 7, monthly = 0 }, prod = { daily = 35, monthly = 365 } }[var.environment]
  snapshot_prefixes  = { daily = "daily/", monthly = "monthly/" }

  # The Qdrant node publishes its data volume's fill level (EC2 reports no disk usage); the
  # monitoring module alarms on the same namespace, metric and Environment/Node dimensions.
  disk_metric = { namespace = "MemorySpine/Qdrant", name = "DataVolumeUsedPercent", interval_seconds = 300 }
  # Values every node's boot script shares; each node adds its volume, index and label.
  qdrant_user_data = {
    environment       = var.environment
    qdrant_version    = var.qdrant_version
    api_key_parameter = local.qdrant_api_key_parameter
    http_port         = tostring(local.qdrant_http_port)
    grpc_port         = tostring(local.qdrant_grpc_port)
    p2p_port          = tostring(local.qdrant_p2p_port)
    peer_uris         = local.qdrant_peer_uris

    replication_factor       = tostring(local.collection_default.replication_factor)
    write_consistency_factor = tostring(local.collection_default.write_consistency_factor)
    snapshot_bucket          = local.is_qdrant ? aws_s3_bucket.qdrant_snapshots[0].bucket : ""
    monthly_snapshots        = tostring(local.snapshot_retention.monthly > 0)

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
  for_each = local.direct_store_ports

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

# Node i runs in private subnet i mod n: round-robin over the zones.
data "aws_subnet" "qdrant" {
  count = local.qdrant_node_count

  id = var.private_subnet_ids[count.index % length(var.private_subnet_ids)]
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
  count = local.qdrant_node_count

  availability_zone = data.aws_subnet.qdrant[count.index].availability_zone
  size              = var.qdrant_volume_size_gb
  type              = "gp3"
  encrypted         = true
  kms_key_id        = local.kms_key_id
  final_snapshot    = local.is_prod

  tags = merge(local.tags, { Name = "${local.name}-data-${count.index}", QdrantNode = "qdrant-${count.index}" })
}

resource "aws_instance" "qdrant" {
  count = local.qdrant_node_count

  ami                         = data.aws_ami.ubuntu[0].id
  instance_type               = var.qdrant_instance_type
  subnet_id                   = var.private_subnet_ids[count.index % length(var.private_subnet_ids)]
  vpc_security_group_ids      = [aws_security_group.store.id]
  associate_public_ip_address = false
  iam_instance_profile        = aws_iam_instance_profile.qdrant[0].name
  monitoring                  = true
  user_data_replace_on_change = false
  user_data = templatefile("${path.module}/templates/qdrant-node.sh.tpl", {
    for key, value in merge(local.qdrant_user_data, { data_volume_id = aws_ebs_volume.qdrant_data[count.index].id, node_index = tostring(count.index), node_label = format("qdrant-%d", count.index) }) : key => format("'%s'", replace(value, "'", "'\\''"))
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
    kms_key_id            = local.kms_key_id
    delete_on_termination = true
    tags                  = merge(local.tags, { Name = "${local.name}-root-${count.index}" })
  }

  tags = merge(local.tags, { Name = "${local.name}-node-${count.index}", QdrantNode = "qdrant-${count.index}" })

  # A newer Ubuntu image must not replace the running store; it is patched in place.
  lifecycle {
    ignore_changes = [ami]
  }

  depends_on = [aws_ssm_parameter.qdrant_api_key]
}

resource "aws_volume_attachment" "qdrant_data" {
  count = local.qdrant_node_count

  device_name                    = "/dev/sdf"
  volume_id                      = aws_ebs_volume.qdrant_data[count.index].id
  instance_id                    = aws_instance.qdrant[count.index].id
  stop_instance_before_detaching = true
}

# ── Qdrant cluster: peers, stable names, one load-balanced endpoint ──────────────────────────

# Peers talk to each other on 6335, and only to each other.
resource "aws_vpc_security_group_ingress_rule" "qdrant_peers" {
  count = local.qdrant_clustered ? 1 : 0

  security_group_id            = aws_security_group.store.id
  description                  = "Qdrant peer-to-peer from the other Qdrant nodes"
  ip_protocol                  = "tcp"
  from_port                    = local.qdrant_p2p_port
  to_port                      = local.qdrant_p2p_port
  referenced_security_group_id = aws_security_group.store.id

  tags = merge(local.tags, { Name = "${local.name}-in-${local.qdrant_p2p_port}" })
}

resource "aws_vpc_security_group_egress_rule" "qdrant_peers" {
  count = local.qdrant_clustered ? 1 : 0

  security_group_id            = aws_security_group.store.id
  description                  = "Qdrant peer-to-peer to the other Qdrant nodes"
  ip_protocol                  = "tcp"
  from_port                    = local.qdrant_p2p_port
  to_port                      = local.qdrant_p2p_port
  referenced_security_group_id = aws_security_group.store.id

  tags = merge(local.tags, { Name = "${local.name}-out-${local.qdrant_p2p_port}" })
}

# Stable peer addresses: an A record per node in a private zone of the VPC follows the instance
# when it is replaced, so the peer URIs in Qdrant's consensus state never go stale.
resource "aws_route53_zone" "qdrant_peers" {
  count = local.qdrant_clustered ? 1 : 0

  name          = local.qdrant_peer_zone
  comment       = "Memory Spine ${var.environment}: stable addresses of the Qdrant peers"
  force_destroy = !local.is_prod

  vpc {
    vpc_id = var.vpc_id
  }

  tags = merge(local.tags, { Name = "${local.name}-peers" })
}

resource "aws_route53_record" "qdrant_peer" {
  count = local.qdrant_clustered ? local.qdrant_node_count : 0

  zone_id = aws_route53_zone.qdrant_peers[0].zone_id
  name    = "node-${count.index}.${local.qdrant_peer_zone}"
  type    = "A"
  ttl     = 60
  records = [aws_instance.qdrant[count.index].private_ip]
}

# The balancer's own group admits the API nodes only (an NLB takes a group only at creation);
# the nodes admit the balancer's group, which works with client IP preservation on.
resource "aws_security_group" "qdrant_lb" {
  count = local.qdrant_clustered ? 1 : 0

  name_prefix = "${local.name}-lb-"
  description = "Memory Spine ${var.environment} Qdrant load balancer: Qdrant ports from the API nodes only"
  vpc_id      = var.vpc_id

  tags = merge(local.tags, { Name = "${local.name}-lb" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "qdrant_lb_from_nodes" {
  for_each = local.balanced_ports

  security_group_id            = aws_security_group.qdrant_lb[0].id
  description                  = "Qdrant port ${each.value} from the Memory Spine nodes"
  ip_protocol                  = "tcp"
  from_port                    = each.value
  to_port                      = each.value
  referenced_security_group_id = var.node_security_group_id

  tags = merge(local.tags, { Name = "${local.name}-lb-in-${each.value}" })
}

resource "aws_vpc_security_group_egress_rule" "qdrant_lb_to_store" {
  for_each = local.balanced_ports

  security_group_id            = aws_security_group.qdrant_lb[0].id
  description                  = "Qdrant port ${each.value} to the Qdrant nodes"
  ip_protocol                  = "tcp"
  from_port                    = each.value
  to_port                      = each.value
  referenced_security_group_id = aws_security_group.store.id

  tags = merge(local.tags, { Name = "${local.name}-lb-out-${each.value}" })
}

resource "aws_vpc_security_group_ingress_rule" "store_from_lb" {
  for_each = local.balanced_ports

  security_group_id            = aws_security_group.store.id
  description                  = "Qdrant port ${each.value} from its load balancer (traffic and health checks)"
  ip_protocol                  = "tcp"
  from_port                    = each.value
  to_port                      = each.value
  referenced_security_group_id = aws_security_group.qdrant_lb[0].id

  tags = merge(local.tags, { Name = "${local.name}-in-${each.value}-from-lb" })
}

# Cross-zone: any healthy node may take a connection, so a zone without one never goes dark.
resource "aws_lb" "qdrant" {
  count = local.qdrant_clustered ? 1 : 0

  name                             = "${local.name}-lb"
  internal                         = true
  load_balancer_type               = "network"
  subnets                          = var.private_subnet_ids
  security_groups                  = [aws_security_group.qdrant_lb[0].id]
  enable_cross_zone_load_balancing = true
  enable_deletion_protection       = local.is_prod

  tags = merge(local.tags, { Name = "${local.name}-lb" })
}

# Both groups probe Qdrant's readiness on the HTTP port: a node that is not ready gets no gRPC either.
resource "aws_lb_target_group" "qdrant" {
  for_each = local.balanced_ports

  name                 = "${local.name}-${each.key}"
  port                 = each.value
  protocol             = "TCP"
  target_type          = "instance"
  vpc_id               = var.vpc_id
  deregistration_delay = 30

  health_check {
    enabled             = true
    protocol            = "HTTP"
    port                = local.health_check.port
    path                = local.health_check.path
    matcher             = "200"
    interval            = local.health_check.interval_seconds
    healthy_threshold   = local.health_check.healthy_threshold
    unhealthy_threshold = local.health_check.unhealthy_threshold
  }

  tags = merge(local.tags, { Name = "${local.name}-${each.key}" })
}

resource "aws_lb_target_group_attachment" "qdrant" {
  for_each = { for pair in setproduct(keys(local.balanced_ports), range(local.qdrant_node_count)) : "${pair[0]}-${pair[1]}" => { port = pair[0], node = pair[1] } }

  target_group_arn = aws_lb_target_group.qdrant[each.value.port].arn
  target_id        = aws_instance.qdrant[each.value.node].id
  port             = local.balanced_ports[each.value.port]
}

resource "aws_lb_listener" "qdrant" {
  for_each = local.balanced_ports

  load_balancer_arn = aws_lb.qdrant[0].arn
  port              = each.value
  protocol          = "TCP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.qdrant[each.key].arn
  }

  tags = merge(local.tags, { Name = "${local.name}-${each.key}" })
}

# ── Qdrant snapshots: versioned, encrypted, private, TLS-only, expiring with the backups ─────

resource "aws_s3_bucket" "qdrant_snapshots" {
  count = local.is_qdrant ? 1 : 0

  bucket_prefix = "${local.name}-snapshots-"
  force_destroy = !local.is_prod

  tags = merge(local.tags, { Name = "${local.name}-snapshots" })
}

resource "aws_s3_bucket_ownership_controls" "qdrant_snapshots" {
  count = local.is_qdrant ? 1 : 0

  bucket = aws_s3_bucket.qdrant_snapshots[0].id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "qdrant_snapshots" {
  count = local.is_qdrant ? 1 : 0

  bucket                  = aws_s3_bucket.qdrant_snapshots[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "qdrant_snapshots" {
  count = local.is_qdrant ? 1 : 0

  bucket = aws_s3_bucket.qdrant_snapshots[0].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = local.kms_key_id == null ? "AES256" : "aws:kms"
      kms_master_key_id = local.kms_key_id
    }
    bucket_key_enabled = local.kms_key_id != null
  }
}

resource "aws_s3_bucket_versioning" "qdrant_snapshots" {
  count = local.is_qdrant ? 1 : 0

  bucket = aws_s3_bucket.qdrant_snapshots[0].id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "qdrant_snapshots" {
  count = local.is_qdrant ? 1 : 0

  bucket = aws_s3_bucket.qdrant_snapshots[0].id

  dynamic "rule" {
    for_each = { for kind, days in local.snapshot_retention : kind => days if days > 0 }

    content {
      id     = "expire-${rule.key}-snapshots"
      status = "Enabled"

      filter {
        prefix = local.snapshot_prefixes[rule.key]
      }

      expiration {
        days = rule.value
      }

      # An overwritten or deleted snapshot stays recoverable for a week, then goes.
      noncurrent_version_expiration {
        noncurrent_days = 7
      }

      abort_incomplete_multipart_upload {
        days_after_initiation = 1
      }
    }
  }

  depends_on = [aws_s3_bucket_versioning.qdrant_snapshots]
}

data "aws_iam_policy_document" "qdrant_snapshots_tls_only" {
  count = local.is_qdrant ? 1 : 0

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.qdrant_snapshots[0].arn, "${aws_s3_bucket.qdrant_snapshots[0].arn}/*"]

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

resource "aws_s3_bucket_policy" "qdrant_snapshots" {
  count = local.is_qdrant ? 1 : 0

  bucket = aws_s3_bucket.qdrant_snapshots[0].id
  policy = data.aws_iam_policy_document.qdrant_snapshots_tls_only[0].json
}

# The nodes may only put snapshots under the prefixes (no read, delete or list: restores are an
# operator's job), and use the data key when there is one.
data "aws_iam_policy_document" "qdrant_write_snapshots" {
  count = local.is_qdrant ? 1 : 0

  statement {
    sid       = "PutSnapshots"
    actions   = ["s3:PutObject"]
    resources = [for prefix in values(local.snapshot_prefixes) : "${aws_s3_bucket.qdrant_snapshots[0].arn}/${prefix}*"]
  }

  dynamic "statement" {
    for_each = local.kms_key_id == null ? [] : [local.kms_key_id]

    content {
      sid       = "EncryptSnapshots"
      actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "qdrant_write_snapshots" {
  count = local.is_qdrant ? 1 : 0

  name_prefix = "write-qdrant-snapshots-"
  role        = aws_iam_role.qdrant[0].id
  policy      = data.aws_iam_policy_document.qdrant_write_snapshots[0].json
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
  kms_key_id                          = local.kms_key_id
  db_name                             = "memoryspine"
  username                            = "memoryspine"
  manage_master_user_password         = true
  db_subnet_group_name                = aws_db_subnet_group.pgvector[0].name
  parameter_group_name                = aws_db_parameter_group.pgvector[0].name
  vpc_security_group_ids              = [aws_security_group.store.id]
  publicly_accessible                 = false
  multi_az                            = local.is_prod
  backup_retention_period             = local.backup_retention_days[var.environment]
  backup_window                       = var.db_backup_window
  maintenance_window                  = var.db_maintenance_window
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
