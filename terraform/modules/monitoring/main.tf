# Alerting, metrics and spend alerts of one Memory Spine environment (the Pulumi program's
# components/monitoring.ts): an SNS topic on a customer managed key, CloudWatch alarms and a
# dashboard, an Amazon Managed Prometheus workspace with rules and alert manager, Managed
# Grafana in prod when enabled, and the monthly AWS Budget.
#
# The topic's key is a customer managed key: CloudWatch alarms, AWS Budgets and the Prometheus
# alert manager cannot publish to a topic encrypted with the AWS managed alias/aws/sns key,
# whose key policy cannot grant them kms:GenerateDataKey* and kms:Decrypt.

locals {
  tags     = merge(var.tags, { Service = "memory-spine" })
  name     = "memspine-${var.environment}"
  services = ["cloudwatch.amazonaws.com", "budgets.amazonaws.com", "aps.amazonaws.com", "events.amazonaws.com"]
  severity = var.environment == "prod" ? "page" : "notify"
  region   = data.aws_region.current.region
  grafana  = var.enable_grafana && var.environment == "prod"

  lb    = { LoadBalancer = var.load_balancer_arn_suffix }
  lb_tg = { LoadBalancer = var.load_balancer_arn_suffix, TargetGroup = var.target_group_arn_suffix }
  db    = { DBInstanceIdentifier = "${local.name}-pgvector" }

  # What the Qdrant node publishes about its data volume (modules/vector-store), and the alarm level.
  qdrant_disk = { namespace = "MemorySpine/Qdrant", name = "DataVolumeUsedPercent", interval_seconds = 300, alarm_percent = 80 }

  # Every alarm this module knows; thresholds come from the stack config (same as alarmSpecs()).
  # One object literal filtered by a for expression: a conditional between objects of
  # different shapes would be a type error.
  all_alarms = {
    target-5xx      = { description = "the API nodes answer 5xx", namespace = "AWS/ApplicationELB", metric = "HTTPCode_Target_5XX_Count", statistic = "Sum", extended = null, period = 300, periods = 2, threshold = var.alarm_server_error_count, operator = "GreaterThanThreshold", dimensions = local.lb_tg }
    elb-5xx         = { description = "the load balancer answers 5xx (no healthy target, timeouts)", namespace = "AWS/ApplicationELB", metric = "HTTPCode_ELB_5XX_Count", statistic = "Sum", extended = null, period = 300, periods = 2, threshold = var.alarm_server_error_count, operator = "GreaterThanThreshold", dimensions = local.lb }
    unhealthy-hosts = { description = "targets fail the /health check", namespace = "AWS/ApplicationELB", metric = "UnHealthyHostCount", statistic = "Maximum", extended = null, period = 60, periods = 3, threshold = 0, operator = "GreaterThanThreshold", dimensions = local.lb_tg }
    p95-latency     = { description = "p95 target response time above ${var.alarm_latency_ms} ms", namespace = "AWS/ApplicationELB", metric = "TargetResponseTime", statistic = null, extended = "p95", period = 300, periods = 3, threshold = var.alarm_latency_ms / 1000, operator = "GreaterThanThreshold", dimensions = local.lb_tg }
    cpu-high        = { description = "node CPU stays high although the group scales out", namespace = "AWS/EC2", metric = "CPUUtilization", statistic = "Average", extended = null, period = 300, periods = 3, threshold = var.alarm_cpu_percent, operator = "GreaterThanThreshold", dimensions = { AutoScalingGroupName = var.autoscaling_group_name } }
    db-cpu          = { description = "pgvector database CPU high", namespace = "AWS/RDS", metric = "CPUUtilization", statistic = "Average", extended = null, period = 300, periods = 3, threshold = var.alarm_db_cpu_percent, operator = "GreaterThanThreshold", dimensions = local.db }
    db-free-storage = { description = "pgvector database has less than ${var.alarm_db_free_storage_gb} GB free", namespace = "AWS/RDS", metric = "FreeStorageSpace", statistic = "Minimum", extended = null, period = 300, periods = 1, threshold = var.alarm_db_free_storage_gb * 1073741824, operator = "LessThanThreshold", dimensions = local.db }
    db-connections  = { description = "pgvector database connections high", namespace = "AWS/RDS", metric = "DatabaseConnections", statistic = "Maximum", extended = null, period = 300, periods = 2, threshold = var.alarm_db_connections, operator = "GreaterThanThreshold", dimensions = local.db }
  }
  engine_alarms = {
    pgvector = ["db-cpu", "db-free-storage", "db-connections"]
    qdrant   = []
  }
  # One pair per Qdrant node (alarm qdrant-<i>-<key>): in a cluster a lost or full node alarms on
  # its own. Dimensions are filled in per node by the two resources below.
  qdrant_node_alarms = {
    status-check = { description = "fails its EC2 status checks", namespace = "AWS/EC2", metric = "StatusCheckFailed", statistic = "Maximum", period = 60, periods = 2, threshold = 0, operator = "GreaterThanThreshold" }
    disk-used    = { description = "has a data volume more than ${local.qdrant_disk.alarm_percent}% full: grow qdrant_volume_size_gb", namespace = local.qdrant_disk.namespace, metric = local.qdrant_disk.name, statistic = "Maximum", period = local.qdrant_disk.interval_seconds, periods = 2, threshold = local.qdrant_disk.alarm_percent, operator = "GreaterThanThreshold" }
  }
  # One pair per instance id handed in: the list's length is known at plan time (the ids are not).
  qdrant_nodes = var.vector_store_engine == "qdrant" ? length(var.qdrant_instance_ids) : 0

  # The key-value layer: one alarm per cache node and metric (ElastiCache publishes per node, and a
  # hot shard or a lagging replica shows on one node only); the same levels as KV_ALARMS in
  # components/kv-metrics.ts. Replication lag only with replicas.
  kv_alarm_metrics = {
    engine-cpu      = { description = "Valkey engine CPU above 80% (add shards or a larger kv_node_type)", metric = "EngineCPUUtilization", statistic = "Average", period = 300, periods = 3, threshold = 80, operator = "GreaterThanThreshold" }
    memory          = { description = "more than 90% of maxmemory used (the working set outgrows kv_node_type)", metric = "DatabaseMemoryUsagePercentage", statistic = "Maximum", period = 300, periods = 3, threshold = 90, operator = "GreaterThanThreshold" }
    evictions       = { description = "more than 1000 keys evicted per 5 minutes", metric = "Evictions", statistic = "Sum", period = 300, periods = 2, threshold = 1000, operator = "GreaterThanThreshold" }
    replication-lag = { description = "replica more than 5 s behind its primary", metric = "ReplicationLag", statistic = "Maximum", period = 60, periods = 5, threshold = 5, operator = "GreaterThanThreshold" }
  }
  kv_alarms = {
    for pair in setproduct(var.kv_member_cluster_ids, keys(local.kv_alarm_metrics)) :
    "kv-${pair[1]}-${replace(pair[0], "/^.*?-kv-/", "")}" => {
      description = "cache node ${pair[0]}: ${local.kv_alarm_metrics[pair[1]].description}"
      namespace   = "AWS/ElastiCache"
      metric      = local.kv_alarm_metrics[pair[1]].metric
      statistic   = local.kv_alarm_metrics[pair[1]].statistic
      extended    = null
      period      = local.kv_alarm_metrics[pair[1]].period
      periods     = local.kv_alarm_metrics[pair[1]].periods
      threshold   = local.kv_alarm_metrics[pair[1]].threshold
      operator    = local.kv_alarm_metrics[pair[1]].operator
      dimensions  = { CacheClusterId = pair[0] }
    }
    if pair[1] != "replication-lag" || var.kv_replicas > 0
  }

  # Common alarms, plus the engine's own, plus the cache nodes'. The set depends on the engine and
  # the cache's size only: an instance id is unknown until apply, and for_each keys must be known
  # at plan time (the node ids are derived, not read back).
  alarms = merge({
    for key, alarm in local.all_alarms : key => alarm
    if !contains(flatten(values(local.engine_alarms)), key) || contains(local.engine_alarms[var.vector_store_engine], key)
  }, local.kv_alarms)

  # The key-value layer's nodes on the dashboard, found by a search on the group id's words (every
  # node id starts with it), so that the widget follows added replicas and shards.
  kv_search = { for id, metric in { cpu = ["EngineCPUUtilization", "Average", "engine CPU %"], mem = ["DatabaseMemoryUsagePercentage", "Maximum", "memory used %"], evict = ["Evictions", "Sum", "evictions"], lag = ["ReplicationLag", "Maximum", "replication lag (s)"] } :
    id => [merge({ expression = "SEARCH('{AWS/ElastiCache,CacheClusterId} MetricName=\"${metric[0]}\" CacheClusterId=${var.kv_replication_group_id}', '${metric[1]}', 300)", id = id, label = metric[2] }, contains(["evict", "lag"], id) ? { yAxis = "right" } : {})]
  }
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

data "aws_iam_policy_document" "alerts_key" {
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
    sid       = "AlertingServicesPublish"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com", "budgets.amazonaws.com", "aps.amazonaws.com", "events.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_kms_key" "alerts" {
  description             = "Memory Spine ${var.environment} alarm topic"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.alerts_key.json

  tags = merge(local.tags, { Name = "${local.name}-alerts" })
}

resource "aws_kms_alias" "alerts" {
  name          = "alias/${local.name}-alerts"
  target_key_id = aws_kms_key.alerts.key_id
}

resource "aws_sns_topic" "alerts" {
  name              = "${local.name}-alerts"
  kms_master_key_id = aws_kms_key.alerts.arn

  tags = merge(local.tags, { Name = "${local.name}-alerts" })
}

data "aws_iam_policy_document" "alerts_topic" {
  statement {
    sid       = "AlertingServicesPublish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alerts.arn]

    principals {
      type        = "Service"
      identifiers = local.services
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_sns_topic_policy" "alerts" {
  arn    = aws_sns_topic.alerts.arn
  policy = data.aws_iam_policy_document.alerts_topic.json
}

resource "aws_sns_topic_subscription" "email" {
  for_each = toset(var.alert_emails)

  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "email"
  endpoint  = each.value
}

resource "aws_sns_topic_subscription" "pager" {
  count = var.pager_endpoint == "" ? 0 : 1

  topic_arn              = aws_sns_topic.alerts.arn
  protocol               = "https"
  endpoint               = var.pager_endpoint
  endpoint_auto_confirms = true
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.alarms

  alarm_name          = "${local.name}-${each.key}"
  alarm_description   = "Memory Spine ${var.environment}: ${each.value.description}."
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  statistic           = each.value.statistic
  extended_statistic  = each.value.extended
  period              = each.value.period
  evaluation_periods  = each.value.periods
  threshold           = each.value.threshold
  comparison_operator = each.value.operator
  treat_missing_data  = "notBreaching"
  dimensions          = each.value.dimensions
  alarm_actions       = [aws_sns_topic.alerts.arn]
  ok_actions          = [aws_sns_topic.alerts.arn]

  tags = merge(local.tags, { Name = "${local.name}-${each.key}" })
}

resource "aws_cloudwatch_metric_alarm" "qdrant_status_check" {
  count = local.qdrant_nodes

  alarm_name          = "${local.name}-qdrant-${count.index}-status-check"
  alarm_description   = "Memory Spine ${var.environment}: Qdrant node ${count.index} ${local.qdrant_node_alarms.status-check.description}."
  namespace           = local.qdrant_node_alarms.status-check.namespace
  metric_name         = local.qdrant_node_alarms.status-check.metric
  statistic           = local.qdrant_node_alarms.status-check.statistic
  period              = local.qdrant_node_alarms.status-check.period
  evaluation_periods  = local.qdrant_node_alarms.status-check.periods
  threshold           = local.qdrant_node_alarms.status-check.threshold
  comparison_operator = local.qdrant_node_alarms.status-check.operator
  treat_missing_data  = "notBreaching"
  dimensions          = { InstanceId = var.qdrant_instance_ids[count.index] }
  alarm_actions       = [aws_sns_topic.alerts.arn]
  ok_actions          = [aws_sns_topic.alerts.arn]

  tags = merge(local.tags, { Name = "${local.name}-qdrant-${count.index}-status-check" })
}

resource "aws_cloudwatch_metric_alarm" "qdrant_disk_used" {
  count = local.qdrant_nodes

  alarm_name          = "${local.name}-qdrant-${count.index}-disk-used"
  alarm_description   = "Memory Spine ${var.environment}: Qdrant node ${count.index} ${local.qdrant_node_alarms.disk-used.description}."
  namespace           = local.qdrant_node_alarms.disk-used.namespace
  metric_name         = local.qdrant_node_alarms.disk-used.metric
  statistic           = local.qdrant_node_alarms.disk-used.statistic
  period              = local.qdrant_node_alarms.disk-used.period
  evaluation_periods  = local.qdrant_node_alarms.disk-used.periods
  threshold           = local.qdrant_node_alarms.disk-used.threshold
  comparison_operator = local.qdrant_node_alarms.disk-used.operator
  treat_missing_data  = "notBreaching"
  dimensions          = { Environment = var.environment, Node = "qdrant-${count.index}" }
  alarm_actions       = [aws_sns_topic.alerts.arn]
  ok_actions          = [aws_sns_topic.alerts.arn]

  tags = merge(local.tags, { Name = "${local.name}-qdrant-${count.index}-disk-used" })
}

locals {
  # The vector store's widget. Its two shapes differ (a Qdrant cluster lists every node), and a
  # conditional needs both results of one type: each is encoded, the dashboard decodes the one.
  store_widget = var.vector_store_engine == "pgvector" ? jsonencode(
    { type = "metric", x = 12, y = 12, width = 12, height = 6, properties = { title = "Vector store (RDS pgvector)", region = local.region, view = "timeSeries", stacked = false, period = 60, metrics = [["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", "${local.name}-pgvector", { stat = "Average" }], ["AWS/RDS", "DatabaseConnections", "DBInstanceIdentifier", "${local.name}-pgvector", { stat = "Maximum" }], ["AWS/RDS", "FreeStorageSpace", "DBInstanceIdentifier", "${local.name}-pgvector", { stat = "Minimum", yAxis = "right" }]] } }
    ) : jsonencode(
    { type = "metric", x = 12, y = 12, width = 12, height = 6, properties = { title = local.qdrant_nodes > 1 ? "Vector store (Qdrant cluster)" : "Vector store (Qdrant node)", region = local.region, view = "timeSeries", stacked = false, period = 60, metrics = concat([], [for i in range(local.qdrant_nodes) : [["AWS/EC2", "CPUUtilization", "InstanceId", var.qdrant_instance_ids[i], { stat = "Average", label = "qdrant-${i} CPU %" }], [local.qdrant_disk.namespace, local.qdrant_disk.name, "Environment", var.environment, "Node", "qdrant-${i}", { stat = "Maximum", label = "qdrant-${i} data volume used %" }], ["AWS/EC2", "StatusCheckFailed", "InstanceId", var.qdrant_instance_ids[i], { stat = "Maximum", yAxis = "right", label = "qdrant-${i} status check failed" }]]]...) } }
  )
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = local.name
  dashboard_body = jsonencode({
    widgets = concat([
      { type = "metric", x = 0, y = 0, width = 12, height = 6, properties = { title = "Requests", region = local.region, view = "timeSeries", stacked = false, period = 60, metrics = [["AWS/ApplicationELB", "RequestCount", "LoadBalancer", var.load_balancer_arn_suffix, { stat = "Sum" }]] } },
      { type = "metric", x = 12, y = 0, width = 12, height = 6, properties = { title = "Errors (5xx)", region = local.region, view = "timeSeries", stacked = false, period = 60, metrics = [["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "TargetGroup", var.target_group_arn_suffix, "LoadBalancer", var.load_balancer_arn_suffix, { stat = "Sum" }], ["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "LoadBalancer", var.load_balancer_arn_suffix, { stat = "Sum" }]] } },
      { type = "metric", x = 0, y = 6, width = 12, height = 6, properties = { title = "Target response time", region = local.region, view = "timeSeries", stacked = false, period = 60, metrics = [["AWS/ApplicationELB", "TargetResponseTime", "TargetGroup", var.target_group_arn_suffix, "LoadBalancer", var.load_balancer_arn_suffix, { stat = "p50" }], ["AWS/ApplicationELB", "TargetResponseTime", "TargetGroup", var.target_group_arn_suffix, "LoadBalancer", var.load_balancer_arn_suffix, { stat = "p95" }]] } },
      { type = "metric", x = 12, y = 6, width = 12, height = 6, properties = { title = "Healthy / unhealthy hosts", region = local.region, view = "timeSeries", stacked = false, period = 60, metrics = [["AWS/ApplicationELB", "HealthyHostCount", "TargetGroup", var.target_group_arn_suffix, "LoadBalancer", var.load_balancer_arn_suffix, { stat = "Minimum" }], ["AWS/ApplicationELB", "UnHealthyHostCount", "TargetGroup", var.target_group_arn_suffix, "LoadBalancer", var.load_balancer_arn_suffix, { stat = "Maximum" }]] } },
      { type = "metric", x = 0, y = 12, width = 12, height = 6, properties = { title = "API node CPU", region = local.region, view = "timeSeries", stacked = false, period = 60, metrics = [["AWS/EC2", "CPUUtilization", "AutoScalingGroupName", var.autoscaling_group_name, { stat = "Average" }]] } },
      ], [jsondecode(local.store_widget)], var.kv_replication_group_id == "" ? [] : [
      { type = "metric", x = 0, y = 18, width = 24, height = 6, properties = { title = "Key-value layer (ElastiCache Valkey, per node)", region = local.region, view = "timeSeries", stacked = false, period = 60, metrics = [local.kv_search.cpu, local.kv_search.mem, local.kv_search.evict, local.kv_search.lag] } },
    ])
  })
}

resource "aws_prometheus_workspace" "this" {
  alias = local.name

  tags = merge(local.tags, { Name = "${local.name}-prometheus" })
}

resource "aws_prometheus_rule_group_namespace" "this" {
  name         = "${local.name}-rules"
  workspace_id = aws_prometheus_workspace.this.id
  data = templatefile("${path.module}/templates/rules.yaml.tftpl", {
    environment = var.environment
    severity    = local.severity
    latency_s   = var.alarm_latency_ms / 1000
    latency_ms  = var.alarm_latency_ms
  })

  tags = merge(local.tags, { Name = "${local.name}-rules" })
}

resource "aws_prometheus_alert_manager_definition" "this" {
  workspace_id = aws_prometheus_workspace.this.id
  definition = templatefile("${path.module}/templates/alertmanager.yaml.tftpl", {
    topic_arn = aws_sns_topic.alerts.arn
    region    = local.region
  })
}

data "aws_iam_policy_document" "node_prometheus_write" {
  statement {
    actions   = ["aps:RemoteWrite"]
    resources = [aws_prometheus_workspace.this.arn]
  }

  # The boot script finds the workspace by its alias.
  statement {
    actions   = ["aps:ListWorkspaces"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "node_prometheus_write" {
  name   = "${local.name}-prometheus-write"
  role   = var.node_role_name
  policy = data.aws_iam_policy_document.node_prometheus_write.json
}

data "aws_iam_policy_document" "grafana_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["grafana.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "grafana" {
  count = local.grafana ? 1 : 0

  name_prefix        = "${local.name}-grafana-"
  assume_role_policy = data.aws_iam_policy_document.grafana_assume.json

  tags = merge(local.tags, { Name = "${local.name}-grafana" })
}

resource "aws_iam_role_policy_attachment" "grafana" {
  for_each = local.grafana ? toset(["AmazonPrometheusQueryAccess", "CloudWatchReadOnlyAccess"]) : toset([])

  role       = aws_iam_role.grafana[0].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/${each.value}"
}

resource "aws_grafana_workspace" "this" {
  count = local.grafana ? 1 : 0

  name                      = local.name
  account_access_type       = "CURRENT_ACCOUNT"
  authentication_providers  = ["AWS_SSO"]
  permission_type           = "SERVICE_MANAGED"
  role_arn                  = aws_iam_role.grafana[0].arn
  data_sources              = ["PROMETHEUS", "CLOUDWATCH"]
  notification_destinations = ["SNS"]

  tags = merge(local.tags, { Name = "${local.name}-grafana" })
}

resource "aws_budgets_budget" "monthly" {
  name         = "${local.name}-monthly"
  budget_type  = "COST"
  time_unit    = "MONTHLY"
  limit_amount = tostring(var.monthly_budget_usd)
  limit_unit   = "USD"

  # filter_expression requires metrics (else AWS keeps a budget it cannot evaluate); unblended
  # cost is the on-demand billing the limit (the policy pack's estimate) is set against.
  metrics = ["UnblendedCost"]

  # Both cost-allocation tags must match (activate them once in the Billing console).
  filter_expression {
    and {
      tags {
        key    = "Service"
        values = ["memory-spine"]
      }
    }
    and {
      tags {
        key    = "Environment"
        values = [var.environment]
      }
    }
  }

  notification {
    comparison_operator        = "GREATER_THAN"
    threshold                  = 80
    threshold_type             = "PERCENTAGE"
    notification_type          = "ACTUAL"
    subscriber_sns_topic_arns  = [aws_sns_topic.alerts.arn]
    subscriber_email_addresses = var.budget_emails
  }

  notification {
    comparison_operator        = "GREATER_THAN"
    threshold                  = 100
    threshold_type             = "PERCENTAGE"
    notification_type          = "FORECASTED"
    subscriber_sns_topic_arns  = [aws_sns_topic.alerts.arn]
    subscriber_email_addresses = var.budget_emails
  }

  tags = merge(local.tags, { Name = "${local.name}-budget" })

  depends_on = [aws_sns_topic_policy.alerts]
}
