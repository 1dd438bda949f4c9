# The monthly AWS Budget's scope and metric, planned against the real AWS provider (offline, as in
# environments.tftest.hcl). filter_expression and metrics exist from hashicorp/aws 6.42 on
# (tests/terraform/helpers/provider-constructs.ts): run this file with that provider or newer;
# the offline suite, which has provider 5.100 only, skips it and says so.

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

variables {
  load_balancer_arn_suffix = "app/memspine/0123456789abcdef"
  target_group_arn_suffix  = "targetgroup/memspine/0123456789abcdef"
  autoscaling_group_name   = "memspine"
  node_role_name           = "memspine-node"
  vector_store_engine      = "qdrant"
  qdrant_instance_ids      = ["i-0123456789abcdef0"]
}

run "prod" {
  command = plan

  variables {
    environment              = "prod"
    alert_emails             = ["platform-oncall@chaozcode.com"]
    alarm_server_error_count = 5
    alarm_latency_ms         = 500
    alarm_cpu_percent        = 75
    enable_grafana           = true
    kv_replicas              = 2
    monthly_budget_usd       = 6000
    tags                     = { Environment = "prod", Team = "platform-engineering", CostCenter = "infrastructure", Compliance = "soc2" }
  }

  assert {
    condition     = length(aws_budgets_budget.monthly.cost_filter) == 0 && length(aws_budgets_budget.monthly.filter_expression) == 1
    error_message = "The budget is scoped with filter_expression (which conflicts with cost_filter)."
  }

  assert {
    condition     = toset([for term in aws_budgets_budget.monthly.filter_expression[0].and : "${term.tags[0].key}=${join(",", term.tags[0].values)}"]) == toset(["Service=memory-spine", "Environment=prod"])
    error_message = "The budget counts only spend tagged Service=memory-spine and Environment=<env>."
  }

  assert {
    condition     = length(coalesce(aws_budgets_budget.monthly.metrics, [])) == 1 && contains(["UnblendedCost", "BlendedCost", "AmortizedCost", "NetUnblendedCost", "NetAmortizedCost"], one(coalesce(aws_budgets_budget.monthly.metrics, ["none"])))
    error_message = "filter_expression requires metrics (a cost metric for a COST budget), or the budget cannot be evaluated."
  }
}
