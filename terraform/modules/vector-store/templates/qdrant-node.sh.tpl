#!/usr/bin/env bash
# Boot script of the Qdrant vector store node, rendered by templatefile() in ../main.tf: every
# template variable arrives shell-quoted, and every shell expansion is written $${...} so that
# templatefile leaves it alone. Mounts the separate data volume, reads the API key from SSM
# Parameter Store and runs the pinned Qdrant release under systemd.
set -euo pipefail

ENVIRONMENT=${environment}
QDRANT_VERSION=${qdrant_version}
API_KEY_PARAMETER=${api_key_parameter}
DATA_VOLUME_ID=${data_volume_id}
HTTP_PORT=${http_port}
GRPC_PORT=${grpc_port}
DATA_DIR=/var/lib/qdrant

export DEBIAN_FRONTEND=noninteractive
apt-get update -y
apt-get install -y --no-install-recommends docker.io ca-certificates curl
snap install aws-cli --classic
systemctl enable --now docker

# Nitro instances name the volume after its id (NVMe serial); Xen ones use the mapping name.
# The attachment happens after boot starts, so wait for it.
VOLUME_SERIAL="$${DATA_VOLUME_ID//-/}"
DATA_DEVICE=""
for _ in $(seq 1 120); do
  for candidate in "/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_$${VOLUME_SERIAL}" /dev/sdf /dev/xvdf; do
    if [ -e "$${candidate}" ]; then
      DATA_DEVICE=$(readlink -f "$${candidate}")
      break 2
    fi
  done
  sleep 5
done
if [ -z "$${DATA_DEVICE}" ]; then
  echo "data volume $${DATA_VOLUME_ID} was never attached" >&2
  exit 1
fi
# Format only an empty volume: a replaced instance must find the existing collections.
if ! blkid "$${DATA_DEVICE}" >/dev/null 2>&1; then
  mkfs.ext4 -L qdrant-data "$${DATA_DEVICE}"
fi
install -d -m 0750 "$${DATA_DIR}"
grep -q 'LABEL=qdrant-data' /etc/fstab || echo "LABEL=qdrant-data $${DATA_DIR} ext4 defaults,nofail 0 2" >> /etc/fstab
mount -a

umask 077
install -d -m 0750 /etc/qdrant
api_key=$(aws ssm get-parameter --name "$${API_KEY_PARAMETER}" --with-decryption --query Parameter.Value --output text)
printf 'QDRANT__SERVICE__API_KEY=%s\n' "$${api_key}" > /etc/qdrant/qdrant.env

cat > /etc/systemd/system/qdrant.service <<UNIT
[Unit]
Description=Qdrant $${QDRANT_VERSION} ($${ENVIRONMENT})
After=docker.service network-online.target
Requires=docker.service

[Service]
Restart=always
RestartSec=5
ExecStartPre=-/usr/bin/docker rm -f qdrant
ExecStart=/usr/bin/docker run --rm --name qdrant --env-file /etc/qdrant/qdrant.env -p $${HTTP_PORT}:6333 -p $${GRPC_PORT}:6334 -v $${DATA_DIR}:/qdrant/storage qdrant/qdrant:$${QDRANT_VERSION}
ExecStop=/usr/bin/docker stop qdrant

[Install]
WantedBy=multi-user.target
UNIT

systemctl daemon-reload
systemctl enable --now qdrant.service
