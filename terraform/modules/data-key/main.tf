# The environment's customer-managed KMS key for data at rest (the Pulumi program's
# components/data-key.ts): the API nodes' root volumes (launch template), the Qdrant data and root
# volumes, the pgvector database and the Qdrant snapshot bucket. Its policy is ours and it rotates
# yearly, unlike the AWS-managed aws/ebs and aws/rds keys. The root creates it in prod only.

locals {
  tags = merge(var.tags, { Service = "memory-spine" })
  name = "memspine-${var.environment}-data"
  # The Auto Scaling service-linked role launches the API nodes; without these grants it cannot
  # create their encrypted root volumes and every launch fails.
  autoscaling_role = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_iam_policy_document" "data_key" {
  statement {
    sid       = "AccountAdministers"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  statement {
    sid       = "AutoScalingUsesKeyForVolumes"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = [local.autoscaling_role]
    }
  }

  statement {
    sid       = "AutoScalingGrantsForVolumes"
    actions   = ["kms:CreateGrant"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = [local.autoscaling_role]
    }

    condition {
      test     = "Bool"
      variable = "kms:GrantIsForAWSResource"
      values   = ["true"]
    }
  }
}

resource "aws_kms_key" "data" {
  description             = "Memory Spine ${var.environment} data at rest (EBS, RDS, Qdrant snapshots)"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.data_key.json

  tags = merge(local.tags, { Name = local.name })
}

resource "aws_kms_alias" "data" {
  name          = "alias/${local.name}"
  target_key_id = aws_kms_key.data.key_id
}
