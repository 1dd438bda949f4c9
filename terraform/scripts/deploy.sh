#!/usr/bin/env bash
# deploy.sh — plan and apply one environment of the Memory Spine Terraform module set, then
# check the API's health.
#
#   terraform/scripts/deploy.sh <dev|staging|prod>
#
# Needs AWS credentials and VAULT_TOKEN in the environment. Dev and staging balancers are
# internal: run it from inside the VPC or over the VPN, or the final health check cannot connect.
#
# `plan -detailed-exitcode` exits 2 when there are changes. Under `set -e` a bare plan command
# would end the script right there (the reference's bug: it could never apply), so the exit code
# is captured with `|| plan_exit=$?`, which set -e does not act on.
set -euo pipefail

ENV="${1:?Usage: deploy.sh <dev|staging|prod>}"
case "${ENV}" in
  dev | staging | prod) ;;
  *)
    echo "Unknown environment '${ENV}': use dev, staging or prod." >&2
    exit 64
    ;;
esac

# tf.sh runs the one root module (terraform/stack) with this environment's backend, values and
# data directory; the saved plan is kept next to the environment's values.
TF="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/tf.sh"
PLAN="$(cd "$(dirname "${BASH_SOURCE[0]}")/../environments/${ENV}" && pwd)/${ENV}.tfplan"
HEALTH_ATTEMPTS="${HEALTH_ATTEMPTS:-30}"
HEALTH_INTERVAL_SECONDS="${HEALTH_INTERVAL_SECONDS:-10}"

echo "══════ Initializing ${ENV} ══════"
# No -upgrade: providers stay at the versions recorded in terraform/stack/.terraform.lock.hcl.
"${TF}" "${ENV}" init -input=false

echo "══════ Planning ${ENV} ══════"
plan_exit=0
"${TF}" "${ENV}" plan \
  -input=false \
  -out="${PLAN}" \
  -detailed-exitcode || plan_exit=$?

case "${plan_exit}" in
  0)
    echo "No changes detected."
    exit 0
    ;;
  2)
    echo "Changes detected — applying..."
    "${TF}" "${ENV}" apply -input=false "${PLAN}"
    ;;
  *)
    echo "Plan failed (exit ${plan_exit})." >&2
    exit 1
    ;;
esac

echo "══════ Verifying health ══════"
API_URL="$("${TF}" "${ENV}" output -raw api_endpoint)"
# New nodes need a few minutes to boot, pull the image and pass the balancer's health check.
for attempt in $(seq 1 "${HEALTH_ATTEMPTS}"); do
  if curl -fsS --max-time 10 "${API_URL}/health" >/dev/null; then
    echo "${API_URL} is healthy."
    exit 0
  fi
  echo "Attempt ${attempt}/${HEALTH_ATTEMPTS}: not healthy yet."
  sleep "${HEALTH_INTERVAL_SECONDS}"
done
echo "Health check failed after apply!" >&2
exit 1
