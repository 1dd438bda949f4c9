# State per environment, encrypted at rest; S3 locks it natively (use_lockfile, Terraform >= 1.10),
# so no DynamoDB table is needed.
terraform {
  backend "s3" {
    bucket       = "chaozcode-terraform-state"
    key          = "memory-spine/prod/terraform.tfstate"
    region       = "us-east-1"
    encrypt      = true
    use_lockfile = true
  }
}
