# Plans the backup module with each environment's settings against the real AWS provider, without
# credentials and without calling AWS (the one data source that would is overridden). Run from the
# module directory:
#   terraform init -backend=false && terraform test
# Each run's contract variables are the values of terraform/environments/<env>/terraform.tfvars
# (tests/terraform/tftest.test.ts checks that they agree); the volume ARNs and the topic are stand-ins.

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "offline-test"
  secret_key                  = "offline-test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

override_data {
  target = data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

override_resource {
  target          = aws_backup_vault.this
  override_during = plan
  values          = { name = "memspine-backup" }
}

variables {
  resource_arns   = ["arn:aws:ec2:us-east-1:123456789012:volume/vol-0123456789abcdef0"]
  alert_topic_arn = "arn:aws:sns:us-east-1:123456789012:memspine-alerts"
}

run "dev" {
  command = plan

  variables {
    environment = "dev"
    tags        = { Environment = "dev", Team = "platform-engineering", CostCenter = "engineering" }
  }

  # dev rebuilds instead of restoring: the root never calls this module there, and it refuses.
  expect_failures = [var.environment]
}

run "staging" {
  command = plan

  variables {
    environment = "staging"
    tags        = { Environment = "staging", Team = "platform-engineering", CostCenter = "engineering" }
  }

  assert {
    condition     = [for r in aws_backup_plan.this.rule : [r.rule_name, r.lifecycle[0].delete_after]] == [["daily", 7]]
    error_message = "staging keeps daily recovery points for 7 days."
  }

  assert {
    condition     = aws_kms_key.backup.enable_key_rotation && aws_backup_selection.this.resources == toset(var.resource_arns)
    error_message = "The vault's own key rotates, and the selection names every volume and database."
  }
}

run "prod" {
  command = plan

  variables {
    environment = "prod"
    tags        = { Environment = "prod", Team = "platform-engineering", CostCenter = "infrastructure", Compliance = "soc2" }
  }

  assert {
    condition     = toset([for r in aws_backup_plan.this.rule : "${r.rule_name}:${r.lifecycle[0].delete_after}"]) == toset(["daily:35", "monthly:365"])
    error_message = "prod keeps daily recovery points for 35 days and monthly ones for a year."
  }

  assert {
    condition     = aws_cloudwatch_event_target.backup_failed_alert.arn == var.alert_topic_arn && jsondecode(aws_cloudwatch_event_rule.backup_failed.event_pattern)["detail-type"] == ["Backup Job State Change"]
    error_message = "Failed backup jobs reach the alert topic."
  }

  assert {
    condition     = !aws_backup_vault.this.force_destroy
    error_message = "prod's vault cannot be destroyed with its recovery points."
  }
}
