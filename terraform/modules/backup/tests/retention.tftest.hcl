# Offline plan of the module against a mocked AWS provider: each environment's retention.
# Run: terraform init -backend=false && terraform test

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{}" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:us-east-1:123456789012:key/backup" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/backup" }
  }
}

variables {
  resource_arns   = ["arn:aws:ec2:us-east-1:123456789012:volume/vol-1"]
  alert_topic_arn = "arn:aws:sns:us-east-1:123456789012:memspine-alerts"
}

run "staging" {
  command = plan

  variables {
    environment = "staging"
  }

  assert {
    condition     = [for r in aws_backup_plan.this.rule : [r.rule_name, r.lifecycle[0].delete_after]] == [["daily", 7]]
    error_message = "staging keeps daily recovery points for 7 days"
  }
}

run "prod" {
  command = plan

  variables {
    environment = "prod"
  }

  assert {
    condition     = toset([for r in aws_backup_plan.this.rule : "${r.rule_name}:${r.lifecycle[0].delete_after}"]) == toset(["daily:35", "monthly:365"])
    error_message = "prod keeps daily recovery points for 35 days and monthly ones for a year"
  }

  assert {
    condition     = aws_kms_key.backup.enable_key_rotation && aws_backup_selection.this.resources == toset(var.resource_arns)
    error_message = "the vault's key rotates and the selection names every resource"
  }

  assert {
    condition     = aws_cloudwatch_event_target.backup_failed_alert.arn == var.alert_topic_arn
    error_message = "failed jobs reach the alert topic"
  }
}
