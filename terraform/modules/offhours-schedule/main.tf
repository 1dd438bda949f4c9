# Off-hours for the stateful parts of a non-prod environment: EventBridge Scheduler schedules stop
# the database and the Qdrant instances margin_minutes after the API group scales down and start
# them margin_minutes before it scales up, through the universal AWS SDK targets and a role allowed
# exactly those actions on exactly those resources. Mirrors components/offhours-schedule.ts.
#
# RDS starts an instance stopped for 7 days on its own; the stop schedule fires on every day the
# scale-down cron does (daily by default), so such a restart runs at most until that evening.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  tags = merge(var.tags, { Service = "memory-spine" })
  name = "memspine-${var.environment}-offhours"

  day_names = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]

  crons = {
    stop  = { fields = split(" ", var.scale_down_cron), offset = var.margin_minutes }
    start = { fields = split(" ", var.scale_up_cron), offset = -var.margin_minutes }
  }

  # Per cron: its minute of the week's first day moved by the offset (may leave 0-1439), and its
  # day-of-week field with day names written as Unix numbers (SUN = 0 ... SAT = 6).
  parsed = {
    for k, c in local.crons : k => {
      total = tonumber(c.fields[1]) * 60 + tonumber(c.fields[0]) + c.offset
      field = replace(replace(replace(replace(replace(replace(replace(upper(c.fields[4]), "SUN", "0"), "MON", "1"), "TUE", "2"), "WED", "3"), "THU", "4"), "FRI", "5"), "SAT", "6")
    }
  }

  # The moved firing time, and the days it fires on as "0"-"6" (numbers, 7 = Sunday, ranges and
  # lists), moved by the day the offset crossed into (-1, 0 or +1).
  shifted = {
    for k, p in local.parsed : k => {
      minute_of_day = (p.total + 1440) % 1440
      days = p.field == "*" ? [for d in range(7) : tostring(d)] : distinct(flatten([
        for token in split(",", p.field) : [
          for d in range(tonumber(split("-", token)[0]), tonumber(split("-", token)[length(split("-", token)) - 1]) + 1) :
          tostring((d + floor(p.total / 1440) + 7) % 7)
        ]
      ]))
    }
  }

  # Scheduler numbers days 1-7 from SUNDAY, Unix cron 0-6 from Sunday: the expressions name the
  # days, so neither numbering can be misread. Iterating the map keeps the days in week order.
  day_names_by_number = { for i, name in local.day_names : tostring(i) => name }
  expressions = {
    for k, s in local.shifted : k => format(
      "cron(%d %d ? * %s *)",
      s.minute_of_day % 60,
      floor(s.minute_of_day / 60),
      length(s.days) == 7 ? "*" : join(",", [for n, name in local.day_names_by_number : name if contains(s.days, n)])
    )
  }

  instance_arns = [
    for id in var.instance_ids : "arn:${data.aws_partition.current.partition}:ec2:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:instance/${id}"
  ]

  has_database  = var.database_identifier != ""
  has_instances = length(var.instance_ids) > 0

  schedules = merge(
    local.has_database ? {
      db-stop  = { expression = local.expressions.stop, action = "rds:stopDBInstance", input = jsonencode({ DbInstanceIdentifier = var.database_identifier }), description = "Stop the ${var.environment} database after the API scales down" }
      db-start = { expression = local.expressions.start, action = "rds:startDBInstance", input = jsonencode({ DbInstanceIdentifier = var.database_identifier }), description = "Start the ${var.environment} database before the API scales up" }
    } : {},
    local.has_instances ? {
      instances-stop  = { expression = local.expressions.stop, action = "ec2:stopInstances", input = jsonencode({ InstanceIds = var.instance_ids }), description = "Stop the ${var.environment} Qdrant instances after the API scales down" }
      instances-start = { expression = local.expressions.start, action = "ec2:startInstances", input = jsonencode({ InstanceIds = var.instance_ids }), description = "Start the ${var.environment} Qdrant instances before the API scales up" }
    } : {},
  )
}

resource "aws_scheduler_schedule_group" "this" {
  name = local.name
  tags = merge(local.tags, { Name = local.name })
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }
    # Only schedules of this account may use the role (confused-deputy guard).
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "this" {
  name_prefix        = "${local.name}-"
  description        = "EventBridge Scheduler: stops and starts the Memory Spine ${var.environment} stores off hours"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = merge(local.tags, { Name = "${local.name}-role" })
}

data "aws_iam_policy_document" "stop_start" {
  dynamic "statement" {
    for_each = local.has_database ? [var.database_arn] : []
    content {
      sid       = "StopStartDatabase"
      actions   = ["rds:StopDBInstance", "rds:StartDBInstance"]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = local.has_instances ? [local.instance_arns] : []
    content {
      sid       = "StopStartInstances"
      actions   = ["ec2:StopInstances", "ec2:StartInstances"]
      resources = statement.value
    }
  }

  dynamic "statement" {
    for_each = length(var.volume_kms_key_arns) > 0 ? [var.volume_kms_key_arns] : []
    content {
      sid       = "StartWithEncryptedVolumes"
      actions   = ["kms:CreateGrant"]
      resources = statement.value
      condition {
        test     = "Bool"
        variable = "kms:GrantIsForAWSResource"
        values   = ["true"]
      }
    }
  }
}

resource "aws_iam_role_policy" "stop_start" {
  name   = "${local.name}-stop-start"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.stop_start.json
}

resource "aws_scheduler_schedule" "this" {
  for_each = local.schedules

  name                         = "${local.name}-${each.key}"
  group_name                   = aws_scheduler_schedule_group.this.name
  description                  = each.value.description
  schedule_expression          = each.value.expression
  schedule_expression_timezone = var.schedule_time_zone
  state                        = "ENABLED"

  # The margin to the API group is the point: fire at the minute, not in a window.
  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = "arn:aws:scheduler:::aws-sdk:${each.value.action}"
    role_arn = aws_iam_role.this.arn
    input    = each.value.input

    # A store still busy (backup, maintenance) gets retried for an hour, then the day is skipped.
    retry_policy {
      maximum_event_age_in_seconds = 3600
      maximum_retry_attempts       = 10
    }
  }

  depends_on = [aws_iam_role_policy.stop_start]
}
