/**
 * What the monitoring watches on the key-value layer. ElastiCache publishes its metrics per node,
 * with the node's cache cluster id as dimension, and names the nodes of a replication group
 * itself: `<group>-<node>` (001, 002, ...) with one shard, `<group>-<shard>-<node>` (0001-001, ...)
 * in cluster mode. The ids are derived here from the group id and its size so that the alarms
 * exist from the first deployment, in both forms (terraform/modules/monitoring does the same).
 */
import type { Environment } from "./config";
import { resourceName } from "./tags";

export const KV_PORT = 6379;

/** Alarm levels of the key-value layer (the same numbers in terraform/modules/monitoring). */
export const KV_ALARMS = {
    /** Engine thread CPU, percent (Valkey runs commands on one main thread). */
    engineCpuPercent: 80,
    /** used_memory / maxmemory, percent: the working set outgrows the nodes. */
    memoryPercent: 90,
    /** Keys evicted per 5 minutes: more than this means hot data is being pushed out. */
    evictionsPer5Min: 1000,
    /** Seconds a replica trails its primary. */
    replicationLagSeconds: 5,
} as const;

/** The replication group id (and the prefix of every node id): `memspine-<env>-kv`. */
export function kvReplicationGroupId(environment: Environment): string {
    return resourceName(environment, "kv");
}

/** The cache cluster (node) ids ElastiCache gives the group's members. */
export function kvMemberClusterIds(groupId: string, shards: number, replicas: number): string[] {
    const nodes = Array.from({ length: replicas + 1 }, (_, i) => String(i + 1).padStart(3, "0"));
    if (shards <= 1) {
        return nodes.map((node) => `${groupId}-${node}`);
    }
    return Array.from({ length: shards }, (_, s) => String(s + 1).padStart(4, "0"))
        .flatMap((shard) => nodes.map((node) => `${groupId}-${shard}-${node}`));
}
