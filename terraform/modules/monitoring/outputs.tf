output "alerts_topic_arn" {
  description = "SNS topic the alarms, the Prometheus alert manager and the budget notify."
  value       = aws_sns_topic.alerts.arn
}

output "alarm_names" {
  description = "Names of the CloudWatch alarms."
  value       = [for alarm in aws_cloudwatch_metric_alarm.this : alarm.alarm_name]
}

output "dashboard_name" {
  description = "CloudWatch dashboard of the environment."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}

output "prometheus_remote_write_url" {
  description = "Amazon Managed Prometheus remote-write URL for the scrape agent."
  value       = "${aws_prometheus_workspace.this.prometheus_endpoint}api/v1/remote_write"
}

output "budget_name" {
  description = "Monthly AWS Budget of the environment."
  value       = aws_budgets_budget.monthly.name
}
