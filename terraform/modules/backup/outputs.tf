output "vault_name" {
  description = "Name of the environment's backup vault."
  value       = aws_backup_vault.this.name
}

output "plan_id" {
  description = "Id of the environment's backup plan."
  value       = aws_backup_plan.this.id
}
