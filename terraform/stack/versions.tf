terraform {
  # 1.11: write-only arguments (the Vault secret) and S3-native state locking (use_lockfile).
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # The newest floor of the modules (monitoring's budget: filter_expression + metrics, 6.42).
      version = "~> 6.42"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
    vault = {
      source  = "hashicorp/vault"
      version = "~> 5.0"
    }
  }

  # Partial configuration: every environment passes its own settings (bucket, its own state key,
  # use_lockfile) from terraform/environments/<env>/backend.hcl at init, so one root module serves
  # all three while each keeps its own state.
  backend "s3" {}
}
