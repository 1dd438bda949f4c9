output "schedule_group_name" {
  description = "EventBridge Scheduler group holding the stores' stop and start schedules."
  value       = aws_scheduler_schedule_group.this.name
}

output "role_arn" {
  description = "Role the schedules act through (stop/start of exactly the given stores)."
  value       = aws_iam_role.this.arn
}

output "stop_expression" {
  description = "When the stores stop: the scale-down cron moved margin_minutes later, in Scheduler's cron dialect."
  value       = local.expressions.stop
}

output "start_expression" {
  description = "When the stores start: the scale-up cron moved margin_minutes earlier, in Scheduler's cron dialect."
  value       = local.expressions.start
}
