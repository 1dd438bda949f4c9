# Plans the data-key module with each environment's settings against the real AWS provider, without
# credentials and without calling AWS (the one data source that would is overridden). The root
# creates the key in prod only; the module itself is the same everywhere. Run from the module
# directory:
#   terraform init -backend=false && terraform test

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "offline-test"
  secret_key                  = "offline-test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

override_data {
  target = data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

run "dev" {
  command = plan

  variables {
    environment = "dev"
    tags        = { Environment = "dev", Team = "platform-engineering", CostCenter = "engineering" }
  }

  assert {
    condition     = aws_kms_alias.data.name == "alias/memspine-dev-data"
    error_message = "The key's alias names its environment."
  }
}

run "staging" {
  command = plan

  variables {
    environment = "staging"
    tags        = { Environment = "staging", Team = "platform-engineering", CostCenter = "engineering" }
  }

  assert {
    condition     = aws_kms_key.data.enable_key_rotation
    error_message = "The data key rotates."
  }
}

run "prod" {
  command = plan

  variables {
    environment = "prod"
    tags        = { Environment = "prod", Team = "platform-engineering", CostCenter = "infrastructure", Compliance = "soc2" }
  }

  assert {
    condition     = aws_kms_key.data.enable_key_rotation && aws_kms_key.data.deletion_window_in_days == 30
    error_message = "prod's data key rotates and waits 30 days before deletion."
  }

  assert {
    condition     = strcontains(aws_kms_key.data.policy, "AWSServiceRoleForAutoScaling") && strcontains(aws_kms_key.data.policy, "kms:GrantIsForAWSResource")
    error_message = "The Auto Scaling service-linked role may use the key for the API nodes' volumes, and grant only to AWS resources."
  }
}
