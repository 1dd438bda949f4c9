# Policy set for the Memory Spine workspaces (HCP Terraform / Terraform Enterprise), one rule per
# file. Security and blocked instance types cannot be overridden; the budget can, by someone with
# override rights; the scale-to-zero reminder only warns.

# Where a planned resource names instance types; imported by the two instance-type policies.
module "instance_types" {
  source = "./modules/instance-types.sentinel"
}

policy "restrict-instance-types" {
  source            = "./restrict-instance-types.sentinel"
  enforcement_level = "hard-mandatory"
}

policy "no-gpu-outside-prod" {
  source            = "./no-gpu-outside-prod.sentinel"
  enforcement_level = "hard-mandatory"
}

policy "mandatory-tags" {
  source            = "./mandatory-tags.sentinel"
  enforcement_level = "hard-mandatory"
}

policy "cost-limit" {
  source            = "./cost-limit.sentinel"
  enforcement_level = "soft-mandatory"

  params = {
    budgets = {
      dev     = 400
      staging = 1500
      prod    = 6000
    }
  }
}

policy "nonprod-scale-to-zero" {
  source            = "./nonprod-scale-to-zero.sentinel"
  enforcement_level = "advisory"
}

policy "imdsv2-required" {
  source            = "./imdsv2-required.sentinel"
  enforcement_level = "hard-mandatory"
}

policy "ebs-encryption" {
  source            = "./ebs-encryption.sentinel"
  enforcement_level = "hard-mandatory"
}

policy "rds-encryption-private" {
  source            = "./rds-encryption-private.sentinel"
  enforcement_level = "hard-mandatory"
}

policy "no-open-ingress" {
  source            = "./no-open-ingress.sentinel"
  enforcement_level = "hard-mandatory"
}

policy "tls-listener-policy" {
  source            = "./tls-listener-policy.sentinel"
  enforcement_level = "hard-mandatory"
}

policy "deletion-protection-prod" {
  source            = "./deletion-protection-prod.sentinel"
  enforcement_level = "hard-mandatory"
}

policy "backup-coverage-prod" {
  source            = "./backup-coverage-prod.sentinel"
  enforcement_level = "hard-mandatory"
}

policy "elasticache-encryption" {
  source            = "./elasticache-encryption.sentinel"
  enforcement_level = "hard-mandatory"
}

policy "elasticache-multi-az-prod" {
  source            = "./elasticache-multi-az-prod.sentinel"
  enforcement_level = "hard-mandatory"
}

policy "vpc-flow-logs" {
  source            = "./vpc-flow-logs.sentinel"
  enforcement_level = "advisory"
}
