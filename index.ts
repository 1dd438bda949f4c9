// Memory Spine on AWS: stack config -> components -> stack outputs. Nothing else lives here.
import * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "./components/config";
import { Networking } from "./components/networking";
import { ApiSecurityGroups } from "./components/security-groups";
import { MemorySpineCluster } from "./components/cluster";
import { vaultPort } from "./components/vault-address";

const config = loadConfig();

const network = new Networking("network", {
    environment: config.environment,
    vpcCidr: config.vpcCidr,
    availabilityZoneCount: config.availabilityZoneCount,
    existing: config.existingNetwork,
    tags: config.tags,
});

const securityGroups = new ApiSecurityGroups("security-groups", {
    environment: config.environment,
    vpcId: network.vpcId,
    enableTls: config.enableTls,
    allowedCidrBlocks: config.allowedCidrBlocks,
    vaultPort: vaultPort(config.vaultAddress),
    tags: config.tags,
});

const cluster = new MemorySpineCluster("memory-spine", {
    environment: config.environment,
    instanceCount: config.instanceCount,
    instanceType: config.instanceType,
    vectorStoreEngine: config.vectorStoreEngine,
    enableTls: config.enableTls,
    vaultAddress: config.vaultAddress,
    containerImage: config.containerImage,
    targetCpuUtilization: config.targetCpuUtilization,
    schedule: config.schedule,
    tls: config.tls,
    vpcId: network.vpcId,
    publicSubnetIds: network.publicSubnetIds,
    privateSubnetIds: network.privateSubnetIds,
    balancerSecurityGroupId: securityGroups.balancerSecurityGroupId,
    nodeSecurityGroupId: securityGroups.nodeSecurityGroupId,
    tags: config.tags,
});

/** https:// when TLS is on, http:// otherwise. */
export const apiEndpoint = cluster.apiEndpoint;
/** Connection endpoint of the vector store (a secret); set once the vector store is managed here. */
export const vectorStoreEndpoint: pulumi.Output<string> | undefined = undefined;
/** Security group of the Memory Spine nodes. */
export const securityGroupId = securityGroups.nodeSecurityGroupId;
/** DNS records to create at your DNS provider when domainName is set without hostedZoneId. */
export const certificateValidationRecords = cluster.certificateValidationRecords;
