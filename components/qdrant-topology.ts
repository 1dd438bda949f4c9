/**
 * The shape of a Qdrant deployment, as plain data: how many nodes are allowed, where each one
 * runs, how the peers find each other and which collection defaults Qdrant is started with.
 * Pure (no resources), so config validation, the component and the tests share one truth.
 */
import type { Environment } from "./config";

/** Node counts Qdrant's Raft consensus makes sense with: one node, or an odd cluster (majority quorum). */
export const QDRANT_NODE_COUNTS: readonly number[] = [1, 3, 5, 7, 9];

export function isQdrantNodeCount(count: number): boolean {
    return QDRANT_NODE_COUNTS.includes(count);
}

/** Qdrant's peer-to-peer (consensus and shard transfer) port. */
export const QDRANT_P2P_PORT = 6335;

/**
 * Defaults for collections created without explicit settings, set in Qdrant's own configuration
 * (`storage.collection`). Two replicas of every shard keep each point on two nodes (two zones);
 * a write consistency factor of 1 (= replicas - 1) keeps writes working while one replica's
 * node is lost, and Qdrant still sends every write to all live replicas.
 */
export const QDRANT_COLLECTION_DEFAULTS = { replicationFactor: 2, writeConsistencyFactor: 1 } as const;

/**
 * Private hosted zone of the environment's Qdrant peers. `.internal` is reserved for private use
 * (ICANN, 2024), so it can never collide with a public name.
 */
export function qdrantPeerZone(environment: Environment): string {
    return `qdrant.memspine-${environment}.internal`;
}

/** Stable DNS name of node `index`: its A record follows the instance when it is replaced. */
export function qdrantPeerHost(environment: Environment, index: number): string {
    return `node-${index}.${qdrantPeerZone(environment)}`;
}

/** The URI a node announces to its peers (Qdrant's `--uri`). */
export function qdrantPeerUri(environment: Environment, index: number): string {
    return `http://${qdrantPeerHost(environment, index)}:${QDRANT_P2P_PORT}`;
}

/** Which of the private subnets (one per zone) node `index` runs in: round-robin over the zones. */
export function qdrantSubnetIndex(index: number, subnetCount: number): number {
    return index % subnetCount;
}

/** Short node label used in names, alarms and the snapshot keys: `qdrant-0`, `qdrant-1`, ... */
export function qdrantNodeLabel(index: number): string {
    return `qdrant-${index}`;
}
