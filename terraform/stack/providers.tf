provider "aws" {
  region = var.aws_region

  default_tags {
    tags = merge(var.tags, { Environment = var.environment, Service = "memory-spine" })
  }
}

# No token argument: the provider reads VAULT_TOKEN from the environment, so the token is never
# a variable, never in a file and never in state.
provider "vault" {
  address = var.vault_address
}
