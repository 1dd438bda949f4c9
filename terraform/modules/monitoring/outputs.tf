output "alerts_topic_arn" {
  description = "SNS topic the alarms notify."
  value       = aws_sns_topic.alerts.arn
}

output "alarm_names" {
  description = "Names of the CloudWatch alarms."
  value       = [aws_cloudwatch_metric_alarm.target_5xx.alarm_name, aws_cloudwatch_metric_alarm.unhealthy_hosts.alarm_name, aws_cloudwatch_metric_alarm.cpu_high.alarm_name]
}
