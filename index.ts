// Memory Spine on AWS: stack config -> components -> stack outputs. Nothing else lives here.
import * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "./components/config";
import { Networking } from "./components/networking";
import { ApiSecurityGroups } from "./components/security-groups";
import { VectorStore } from "./components/vector-store";
import { MemorySpineCluster } from "./components/cluster";
import { VaultSecrets, PROVIDER_KEYS_MOUNT } from "./components/vault-secrets";
import { vaultPort } from "./components/vault-address";
import { Monitoring } from "./components/monitoring";
import { CUSTOMER_MANAGED_KEY_ENVIRONMENTS, DataKey } from "./components/data-key";
import { Backups } from "./components/backups";
import { BACKUP_RETENTION } from "./components/backup-retention";
import { KeyValueStore } from "./components/kv-store";
import { OffHoursSchedule } from "./components/offhours-schedule";

const config = loadConfig();
const env = config.environment;

const network = new Networking("network", {
    environment: env,
    vpcCidr: config.vpcCidr,
    availabilityZoneCount: config.availabilityZoneCount,
    existing: config.existingNetwork,
    tags: config.tags,
});

const securityGroups = new ApiSecurityGroups("security-groups", {
    environment: env,
    vpcId: network.vpcId,
    enableTls: config.enableTls,
    allowedCidrBlocks: config.allowedCidrBlocks,
    vaultPort: vaultPort(config.vaultAddress),
    tags: config.tags,
});

// Prod encrypts every data and root volume, the database and the Qdrant snapshots with its own key.
const dataKey = CUSTOMER_MANAGED_KEY_ENVIRONMENTS.includes(env) ? new DataKey("data-key", { environment: env, tags: config.tags }) : undefined;

const vectorStore = new VectorStore("vector-store", {
    environment: env,
    engine: config.vectorStoreEngine,
    settings: config.vectorStore,
    ubuntuAmiRelease: config.ubuntuAmiRelease,
    vpcId: network.vpcId,
    privateSubnetIds: network.privateSubnetIds,
    nodeSecurityGroupId: securityGroups.nodeSecurityGroupId,
    dataKeyArn: dataKey?.keyArn,
    tags: config.tags,
});

const kvStore = new KeyValueStore("kv-store", {
    environment: env,
    settings: config.kv,
    vpcId: network.vpcId,
    privateSubnetIds: network.privateSubnetIds,
    nodeSecurityGroupId: securityGroups.nodeSecurityGroupId,
    tags: config.tags,
});

const cluster = new MemorySpineCluster("memory-spine", {
    environment: env,
    instanceCount: config.instanceCount,
    instanceType: config.instanceType,
    vectorStoreEngine: config.vectorStoreEngine,
    enableTls: config.enableTls,
    vaultAddress: config.vaultAddress,
    containerImage: config.containerImage,
    ubuntuAmiRelease: config.ubuntuAmiRelease,
    targetCpuUtilization: config.targetCpuUtilization,
    schedule: config.schedule,
    tls: config.tls,
    vpcId: network.vpcId,
    publicSubnetIds: network.publicSubnetIds,
    privateSubnetIds: network.privateSubnetIds,
    balancerSecurityGroupId: securityGroups.balancerSecurityGroupId,
    nodeSecurityGroupId: securityGroups.nodeSecurityGroupId,
    vectorStoreEndpoint: vectorStore.endpoint,
    databaseCredentialsSecretArn: vectorStore.databaseCredentialsSecretArn,
    kv: { url: kvStore.url, clusterMode: kvStore.topology.clusterMode },
    vault: {
        role: `memory-spine-${env}`,
        awsAuthPath: config.vault.awsAuthPath,
        openaiSecretPath: `${PROVIDER_KEYS_MOUNT}/data/${env}/openai`,
        qdrantSecretPath: config.vectorStoreEngine === "qdrant" ? `${PROVIDER_KEYS_MOUNT}/data/${env}/qdrant` : "",
        kvSecretPath: `${PROVIDER_KEYS_MOUNT}/data/${env}/kv`,
    },
    dataKeyArn: dataKey?.keyArn,
    tags: config.tags,
});

// Outside prod the stores follow the API group's off-hours schedule (offHoursStores).
if (config.offHours.stopStores && (vectorStore.database || vectorStore.qdrantInstanceIds.length > 0)) {
    new OffHoursSchedule("offhours", {
        environment: env,
        schedule: config.schedule,
        marginMinutes: config.offHours.marginMinutes,
        database: vectorStore.database,
        instanceIds: vectorStore.qdrantInstanceIds,
        // Starting an instance whose volumes use a customer managed key needs a grant on that key.
        volumeKmsKeyArns: dataKey ? [dataKey.keyArn] : [],
        tags: config.tags,
    });
}

const secrets = new VaultSecrets("vault-secrets", {
    environment: env,
    vaultAddress: config.vaultAddress,
    settings: config.vault,
    vpcCidr: network.vpcCidr,
    nodeRoleArn: cluster.nodeRoleArn,
    openai: config.openai,
    qdrantApiKey: vectorStore.qdrantApiKey,
    kvAuthToken: kvStore.authToken,
});

const monitoring = new Monitoring("monitoring", {
    environment: env,
    settings: config.monitoring,
    vectorStoreEngine: config.vectorStoreEngine,
    qdrantInstanceIds: vectorStore.qdrantInstanceIds,
    loadBalancerArnSuffix: cluster.loadBalancerArnSuffix,
    targetGroupArnSuffix: cluster.targetGroupArnSuffix,
    autoScalingGroupName: cluster.autoScalingGroupName,
    nodeRoleName: cluster.nodeRoleName,
    kv: { replicationGroupId: kvStore.replicationGroupId, memberClusterIds: kvStore.topology.memberClusterIds, replicas: config.kv.replicas },
    tags: config.tags,
});

// Staging and prod back up every data volume and the database; failed jobs page through the alert topic.
const backups = BACKUP_RETENTION[env] !== undefined
    ? new Backups("backups", { environment: env, resourceArns: vectorStore.backupResourceArns, alertTopicArn: monitoring.topicArn, tags: config.tags })
    : undefined;

/** https:// when TLS is on, http:// otherwise. */
export const apiEndpoint = cluster.apiEndpoint;
/** Connection endpoint of the vector store (a Pulumi secret). */
export const vectorStoreEndpoint = vectorStore.endpoint;
/** `rediss://` endpoint of the key-value layer (primary, or configuration endpoint in cluster mode; a Pulumi secret). */
export const kvEndpoint = kvStore.url;
/** Security group of the Memory Spine nodes. */
export const securityGroupId = securityGroups.nodeSecurityGroupId;
/** DNS records to create at your DNS provider when domainName is set without hostedZoneId. */
export const certificateValidationRecords = cluster.certificateValidationRecords;
/** Vault policy the nodes' tokens carry. */
export const vaultPolicyName = secrets.policyName;
/** SNS topic every alarm, Prometheus alert and budget notification goes to. */
export const alertTopicArn = monitoring.topicArn;
/** CloudWatch dashboard of the environment. */
export const dashboardName = monitoring.dashboardName;
/** Amazon Managed Prometheus remote-write URL for the scrape agent. */
export const prometheusRemoteWriteUrl = monitoring.prometheusRemoteWriteUrl;
/** Monthly AWS Budget of the environment. */
export const budgetName = monitoring.budgetName;
/** The Qdrant instances' ids and ARNs in node order (empty with pgvector), e.g. for off-hours schedules. */
export const qdrantInstanceIds = pulumi.all(vectorStore.qdrantInstanceIds);
export const qdrantInstanceArns = pulumi.all(vectorStore.qdrantInstanceArns);
/** AWS Backup vault of the environment (staging, prod). */
export const backupVaultName = backups?.vaultName;
/** S3 bucket holding the Qdrant nodes' daily snapshots (Qdrant only). */
export const qdrantSnapshotBucket = vectorStore.qdrantSnapshotBucketName;
