#!/usr/bin/env bash
# Boot script of a Qdrant vector store node (rendered by components/user-data.ts; every
# placeholder arrives shell-quoted). Mounts the node's own data volume, reads the API key from
# SSM Parameter Store, runs the pinned Qdrant release under systemd (in Qdrant's distributed
# mode when PEER_URIS lists more than one node), uploads collection snapshots to S3 daily and
# publishes how full the data volume is to CloudWatch every few minutes.
set -euo pipefail

ENVIRONMENT=@@environment@@
QDRANT_VERSION=@@qdrantVersion@@
API_KEY_PARAMETER=@@apiKeyParameter@@
DATA_VOLUME_ID=@@dataVolumeId@@
HTTP_PORT=@@httpPort@@
GRPC_PORT=@@grpcPort@@
P2P_PORT=@@p2pPort@@
NODE_INDEX=@@nodeIndex@@
NODE_LABEL=@@nodeLabel@@
# Every node's stable peer URI in node order, space-separated; empty on a single node.
PEER_URIS=@@peerUris@@
REPLICATION_FACTOR=@@replicationFactor@@
WRITE_CONSISTENCY_FACTOR=@@writeConsistencyFactor@@
SNAPSHOT_BUCKET=@@snapshotBucket@@
MONTHLY_SNAPSHOTS=@@monthlySnapshots@@
DISK_METRIC_NAMESPACE=@@diskMetricNamespace@@
DISK_METRIC_NAME=@@diskMetricName@@
DISK_METRIC_INTERVAL=@@diskMetricIntervalSeconds@@
DATA_DIR=/var/lib/qdrant

export DEBIAN_FRONTEND=noninteractive
apt-get update -y
apt-get install -y --no-install-recommends docker.io ca-certificates curl jq
snap install aws-cli --classic
systemctl enable --now docker

# Nitro instances name the volume after its id (NVMe serial); Xen ones use the mapping name.
# The attachment happens after boot starts, so wait for it.
VOLUME_SERIAL="${DATA_VOLUME_ID//-/}"
DATA_DEVICE=""
for _ in $(seq 1 120); do
  for candidate in "/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${VOLUME_SERIAL}" /dev/sdf /dev/xvdf; do
    if [ -e "${candidate}" ]; then
      DATA_DEVICE=$(readlink -f "${candidate}")
      break 2
    fi
  done
  sleep 5
done
if [ -z "${DATA_DEVICE}" ]; then
  echo "data volume ${DATA_VOLUME_ID} was never attached" >&2
  exit 1
fi
# Format only an empty volume: a replaced instance must find the existing collections.
if ! blkid "${DATA_DEVICE}" >/dev/null 2>&1; then
  mkfs.ext4 -L qdrant-data "${DATA_DEVICE}"
fi
install -d -m 0750 "${DATA_DIR}"
# nofail keeps a missing volume from blocking boot; the units below require the mount instead,
# so Qdrant never starts on the root disk when the volume is late or gone.
grep -q 'LABEL=qdrant-data' /etc/fstab || echo "LABEL=qdrant-data ${DATA_DIR} ext4 defaults,nofail,x-systemd.device-timeout=5min 0 2" >> /etc/fstab
mount -a

umask 077
install -d -m 0750 /etc/qdrant
api_key=$(aws ssm get-parameter --name "${API_KEY_PARAMETER}" --with-decryption --query Parameter.Value --output text)
{
  printf 'QDRANT__SERVICE__API_KEY=%s\n' "${api_key}"
  # Snapshots are written to the data volume (the root disk is small), then uploaded and removed.
  printf 'QDRANT__STORAGE__SNAPSHOTS_PATH=/qdrant/storage/snapshots\n'
  if [ -n "${PEER_URIS}" ]; then
    printf 'QDRANT__CLUSTER__ENABLED=true\nQDRANT__CLUSTER__P2P__PORT=6335\n'
    # Defaults for every new collection that does not set its own (Qdrant's storage.collection).
    printf 'QDRANT__STORAGE__COLLECTION__REPLICATION_FACTOR=%s\n' "${REPLICATION_FACTOR}"
    printf 'QDRANT__STORAGE__COLLECTION__WRITE_CONSISTENCY_FACTOR=%s\n' "${WRITE_CONSISTENCY_FACTOR}"
  fi
} > /etc/qdrant/qdrant.env
printf 'api-key: %s\n' "${api_key}" > /etc/qdrant/api-key.header
printf 'QDRANT_VERSION=%s\nHTTP_PORT=%s\nGRPC_PORT=%s\nP2P_PORT=%s\nDATA_DIR=%s\nNODE_INDEX=%s\nPEER_URIS="%s"\n' \
  "${QDRANT_VERSION}" "${HTTP_PORT}" "${GRPC_PORT}" "${P2P_PORT}" "${DATA_DIR}" "${NODE_INDEX}" "${PEER_URIS}" > /etc/qdrant/run.env

cat > /usr/local/bin/qdrant-run <<'SCRIPT'
#!/usr/bin/env bash
# Runs Qdrant in the foreground for systemd. In a cluster the node announces its stable peer
# URI. A node without consensus state (first boot, or a replaced empty volume) joins the first
# peer that answers; only node 0 may found a new cluster, and only when no peer answers, so a
# rebuilt node 0 rejoins the running cluster instead of splitting it.
set -euo pipefail
# shellcheck disable=SC1091
. /etc/qdrant/run.env
args=()
if [ -n "${PEER_URIS}" ]; then
  read -r -a peers <<< "${PEER_URIS}"
  self="${peers[${NODE_INDEX}]}"
  args=(./qdrant --uri "${self}")
  if [ ! -e "${DATA_DIR}/raft_state.json" ]; then
    bootstrap=""
    for peer in "${peers[@]}"; do
      [ "${peer}" = "${self}" ] && continue
      address="${peer#http://}"
      # The probe's $1/$2 are the inner shell's arguments, expanded there (not here).
      # shellcheck disable=SC2016
      if timeout 3 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "${address%:*}" "${address##*:}" 2>/dev/null; then
        bootstrap="${peer}"
        break
      fi
    done
    if [ -n "${bootstrap}" ]; then
      args+=(--bootstrap "${bootstrap}")
    elif [ "${NODE_INDEX}" != 0 ]; then
      echo "no Qdrant peer answers yet; node ${NODE_INDEX} waits for node 0 to found the cluster" >&2
      exit 75
    fi
  fi
fi
exec /usr/bin/docker run --rm --name qdrant --env-file /etc/qdrant/qdrant.env \
  -p "${HTTP_PORT}:6333" -p "${GRPC_PORT}:6334" -p "${P2P_PORT}:6335" \
  -v "${DATA_DIR}:/qdrant/storage" "qdrant/qdrant:${QDRANT_VERSION}" "${args[@]}"
SCRIPT
chmod 0755 /usr/local/bin/qdrant-run

cat > /etc/systemd/system/qdrant.service <<UNIT
[Unit]
Description=Qdrant ${QDRANT_VERSION} (${ENVIRONMENT}, ${NODE_LABEL})
After=docker.service network-online.target
Wants=network-online.target
Requires=docker.service
# Never serve from the root disk: no data volume mounted, no Qdrant.
RequiresMountsFor=${DATA_DIR}

[Service]
Restart=always
RestartSec=5
ExecStartPre=/usr/bin/mountpoint -q ${DATA_DIR}
ExecStartPre=-/usr/bin/docker rm -f qdrant
ExecStart=/usr/local/bin/qdrant-run
ExecStop=/usr/bin/docker stop qdrant

[Install]
WantedBy=multi-user.target
UNIT

systemctl daemon-reload
systemctl enable --now qdrant.service

# Qdrant's own backups: every day each node snapshots the collection shards it holds and
# uploads them to the environment's bucket (daily/..., and in prod the 1st of the month under
# monthly/...), where the bucket's lifecycle expires them with the backup retention.
printf 'BUCKET=%s\nNODE_LABEL=%s\nMONTHLY=%s\nDATA_DIR=%s\nHTTP_PORT=%s\n' \
  "${SNAPSHOT_BUCKET}" "${NODE_LABEL}" "${MONTHLY_SNAPSHOTS}" "${DATA_DIR}" "${HTTP_PORT}" > /etc/qdrant/snapshot.env
cat > /usr/local/bin/qdrant-snapshot <<'SCRIPT'
#!/usr/bin/env bash
# Snapshots every collection on this node, uploads each snapshot to S3, then deletes the local copy.
set -euo pipefail
export PATH="/snap/bin:${PATH}"
api="http://127.0.0.1:${HTTP_PORT}"
header=/etc/qdrant/api-key.header
prefix=daily
if [ "${MONTHLY}" = true ] && [ "$(date -u +%d)" = 01 ]; then
  prefix=monthly
fi
stamp=$(date -u +%Y-%m-%d)
failed=0
for collection in $(curl -fsS -H "@${header}" "${api}/collections" | jq -r '.result.collections[].name'); do
  name=$(curl -fsS -X POST -H "@${header}" "${api}/collections/${collection}/snapshots?wait=true" | jq -r '.result.name')
  if ! aws s3 cp --only-show-errors "${DATA_DIR}/snapshots/${collection}/${name}" "s3://${BUCKET}/${prefix}/${NODE_LABEL}/${collection}/${stamp}/${name}"; then
    echo "upload of ${collection}/${name} failed" >&2
    failed=1
  fi
  curl -fsS -X DELETE -H "@${header}" "${api}/collections/${collection}/snapshots/${name}" >/dev/null || failed=1
done
exit "${failed}"
SCRIPT
chmod 0755 /usr/local/bin/qdrant-snapshot

cat > /etc/systemd/system/qdrant-snapshot.service <<UNIT
[Unit]
Description=Upload Qdrant snapshots of ${NODE_LABEL} (${ENVIRONMENT}) to S3
After=qdrant.service
# Never (re)start Qdrant for a snapshot: an operator may have stopped it on purpose.
Requisite=qdrant.service
RequiresMountsFor=${DATA_DIR}

[Service]
Type=oneshot
EnvironmentFile=/etc/qdrant/snapshot.env
ExecStart=/usr/local/bin/qdrant-snapshot
UNIT

cat > /etc/systemd/system/qdrant-snapshot.timer <<UNIT
[Unit]
Description=Daily Qdrant snapshots of ${NODE_LABEL} to S3

[Timer]
OnCalendar=*-*-* 02:00:00 UTC
RandomizedDelaySec=1800
Persistent=true

[Install]
WantedBy=timers.target
UNIT

systemctl daemon-reload
systemctl enable --now qdrant-snapshot.timer

# EC2 reports no disk usage, and a raised qdrantVolumeSizeGb grows only the volume: every few
# minutes a timer grows the file system to the volume (online; a no-op when they match) and
# publishes how full it is for the disk alarm.
printf 'DATA_DIR=%s\nNAMESPACE=%s\nMETRIC=%s\nENVIRONMENT=%s\nNODE_LABEL=%s\n' \
  "${DATA_DIR}" "${DISK_METRIC_NAMESPACE}" "${DISK_METRIC_NAME}" "${ENVIRONMENT}" "${NODE_LABEL}" > /etc/qdrant/data-volume.env
cat > /usr/local/bin/qdrant-data-volume <<'SCRIPT'
#!/usr/bin/env bash
# Grows the Qdrant data file system to its volume, then publishes its used space (percent).
set -euo pipefail
export PATH="/snap/bin:${PATH}"
resize2fs "$(findmnt -no SOURCE "${DATA_DIR}")" >/dev/null 2>&1 || echo "resize2fs failed; the data volume keeps its size" >&2
token=$(curl -fsS -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: 300" http://169.254.169.254/latest/api/token)
region=$(curl -fsS -H "X-aws-ec2-metadata-token: ${token}" http://169.254.169.254/latest/meta-data/placement/region)
used=$(df --output=pcent "${DATA_DIR}" | tail -n 1 | tr -dc '0-9')
aws cloudwatch put-metric-data --region "${region}" --namespace "${NAMESPACE}" --metric-name "${METRIC}" \
  --dimensions "Environment=${ENVIRONMENT},Node=${NODE_LABEL}" --unit Percent --value "${used}"
SCRIPT
chmod 0755 /usr/local/bin/qdrant-data-volume

cat > /etc/systemd/system/qdrant-data-volume.service <<UNIT
[Unit]
Description=Grow and measure the Qdrant data volume (${ENVIRONMENT}, ${NODE_LABEL})
After=network-online.target
RequiresMountsFor=${DATA_DIR}

[Service]
Type=oneshot
EnvironmentFile=/etc/qdrant/data-volume.env
ExecStart=/usr/local/bin/qdrant-data-volume
UNIT

cat > /etc/systemd/system/qdrant-data-volume.timer <<UNIT
[Unit]
Description=Grow and measure the Qdrant data volume every ${DISK_METRIC_INTERVAL} s

[Timer]
OnBootSec=120
OnUnitActiveSec=${DISK_METRIC_INTERVAL}

[Install]
WantedBy=timers.target
UNIT

systemctl daemon-reload
systemctl enable --now qdrant-data-volume.timer
