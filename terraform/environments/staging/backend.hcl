# staging's state, passed to `terraform init -backend-config` of the root in terraform/stack (see
# terraform/scripts/tf.sh): its own key, encrypted at rest, locked natively by S3 with a lock file
# next to the state (use_lockfile, Terraform >= 1.10), so no DynamoDB table is needed.
bucket       = "chaozcode-terraform-state"
key          = "memory-spine/staging/terraform.tfstate"
region       = "us-east-1"
encrypt      = true
use_lockfile = true
