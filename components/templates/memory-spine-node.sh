#!/usr/bin/env bash
# Boot script of a Memory Spine API node (rendered by components/user-data.ts; every
# placeholder arrives shell-quoted). Installs Docker and Vault Agent, logs in to Vault with
# the node's IAM role (AWS auth, IAM type), renders the provider keys, prepares the vector
# store, and runs the pinned Memory Spine image under systemd on the API port.
set -euo pipefail

ENVIRONMENT=@@environment@@
VAULT_ADDR=@@vaultAddress@@
VAULT_AWS_AUTH_PATH=@@vaultAwsAuthPath@@
VAULT_ROLE=@@vaultRole@@
OPENAI_SECRET_PATH=@@openaiSecretPath@@
QDRANT_SECRET_PATH=@@qdrantSecretPath@@
KV_SECRET_PATH=@@kvSecretPath@@
KV_URL=@@kvUrl@@
KV_CLUSTER_MODE=@@kvClusterMode@@
VECTOR_STORE_ENGINE=@@vectorStoreEngine@@
VECTOR_STORE_ENDPOINT=@@vectorStoreEndpoint@@
DATABASE_SECRET_ARN=@@databaseSecretArn@@
CONTAINER_IMAGE=@@containerImage@@
API_PORT=@@apiPort@@

export DEBIAN_FRONTEND=noninteractive
apt-get update -y
apt-get install -y --no-install-recommends docker.io ca-certificates curl gnupg jq lsb-release postgresql-client
curl -fsSL https://apt.releases.hashicorp.com/gpg | gpg --dearmor --yes -o /usr/share/keyrings/hashicorp-archive-keyring.gpg
echo "deb [signed-by=/usr/share/keyrings/hashicorp-archive-keyring.gpg] https://apt.releases.hashicorp.com $(lsb_release -cs) main" \
  > /etc/apt/sources.list.d/hashicorp.list
apt-get update -y
apt-get install -y --no-install-recommends vault
snap install aws-cli --classic
systemctl enable --now docker

install -d -m 0750 /etc/memory-spine /etc/vault-agent
umask 077

cat > /etc/memory-spine/memory-spine.env <<ENV
MEMORY_SPINE_ENVIRONMENT=${ENVIRONMENT}
MEMORY_SPINE_PORT=${API_PORT}
VAULT_ADDR=${VAULT_ADDR}
VECTOR_STORE_ENGINE=${VECTOR_STORE_ENGINE}
VECTOR_STORE_ENDPOINT=${VECTOR_STORE_ENDPOINT}
MEMORY_SPINE_KV_URL=${KV_URL}
MEMORY_SPINE_KV_CLUSTER_MODE=${KV_CLUSTER_MODE}
ENV

# Vault Agent: log in with this instance's IAM role and keep the provider keys and the
# key-value layer's AUTH token rendered (a rotated token restarts the service below).
# The first line marks a finished render even before anyone has written a key.
qdrant_template=""
if [ -n "${QDRANT_SECRET_PATH}" ]; then
  qdrant_template="{{ with secret \"${QDRANT_SECRET_PATH}\" }}QDRANT_API_KEY={{ .Data.data.api_key }}{{ end }}"
fi
cat > /etc/vault-agent/agent.hcl <<HCL
vault {
  address = "${VAULT_ADDR}"
}
auto_auth {
  method "aws" {
    mount_path = "auth/${VAULT_AWS_AUTH_PATH}"
    config = {
      type = "iam"
      role = "${VAULT_ROLE}"
    }
  }
  sink "file" {
    config = {
      path = "/run/vault-agent/token"
      mode = 0600
    }
  }
}
template {
  destination = "/etc/memory-spine/secrets.env"
  perms       = "0600"
  command     = "systemctl try-restart memory-spine.service"
  contents    = <<EOT
MEMORY_SPINE_SECRETS_RENDERED=1
{{ with secret "${OPENAI_SECRET_PATH}" }}OPENAI_API_KEY={{ .Data.data.api_key }}
OPENAI_ORGANIZATION_ID={{ .Data.data.organization_id }}{{ end }}
${qdrant_template}
{{ with secret "${KV_SECRET_PATH}" }}MEMORY_SPINE_KV_AUTH_TOKEN={{ .Data.data.auth_token }}{{ end }}
EOT
}
HCL

# The token sink lives in /run, which is empty after every reboot: the unit owns its directory
# (systemd creates it, root-only, before each start), so the agent can write its sink after a reboot.
cat > /etc/systemd/system/vault-agent.service <<UNIT
[Unit]
Description=Vault Agent for Memory Spine (${ENVIRONMENT})
After=network-online.target
Wants=network-online.target

[Service]
ExecStart=/usr/bin/vault agent -config=/etc/vault-agent/agent.hcl
RuntimeDirectory=vault-agent
RuntimeDirectoryMode=0700
Restart=always
RestartSec=5

[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
systemctl enable --now vault-agent.service

# pgvector: the RDS-managed master credentials come from Secrets Manager; the extension is
# created once per database (idempotent).
: > /etc/memory-spine/database.env
if [ "${VECTOR_STORE_ENGINE}" = "pgvector" ]; then
  credentials=$(aws secretsmanager get-secret-value --secret-id "${DATABASE_SECRET_ARN}" --query SecretString --output text)
  db_user=$(jq -r .username <<<"${credentials}")
  db_password=$(jq -r .password <<<"${credentials}")
  db_host="${VECTOR_STORE_ENDPOINT%:*}"
  db_port="${VECTOR_STORE_ENDPOINT##*:}"
  PGPASSWORD="${db_password}" psql "host=${db_host} port=${db_port} dbname=memoryspine user=${db_user} sslmode=require" \
    -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION IF NOT EXISTS vector'
  printf 'VECTOR_STORE_USER=%s\nVECTOR_STORE_PASSWORD=%s\n' "${db_user}" "${db_password}" > /etc/memory-spine/database.env
fi

# Metrics: a Prometheus agent scrapes the API and the node exporter and remote-writes to this
# environment's Amazon Managed Prometheus workspace (found by its alias; the node role may
# aps:RemoteWrite to it). No workspace yet = no agent; the API still starts.
imds_token=$(curl -fsS -X PUT "http://169.254.169.254/latest/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 300")
aws_region=$(curl -fsS -H "X-aws-ec2-metadata-token: ${imds_token}" "http://169.254.169.254/latest/meta-data/placement/region")
workspace_id=$(aws amp list-workspaces --region "${aws_region}" --alias "memspine-${ENVIRONMENT}" --query 'workspaces[0].workspaceId' --output text || true)
if [ -n "${workspace_id}" ] && [ "${workspace_id}" != "None" ]; then
  apt-get install -y --no-install-recommends prometheus prometheus-node-exporter
  cat > /etc/prometheus/prometheus.yml <<PROM
global:
  scrape_interval: 30s
  external_labels:
    environment: ${ENVIRONMENT}
scrape_configs:
  - job_name: memory-spine
    static_configs:
      - targets: ['127.0.0.1:${API_PORT}']
  - job_name: node
    static_configs:
      - targets: ['127.0.0.1:9100']
remote_write:
  - url: https://aps-workspaces.${aws_region}.amazonaws.com/workspaces/${workspace_id}/api/v1/remote_write
    sigv4:
      region: ${aws_region}
PROM
  echo 'ARGS="--enable-feature=agent"' > /etc/default/prometheus
  systemctl enable prometheus-node-exporter
  systemctl restart prometheus-node-exporter prometheus
fi

cat > /etc/systemd/system/memory-spine.service <<UNIT
[Unit]
Description=Memory Spine API (${ENVIRONMENT})
After=docker.service vault-agent.service network-online.target
Requires=docker.service
Wants=network-online.target

[Service]
Restart=always
RestartSec=5
TimeoutStartSec=600
ExecStartPre=/bin/sh -c 'until [ -s /etc/memory-spine/secrets.env ]; do sleep 2; done'
ExecStartPre=-/usr/bin/docker rm -f memory-spine
ExecStartPre=/usr/bin/docker pull ${CONTAINER_IMAGE}
ExecStart=/usr/bin/docker run --rm --name memory-spine --env-file /etc/memory-spine/memory-spine.env --env-file /etc/memory-spine/secrets.env --env-file /etc/memory-spine/database.env -p ${API_PORT}:${API_PORT} ${CONTAINER_IMAGE}
ExecStop=/usr/bin/docker stop memory-spine

[Install]
WantedBy=multi-user.target
UNIT

systemctl daemon-reload
systemctl enable --now memory-spine.service

# Report success only once the API answers, so that a broken image fails loudly at boot.
for _ in $(seq 1 60); do
  if curl -fsS "http://127.0.0.1:${API_PORT}/health" >/dev/null; then
    echo "memory-spine is healthy on port ${API_PORT}"
    exit 0
  fi
  sleep 5
done
echo "memory-spine did not become healthy within 5 minutes" >&2
exit 1
