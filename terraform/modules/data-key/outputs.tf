output "key_arn" {
  description = "ARN of the environment's customer-managed data key."
  value       = aws_kms_key.data.arn
}
