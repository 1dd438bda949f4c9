# AWS Backup for one environment (the Pulumi program's components/backups.ts; staging and prod):
# a vault on its own customer-managed key, a plan with the environment's retention, a selection
# naming every Qdrant data volume and the database, and an EventBridge rule that sends every
# backup job that fails, aborts, expires or ends partial to the alert topic.

locals {
  tags = merge(var.tags, { Service = "memory-spine" })
  name = "memspine-${var.environment}-backup"

  # Retention in days (components/backup-retention.ts); 0 = no monthly backups.
  retention = { staging = { daily = 7, monthly = 0 }, prod = { daily = 35, monthly = 365 } }[var.environment]
  schedules = { daily = "cron(0 3 * * ? *)", monthly = "cron(0 4 1 * ? *)" }
  windows   = { start_minutes = 60, completion_minutes = 360 }
  rules     = { for kind, days in local.retention : kind => days if days > 0 }

  # Backup job states that mean no complete recovery point.
  failed_job_states = ["FAILED", "ABORTED", "EXPIRED", "PARTIAL"]
  is_prod           = var.environment == "prod"
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_iam_policy_document" "backup_key" {
  statement {
    sid       = "AccountAdministers"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
}

resource "aws_kms_key" "backup" {
  description             = "Memory Spine ${var.environment} backup vault"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.backup_key.json

  tags = merge(local.tags, { Name = local.name })
}

resource "aws_kms_alias" "backup" {
  name          = "alias/${local.name}"
  target_key_id = aws_kms_key.backup.key_id
}

resource "aws_backup_vault" "this" {
  name          = local.name
  kms_key_arn   = aws_kms_key.backup.arn
  force_destroy = !local.is_prod

  tags = merge(local.tags, { Name = local.name })
}

resource "aws_backup_plan" "this" {
  name = local.name

  dynamic "rule" {
    for_each = local.rules

    content {
      rule_name                    = rule.key
      target_vault_name            = aws_backup_vault.this.name
      schedule                     = local.schedules[rule.key]
      schedule_expression_timezone = "Etc/UTC"
      start_window                 = local.windows.start_minutes
      completion_window            = local.windows.completion_minutes
      recovery_point_tags          = merge(var.tags, { BackupRule = rule.key })

      lifecycle {
        delete_after = rule.value
      }
    }
  }

  tags = merge(local.tags, { Name = local.name })
}

data "aws_iam_policy_document" "backup_assume_role" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["backup.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "backup" {
  name_prefix        = "${local.name}-"
  description        = "AWS Backup for Memory Spine ${var.environment}"
  assume_role_policy = data.aws_iam_policy_document.backup_assume_role.json

  tags = merge(local.tags, { Name = "${local.name}-role" })
}

resource "aws_iam_role_policy_attachment" "backup" {
  for_each = toset(["AWSBackupServiceRolePolicyForBackup", "AWSBackupServiceRolePolicyForRestores"])

  role       = aws_iam_role.backup.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/${each.key}"
}

resource "aws_backup_selection" "this" {
  name         = local.name
  plan_id      = aws_backup_plan.this.id
  iam_role_arn = aws_iam_role.backup.arn
  resources    = var.resource_arns
}

resource "aws_cloudwatch_event_rule" "backup_failed" {
  name        = "${local.name}-failed"
  description = "Memory Spine ${var.environment}: an AWS Backup job failed, aborted, expired or completed partially"
  event_pattern = jsonencode({
    source        = ["aws.backup"]
    "detail-type" = ["Backup Job State Change"]
    detail        = { state = local.failed_job_states, backupVaultName = [aws_backup_vault.this.name] }
  })

  tags = merge(local.tags, { Name = "${local.name}-failed" })
}

resource "aws_cloudwatch_event_target" "backup_failed_alert" {
  rule = aws_cloudwatch_event_rule.backup_failed.name
  arn  = var.alert_topic_arn
}
