# Plans the monitoring module with each environment's settings against the real AWS provider,
# without credentials and without calling AWS: the provider never validates or looks up anything,
# and every data source that would call an AWS API is overridden. Run from the module directory:
#   terraform init -backend=false && terraform test
# Each run's contract variables are the values of terraform/environments/<env>/terraform.tfvars,
# and monthly_budget_usd the environment's budget in policy-pack/config/<env>.json
# (tests/terraform/tftest.test.ts checks that they agree). The budget's filter and metrics are
# asserted in budget.tftest.hcl.

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

# ARNs are known only after apply; the key's and the topic's are fixed at plan time so that the
# alarms' and the topic's references to them can be checked.
override_resource {
  target          = aws_kms_key.alerts
  override_during = plan
  values          = { arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000" }
}

override_resource {
  target          = aws_sns_topic.alerts
  override_during = plan
  values          = { arn = "arn:aws:sns:us-east-1:123456789012:memspine-alerts" }
}

variables {
  load_balancer_arn_suffix = "app/memspine/0123456789abcdef"
  target_group_arn_suffix  = "targetgroup/memspine/0123456789abcdef"
  autoscaling_group_name   = "memspine"
  node_role_name           = "memspine-node"
  qdrant_instance_ids      = ["i-0123456789abcdef0"]
  kv_replicas              = 1 # staging's default (components/environment-defaults.json); dev and prod set theirs
}

run "dev" {
  command = plan

  variables {
    environment              = "dev"
    vector_store_engine      = "pgvector"
    alarm_server_error_count = 50
    alarm_latency_ms         = 2000
    alarm_cpu_percent        = 90
    alarm_db_connections     = 50
    kv_replicas              = 0
    monthly_budget_usd       = 400
    tags                     = { Environment = "dev", Team = "platform-engineering", CostCenter = "engineering" }
  }

  assert {
    condition     = aws_sns_topic.alerts.kms_master_key_id == aws_kms_key.alerts.arn && aws_kms_key.alerts.enable_key_rotation
    error_message = "The alarm topic is encrypted with a customer managed key that rotates."
  }

  assert {
    condition     = toset(keys(aws_cloudwatch_metric_alarm.this)) == toset(["target-5xx", "elb-5xx", "unhealthy-hosts", "p95-latency", "cpu-high", "db-cpu", "db-free-storage", "db-connections"])
    error_message = "With pgvector the common alarms and the database's own are created, none of Qdrant's."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.this["target-5xx"].threshold == 50 && aws_cloudwatch_metric_alarm.this["p95-latency"].threshold == 2 && aws_cloudwatch_metric_alarm.this["cpu-high"].threshold == 90 && aws_cloudwatch_metric_alarm.this["db-connections"].threshold == 50
    error_message = "dev's alarm thresholds come from its settings (latency in seconds)."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.this["db-free-storage"].threshold == 10 * 1073741824 && aws_cloudwatch_metric_alarm.this["db-free-storage"].comparison_operator == "LessThanThreshold"
    error_message = "The free-storage alarm fires below 10 GB (in bytes)."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.this["p95-latency"].extended_statistic == "p95" && aws_cloudwatch_metric_alarm.this["p95-latency"].statistic == null
    error_message = "Latency alarms on the p95, not the average."
  }

  assert {
    condition     = alltrue([for alarm in aws_cloudwatch_metric_alarm.this : alarm.alarm_actions == toset([aws_sns_topic.alerts.arn])])
    error_message = "Every alarm notifies the topic."
  }

  assert {
    condition     = aws_budgets_budget.monthly.limit_amount == "400" && aws_budgets_budget.monthly.time_unit == "MONTHLY"
    error_message = "dev's monthly budget is the policy pack's 400 USD."
  }

  assert {
    condition     = length(aws_grafana_workspace.this) == 0 && length(aws_sns_topic_subscription.email) == 0
    error_message = "dev has no Grafana workspace and no e-mail subscribers."
  }
}

run "staging" {
  command = plan

  variables {
    environment              = "staging"
    vector_store_engine      = "qdrant"
    alert_emails             = ["platform-engineering@chaozcode.com"]
    alarm_server_error_count = 20
    alarm_latency_ms         = 1500
    monthly_budget_usd       = 1500
    tags                     = { Environment = "staging", Team = "platform-engineering", CostCenter = "engineering" }
  }

  assert {
    condition     = toset([for k in keys(aws_cloudwatch_metric_alarm.this) : k if !startswith(k, "kv-")]) == toset(["target-5xx", "elb-5xx", "unhealthy-hosts", "p95-latency", "cpu-high"]) && length(aws_cloudwatch_metric_alarm.qdrant_status_check) == 1 && length(aws_cloudwatch_metric_alarm.qdrant_disk_used) == 1
    error_message = "With Qdrant the common alarms and the one node's own are created, none of the database's."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.this["elb-5xx"].threshold == 20 && aws_cloudwatch_metric_alarm.this["p95-latency"].threshold == 1.5 && aws_cloudwatch_metric_alarm.this["cpu-high"].threshold == 85
    error_message = "staging's alarm thresholds come from its settings, the CPU alarm from the default."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.qdrant_disk_used[0].threshold == 80 && aws_cloudwatch_metric_alarm.qdrant_disk_used[0].namespace == "MemorySpine/Qdrant" && aws_cloudwatch_metric_alarm.qdrant_disk_used[0].dimensions["Node"] == "qdrant-0" && aws_cloudwatch_metric_alarm.qdrant_disk_used[0].dimensions["Environment"] == "staging"
    error_message = "Qdrant's data volume alarms at 80 % on the metric the node publishes, per node."
  }

  assert {
    condition     = keys(aws_sns_topic_subscription.email) == ["platform-engineering@chaozcode.com"] && aws_budgets_budget.monthly.limit_amount == "1500"
    error_message = "staging notifies the team by e-mail; its budget is 1500 USD."
  }
}

run "prod" {
  command = plan

  variables {
    environment              = "prod"
    vector_store_engine      = "qdrant"
    alert_emails             = ["platform-oncall@chaozcode.com"]
    alarm_server_error_count = 5
    alarm_latency_ms         = 500
    alarm_cpu_percent        = 75
    enable_grafana           = true
    kv_replicas              = 2
    monthly_budget_usd       = 6000
    qdrant_instance_ids      = ["i-0123456789abcdef0", "i-0123456789abcdef1", "i-0123456789abcdef2"]
    tags                     = { Environment = "prod", Team = "platform-engineering", CostCenter = "infrastructure", Compliance = "soc2" }
  }

  assert {
    condition     = join(",", [for a in aws_cloudwatch_metric_alarm.qdrant_status_check : a.dimensions.InstanceId]) == join(",", var.qdrant_instance_ids) && [for a in aws_cloudwatch_metric_alarm.qdrant_disk_used : a.alarm_name] == ["memspine-prod-qdrant-0-disk-used", "memspine-prod-qdrant-1-disk-used", "memspine-prod-qdrant-2-disk-used"]
    error_message = "Each of prod's three Qdrant nodes has its own status-check and data-volume alarm."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.this["target-5xx"].threshold == 5 && aws_cloudwatch_metric_alarm.this["p95-latency"].threshold == 0.5 && aws_cloudwatch_metric_alarm.this["cpu-high"].threshold == 75
    error_message = "prod's alarm thresholds come from its settings."
  }

  assert {
    condition     = length(aws_grafana_workspace.this) == 1 && one(aws_grafana_workspace.this[0].authentication_providers) == "AWS_SSO"
    error_message = "prod gets a Managed Grafana workspace behind IAM Identity Center."
  }

  assert {
    condition     = aws_budgets_budget.monthly.limit_amount == "6000"
    error_message = "prod's monthly budget is the policy pack's 6000 USD."
  }
}

run "grafana_only_in_prod" {
  command = plan

  variables {
    environment         = "staging"
    vector_store_engine = "qdrant"
    enable_grafana      = true
    monthly_budget_usd  = 1500
  }

  assert {
    condition     = length(aws_grafana_workspace.this) == 0 && length(aws_iam_role.grafana) == 0
    error_message = "A Managed Grafana workspace is created in prod only."
  }
}
