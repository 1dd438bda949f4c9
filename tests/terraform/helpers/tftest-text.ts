/**
 * Pieces of HCL every generated terraform test file shares (kv-store-tftest.ts, offhours-tftest.ts).
 */
import { stackAsTfvars } from "./contract";

/** The real AWS provider configured so that a plan never needs credentials or an AWS call. */
export const OFFLINE_AWS_PROVIDER = `provider "aws" {
  region                      = "us-east-1"
  access_key                  = "AKIAIOSFODNN7EXAMPLE"
  secret_key                  = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}`;

/** An environment's tags (its stack file's, which its terraform.tfvars repeats) as an HCL object. */
export function tagsOf(env: "dev" | "staging" | "prod"): string {
    const tags = stackAsTfvars(env).tags as Record<string, string>;
    return `{ ${Object.entries(tags).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(", ")} }`;
}
