output "mount_path" {
  description = "Path of the KV v2 mount holding the provider keys."
  value       = vault_mount.provider_keys.path
}

output "openai_secret_path" {
  description = "API path the nodes read the OpenAI entry from."
  value       = "${vault_mount.provider_keys.path}/data/${var.environment}/openai"
}

output "policy_name" {
  description = "Read-only Vault policy the nodes' tokens carry."
  value       = vault_policy.memory_spine.name
}

output "approle_role_name" {
  description = "Name of the AppRole role."
  value       = vault_approle_auth_backend_role.memory_spine.role_name
}

output "aws_auth_role_name" {
  description = "Name of the AWS auth (IAM) role the nodes log in with."
  value       = vault_aws_auth_backend_role.memory_spine.role
}

output "qdrant_api_key" {
  description = "Qdrant's generated API key for the vector store (empty with pgvector)."
  value       = var.vector_store_engine == "qdrant" ? random_password.qdrant_api_key[0].result : ""
  sensitive   = true
}

output "kv_auth_token" {
  description = "AUTH token of the key-value layer, for modules/kv-store."
  value       = random_password.kv_auth_token.result
  sensitive   = true
}

output "kv_secret_path" {
  description = "API path the nodes read the key-value layer's AUTH token from."
  value       = "${vault_mount.provider_keys.path}/data/${var.environment}/kv"
}
