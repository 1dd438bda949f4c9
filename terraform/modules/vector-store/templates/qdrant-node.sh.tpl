#!/usr/bin/env bash
# Boot script of the Qdrant vector store node, rendered by templatefile() in ../main.tf: every
# template variable arrives shell-quoted, and every shell expansion is written $${...} so that
# templatefile leaves it alone. Mounts the separate data volume, reads the API key from SSM
# Parameter Store, runs the pinned Qdrant release under systemd and publishes how full the data
# volume is to CloudWatch every few minutes.
set -euo pipefail

ENVIRONMENT=${environment}
QDRANT_VERSION=${qdrant_version}
API_KEY_PARAMETER=${api_key_parameter}
DATA_VOLUME_ID=${data_volume_id}
HTTP_PORT=${http_port}
GRPC_PORT=${grpc_port}
DISK_METRIC_NAMESPACE=${disk_metric_namespace}
DISK_METRIC_NAME=${disk_metric_name}
DISK_METRIC_INTERVAL=${disk_metric_interval_seconds}
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

# EC2 reports no disk usage, and a raised qdrantVolumeSizeGb grows only the volume: every few
# minutes a timer grows the file system to the volume (online; a no-op when they match) and
# publishes how full it is for the disk alarm.
printf 'DATA_DIR=%s\nNAMESPACE=%s\nMETRIC=%s\nENVIRONMENT=%s\n' \
  "$${DATA_DIR}" "$${DISK_METRIC_NAMESPACE}" "$${DISK_METRIC_NAME}" "$${ENVIRONMENT}" > /etc/qdrant/data-volume.env
cat > /usr/local/bin/qdrant-data-volume <<'SCRIPT'
#!/usr/bin/env bash
# Grows the Qdrant data file system to its volume, then publishes its used space (percent).
set -euo pipefail
export PATH="/snap/bin:$${PATH}"
resize2fs "$(findmnt -no SOURCE "$${DATA_DIR}")" >/dev/null 2>&1 || echo "resize2fs failed; the data volume keeps its size" >&2
token=$(curl -fsS -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: 300" http://169.254.169.254/latest/api/token)
region=$(curl -fsS -H "X-aws-ec2-metadata-token: $${token}" http://169.254.169.254/latest/meta-data/placement/region)
used=$(df --output=pcent "$${DATA_DIR}" | tail -n 1 | tr -dc '0-9')
aws cloudwatch put-metric-data --region "$${region}" --namespace "$${NAMESPACE}" --metric-name "$${METRIC}" \
  --dimensions "Environment=$${ENVIRONMENT}" --unit Percent --value "$${used}"
SCRIPT
chmod 0755 /usr/local/bin/qdrant-data-volume

cat > /etc/systemd/system/qdrant-data-volume.service <<UNIT
[Unit]
Description=Grow and measure the Qdrant data volume ($${ENVIRONMENT})
After=network-online.target

[Service]
Type=oneshot
EnvironmentFile=/etc/qdrant/data-volume.env
ExecStart=/usr/local/bin/qdrant-data-volume
UNIT

cat > /etc/systemd/system/qdrant-data-volume.timer <<UNIT
[Unit]
Description=Grow and measure the Qdrant data volume every $${DISK_METRIC_INTERVAL} s

[Timer]
OnBootSec=120
OnUnitActiveSec=$${DISK_METRIC_INTERVAL}

[Install]
WantedBy=timers.target
UNIT

systemctl daemon-reload
systemctl enable --now qdrant-data-volume.timer
