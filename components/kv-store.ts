import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as random from "@pulumi/random";
import type { Environment, KvSettings } from "./config";
import { KV_PORT, kvMemberClusterIds, kvReplicationGroupId } from "./kv-metrics";
import { customerManagedKey } from "./kms-key";
import { resourceName, resourceTags, Tags } from "./tags";

/** How each environment runs the key-value layer; the size (node type, replicas, shards) is config. */
export interface KvPosture {
    /** Replicas in other zones and automatic failover (needs at least one replica). */
    multiAz: boolean;
    /** Days of daily snapshots kept (0 = none). */
    snapshotRetentionDays: number;
    /** A final snapshot on delete, deletion guarded by `protect`. */
    protect: boolean;
}

export const KV_POSTURE: Record<Environment, KvPosture> = {
    dev: { multiAz: false, snapshotRetentionDays: 0, protect: false },
    staging: { multiAz: true, snapshotRetentionDays: 1, protect: false },
    prod: { multiAz: true, snapshotRetentionDays: 7, protect: true },
};

/**
 * Memory policy of the cache: evict the least frequently used key of all keys once memory is full.
 * Everything in the layer can be rebuilt from the vector store, so any key may go; LFU keeps the
 * memories that are recalled again and again when a bulk import or re-index streams one-off keys
 * through the cache (LRU would let such a scan flush the hot set).
 */
export const KV_MAXMEMORY_POLICY = "allkeys-lfu";

/** AUTH token length: ElastiCache accepts 16-128 printable characters; alphanumerics need no escaping anywhere. */
export const KV_AUTH_TOKEN_LENGTH = 64;

export interface KeyValueStoreArgs {
    environment: Environment;
    settings: KvSettings;
    vpcId: pulumi.Input<string>;
    privateSubnetIds: pulumi.Input<string[]>;
    /** Only this group (the API nodes) may reach the cache. */
    nodeSecurityGroupId: pulumi.Input<string>;
    tags: Tags;
}

/** Derived shape of the replication group for a given size and environment. */
export interface KvTopology {
    clusterMode: boolean;
    multiAz: boolean;
    automaticFailover: boolean;
    memberClusterIds: string[];
}

export function kvTopology(environment: Environment, settings: KvSettings): KvTopology {
    const clusterMode = settings.shards > 1;
    const multiAz = KV_POSTURE[environment].multiAz && settings.replicas >= 1;
    return {
        clusterMode,
        multiAz,
        // Cluster mode always fails over (ElastiCache requires it); with one shard only Multi-AZ does.
        automaticFailover: clusterMode || multiAz,
        memberClusterIds: kvMemberClusterIds(kvReplicationGroupId(environment), settings.shards, settings.replicas),
    };
}

/**
 * The key-value layer: an ElastiCache replication group running Valkey 8 in the private subnets,
 * encrypted at rest (a customer managed key in prod) and in transit (TLS required), behind an
 * AUTH token that exists only as a Pulumi secret and in Vault. Reachable on 6379 from the API
 * nodes' security group only. One shard by default; more shards turn on cluster mode.
 */
export class KeyValueStore extends pulumi.ComponentResource {
    /** `rediss://<primary or configuration endpoint>:6379`, a secret like the vector store's endpoint. */
    readonly url: pulumi.Output<string>;
    /** The AUTH token (secret), for Vault. */
    readonly authToken: pulumi.Output<string>;
    readonly securityGroupId: pulumi.Output<string>;
    readonly replicationGroupId: pulumi.Output<string>;
    readonly topology: KvTopology;

    constructor(name: string, args: KeyValueStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super("memory-spine:data:KeyValueStore", name, {}, opts);
        const env = args.environment;
        const posture = KV_POSTURE[env];
        const base = resourceName(env, "kv");
        const nodeName = resourceName(env, "node");
        const parent = { parent: this };
        const tags = (n: string) => resourceTags(args.tags, n);
        this.topology = kvTopology(env, args.settings);
        const { clusterMode } = this.topology;

        const securityGroup = new aws.ec2.SecurityGroup(base, {
            namePrefix: `${base}-`,
            description: `Memory Spine ${env} key-value layer: ${KV_PORT} from the API nodes only`,
            vpcId: args.vpcId,
            tags: tags(base),
        }, parent);
        new aws.vpc.SecurityGroupIngressRule(`${base}-in-${KV_PORT}`, {
            securityGroupId: securityGroup.id,
            description: `Valkey ${KV_PORT} (TLS) from the Memory Spine nodes`,
            ipProtocol: "tcp",
            fromPort: KV_PORT,
            toPort: KV_PORT,
            referencedSecurityGroupId: args.nodeSecurityGroupId,
            tags: tags(`${base}-in-${KV_PORT}`),
        }, parent);
        new aws.vpc.SecurityGroupEgressRule(`${nodeName}-out-kv-${KV_PORT}`, {
            securityGroupId: args.nodeSecurityGroupId,
            description: `Valkey ${KV_PORT} (TLS) to the key-value layer`,
            ipProtocol: "tcp",
            fromPort: KV_PORT,
            toPort: KV_PORT,
            referencedSecurityGroupId: securityGroup.id,
            tags: tags(`${nodeName}-out-kv-${KV_PORT}`),
        }, parent);

        const subnetGroup = new aws.elasticache.SubnetGroup(`${base}-subnets`, {
            name: `${base}-subnets`,
            description: `Memory Spine ${env} key-value layer, private subnets`,
            subnetIds: args.privateSubnetIds,
            tags: tags(`${base}-subnets`),
        }, parent);

        // Named per mode: cluster-enabled cannot change on a group in use, so switching mode makes
        // a new parameter group instead of editing the live one.
        const parameterGroupName = `${base}-valkey8${clusterMode ? "-cluster" : ""}`;
        const parameterGroup = new aws.elasticache.ParameterGroup(parameterGroupName, {
            name: parameterGroupName,
            family: "valkey8",
            description: `Memory Spine ${env} key-value layer: ${KV_MAXMEMORY_POLICY} eviction${clusterMode ? ", cluster mode" : ""}`,
            parameters: [
                { name: "maxmemory-policy", value: KV_MAXMEMORY_POLICY },
                ...(clusterMode ? [{ name: "cluster-enabled", value: "yes" }] : []),
            ],
            tags: tags(parameterGroupName),
        }, parent);

        const token = new random.RandomPassword(`${base}-auth-token`, { length: KV_AUTH_TOKEN_LENGTH, special: false }, parent);
        this.authToken = pulumi.secret(token.result);

        // Prod encrypts with its own customer managed key (rotation on); elsewhere the AWS managed key.
        const kmsKey = posture.protect
            ? customerManagedKey({ key: `${base}-key`, alias: `${base}-key-alias` }, {
                description: `Memory Spine ${env} key-value layer (ElastiCache at rest and snapshots)`,
                alias: `alias/${base}`,
                tags: tags(`${base}-key`),
            }, { parent: this, protect: true })
            : undefined;

        const { replicas, shards } = args.settings;
        const group = new aws.elasticache.ReplicationGroup(base, {
            replicationGroupId: kvReplicationGroupId(env),
            description: `Memory Spine ${env} key-value layer (Valkey)`,
            engine: "valkey",
            engineVersion: args.settings.engineVersion,
            nodeType: args.settings.nodeType,
            port: KV_PORT,
            clusterMode: clusterMode ? "enabled" : "disabled",
            ...(clusterMode
                ? { numNodeGroups: shards, replicasPerNodeGroup: replicas }
                : { numCacheClusters: replicas + 1 }),
            automaticFailoverEnabled: this.topology.automaticFailover,
            multiAzEnabled: this.topology.multiAz,
            subnetGroupName: subnetGroup.name,
            securityGroupIds: [securityGroup.id],
            parameterGroupName: parameterGroup.name,
            atRestEncryptionEnabled: true,
            kmsKeyId: kmsKey?.arn,
            transitEncryptionEnabled: true,
            transitEncryptionMode: "required",
            authToken: this.authToken,
            // A new token is added beside the old one; clients move over before the old is dropped (README).
            authTokenUpdateStrategy: "ROTATE",
            snapshotRetentionLimit: posture.snapshotRetentionDays,
            snapshotWindow: posture.snapshotRetentionDays > 0 ? "03:00-04:00" : undefined,
            maintenanceWindow: "sun:05:00-sun:06:00",
            finalSnapshotIdentifier: posture.protect ? `${base}-final` : undefined,
            autoMinorVersionUpgrade: true,
            applyImmediately: !posture.protect,
            tags: tags(base),
        }, {
            parent: this,
            protect: posture.protect,
            // The token is a secret input; keep whatever the provider echoes back secret as well.
            additionalSecretOutputs: ["authToken"],
        });

        const host = clusterMode ? group.configurationEndpointAddress : group.primaryEndpointAddress;
        this.url = pulumi.secret(pulumi.interpolate`rediss://${host}:${KV_PORT}`);
        this.securityGroupId = securityGroup.id;
        this.replicationGroupId = group.replicationGroupId;
        this.registerOutputs({ url: this.url, securityGroupId: this.securityGroupId, replicationGroupId: this.replicationGroupId });
    }
}
