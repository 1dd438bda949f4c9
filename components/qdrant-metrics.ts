/**
 * The custom metric the Qdrant node publishes about its data volume, and the alarm level on it.
 * EC2 reports no disk usage, so the node measures the volume itself (components/templates/
 * qdrant-node.sh) and the monitoring alarm watches the same namespace, name and dimension.
 */
export const QDRANT_DISK_METRIC = {
    namespace: "MemorySpine/Qdrant",
    metricName: "DataVolumeUsedPercent",
    /** How often the node publishes, in seconds (also the alarm period). */
    intervalSeconds: 300,
    /** Alarm when the volume is fuller than this (percent): time to grow qdrantVolumeSizeGb. */
    alarmPercent: 80,
} as const;
