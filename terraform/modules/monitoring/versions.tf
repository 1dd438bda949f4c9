terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 6.42: the budget's filter_expression (6.33) needs its companion metrics (6.42); the floor
      # is derived from the constructs in tests/terraform/helpers/provider-constructs.ts.
      version = "~> 6.42"
    }
  }
}
