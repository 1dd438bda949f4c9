#!/usr/bin/env bash
# Boot script of a Memory Spine API node (rendered by components/user-data.ts; every
# placeholder arrives shell-quoted). Installs Docker, writes the service settings and runs
# the pinned Memory Spine image under systemd on port 8788.
set -euo pipefail

ENVIRONMENT={{environment}}
VAULT_ADDR={{vaultAddress}}
VECTOR_STORE_ENGINE={{vectorStoreEngine}}
VECTOR_STORE_ENDPOINT={{vectorStoreEndpoint}}
CONTAINER_IMAGE={{containerImage}}
API_PORT={{apiPort}}

export DEBIAN_FRONTEND=noninteractive
apt-get update -y
apt-get install -y --no-install-recommends docker.io ca-certificates curl
systemctl enable --now docker

install -d -m 0750 /etc/memory-spine
umask 077
cat > /etc/memory-spine/memory-spine.env <<ENV
MEMORY_SPINE_ENVIRONMENT=${ENVIRONMENT}
MEMORY_SPINE_PORT=${API_PORT}
VAULT_ADDR=${VAULT_ADDR}
VECTOR_STORE_ENGINE=${VECTOR_STORE_ENGINE}
VECTOR_STORE_ENDPOINT=${VECTOR_STORE_ENDPOINT}
ENV

cat > /etc/systemd/system/memory-spine.service <<UNIT
[Unit]
Description=Memory Spine API (${ENVIRONMENT})
After=docker.service network-online.target
Requires=docker.service
Wants=network-online.target

[Service]
Restart=always
RestartSec=5
ExecStartPre=-/usr/bin/docker rm -f memory-spine
ExecStartPre=/usr/bin/docker pull ${CONTAINER_IMAGE}
ExecStart=/usr/bin/docker run --rm --name memory-spine --env-file /etc/memory-spine/memory-spine.env -p ${API_PORT}:${API_PORT} ${CONTAINER_IMAGE}
ExecStop=/usr/bin/docker stop memory-spine

[Install]
WantedBy=multi-user.target
UNIT

systemctl daemon-reload
systemctl enable --now memory-spine.service

# Report healthy only once the API answers, so that a broken image fails the first health checks loudly.
for _ in $(seq 1 60); do
  if curl -fsS "http://127.0.0.1:${API_PORT}/health" >/dev/null; then
    echo "memory-spine is healthy on port ${API_PORT}"
    exit 0
  fi
  sleep 5
done
echo "memory-spine did not become healthy within 5 minutes" >&2
exit 1
