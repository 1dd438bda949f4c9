#!/usr/bin/env bash
# tf.sh — run Terraform on one environment of the Memory Spine root module.
#
#   terraform/scripts/tf.sh <dev|staging|prod> <terraform command> [arguments...]
#   terraform/scripts/tf.sh dev init
#   terraform/scripts/tf.sh dev plan -out=dev.tfplan
#   terraform/scripts/tf.sh dev apply dev.tfplan
#
# One root module (terraform/stack) serves every environment; what differs lives in
# terraform/environments/<env>: backend.hcl (its own state key) and terraform.tfvars (its values).
# This script keeps each environment isolated as a directory of its own would:
#   - TF_DATA_DIR=terraform/environments/<env>/.terraform, so each environment has its own
#     initialized backend and providers and one can never plan against another's state;
#   - `init` gets -backend-config=<env>/backend.hcl;
#   - commands that read variables get -var-file=<env>/terraform.tfvars (not `apply` of a saved
#     plan, which carries its variables and refuses new ones);
#   - relative paths in the arguments (-out=dev.tfplan, a saved plan) resolve in terraform/stack,
#     Terraform's working directory under -chdir; *.tfplan is git-ignored.
set -euo pipefail

usage="Usage: tf.sh <dev|staging|prod> <terraform command> [arguments...]"
ENV="${1:?${usage}}"
COMMAND="${2:?${usage}}"
shift 2
case "${ENV}" in
  dev | staging | prod) ;;
  *)
    echo "Unknown environment '${ENV}': use dev, staging or prod." >&2
    exit 64
    ;;
esac

TERRAFORM_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT_MODULE="${TERRAFORM_DIR}/stack"
ENV_DIR="${TERRAFORM_DIR}/environments/${ENV}"
export TF_DATA_DIR="${ENV_DIR}/.terraform"

args=()
case "${COMMAND}" in
  init)
    args=(-backend-config="${ENV_DIR}/backend.hcl")
    ;;
  plan | refresh | import | console | destroy)
    args=(-var-file="${ENV_DIR}/terraform.tfvars")
    ;;
  apply)
    # A positional argument is a saved plan: it already holds the variables.
    saved_plan=false
    for arg in "$@"; do
      [[ "${arg}" == -* ]] || saved_plan=true
    done
    "${saved_plan}" || args=(-var-file="${ENV_DIR}/terraform.tfvars")
    ;;
esac

exec terraform -chdir="${ROOT_MODULE}" "${COMMAND}" "${args[@]}" "$@"
