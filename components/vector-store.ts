import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as random from "@pulumi/random";
import type { Environment, VectorStoreEngine, VectorStoreSettings } from "./config";
import { resourceName, resourceTags, Tags } from "./tags";
import { renderTemplate } from "./user-data";
import { QDRANT_DISK_METRIC } from "./qdrant-metrics";
import { ubuntuAmiId } from "./ubuntu-ami";
import { EC2_ASSUME_ROLE_POLICY } from "./iam";
import { QdrantSnapshotBucket, snapshotWritePolicy } from "./qdrant-snapshot-bucket";
import { QdrantLoadBalancer } from "./qdrant-load-balancer";
import { snapshotRetention } from "./backup-retention";
import {
    QDRANT_COLLECTION_DEFAULTS, QDRANT_P2P_PORT, qdrantNodeLabel, qdrantPeerHost, qdrantPeerUri, qdrantPeerZone, qdrantSubnetIndex,
} from "./qdrant-topology";

export const QDRANT_HTTP_PORT = 6333;
export const QDRANT_GRPC_PORT = 6334;
export const POSTGRES_PORT = 5432;
/** Days of automated RDS backups per environment. */
export const BACKUP_RETENTION_DAYS: Record<Environment, number> = { dev: 1, staging: 7, prod: 30 };

export interface VectorStoreArgs {
    environment: Environment;
    engine: VectorStoreEngine;
    settings: VectorStoreSettings;
    /** Canonical release serial of the Qdrant node's Ubuntu image; "" = the newest at creation. */
    ubuntuAmiRelease: string;
    vpcId: pulumi.Input<string>;
    privateSubnetIds: pulumi.Input<string[]>;
    /** Only this group (the API nodes) may reach the store. */
    nodeSecurityGroupId: pulumi.Input<string>;
    /** Customer-managed key for the data and root volumes, the database and the snapshots (prod); AWS-managed keys without. */
    dataKeyArn?: pulumi.Input<string>;
    tags: Tags;
}

interface QdrantNode {
    instance: aws.ec2.Instance;
    dataVolume: aws.ebs.Volume;
    label: string;
}

interface QdrantNodes {
    nodes: QdrantNode[];
    /** Where the API nodes connect: the internal load balancer of a cluster, or the single node. */
    endpointHost: pulumi.Output<string>;
    apiKey: pulumi.Output<string>;
    snapshotBucketName: pulumi.Output<string>;
}

/**
 * The Memory Spine vector store: Qdrant (one node, or a cluster of qdrantNodeCount nodes, one per
 * private subnet and zone, each with its own encrypted data volume, behind an internal Network
 * Load Balancer) or RDS PostgreSQL 16+ with pgvector. Reachable from the API nodes only. In prod
 * the stateful parts (data volumes, database) are protected, and nothing about the API nodes
 * (count, type, tags) feeds any property that would replace them.
 */
export class VectorStore extends pulumi.ComponentResource {
    /** Connection endpoint for the nodes, a secret: `http://<ip>:6333` or `<host>:5432`. */
    readonly endpoint: pulumi.Output<string>;
    readonly securityGroupId: pulumi.Output<string>;
    /** The Qdrant nodes' instance ids in node order (alarms, off-hours schedules); empty with pgvector. */
    readonly qdrantInstanceIds: pulumi.Output<string>[] = [];
    /** The Qdrant nodes' instance ARNs in node order; empty with pgvector. */
    readonly qdrantInstanceArns: pulumi.Output<string>[] = [];
    /** ARNs of every data volume and database the store keeps its data on: what AWS Backup must cover. */
    readonly backupResourceArns: pulumi.Output<string>[] = [];
    /** The bucket the Qdrant nodes upload their snapshots to; only with qdrant. */
    readonly qdrantSnapshotBucketName?: pulumi.Output<string>;
    /** Qdrant's API key (secret); only with qdrant. */
    readonly qdrantApiKey?: pulumi.Output<string>;
    /** Secrets Manager secret holding the RDS-managed master credentials; only with pgvector. */
    readonly databaseCredentialsSecretArn?: pulumi.Output<string>;
    /** The RDS instance (identifier and ARN), for the off-hours schedule; only with pgvector. */
    readonly database?: { identifier: pulumi.Output<string>; arn: pulumi.Output<string> };

    constructor(name: string, args: VectorStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super("memory-spine:data:VectorStore", name, {}, opts);
        const isProd = args.environment === "prod";
        const sgName = resourceName(args.environment, args.engine);
        const ports = args.engine === "qdrant" ? [QDRANT_HTTP_PORT, QDRANT_GRPC_PORT] : [POSTGRES_PORT];
        // A Qdrant cluster is reached through its load balancer, which admits the API nodes itself.
        const directClients = args.engine === "pgvector" || args.settings.qdrantNodeCount === 1;

        const securityGroup = new aws.ec2.SecurityGroup(sgName, {
            namePrefix: `${sgName}-`,
            description: `Memory Spine ${args.environment} ${args.engine}: store ports from the API nodes only`,
            vpcId: args.vpcId,
            tags: resourceTags(args.tags, sgName),
        }, { parent: this });
        for (const port of directClients ? ports : []) {
            new aws.vpc.SecurityGroupIngressRule(`${sgName}-in-${port}`, {
                securityGroupId: securityGroup.id,
                description: `${args.engine} port ${port} from the Memory Spine nodes`,
                ipProtocol: "tcp",
                fromPort: port,
                toPort: port,
                referencedSecurityGroupId: args.nodeSecurityGroupId,
                tags: resourceTags(args.tags, `${sgName}-in-${port}`),
            }, { parent: this });
            new aws.vpc.SecurityGroupEgressRule(`${resourceName(args.environment, "node")}-out-${args.engine}-${port}`, {
                securityGroupId: args.nodeSecurityGroupId,
                description: `${args.engine} port ${port} to the vector store`,
                ipProtocol: "tcp",
                fromPort: port,
                toPort: port,
                referencedSecurityGroupId: securityGroup.id,
                tags: resourceTags(args.tags, `${resourceName(args.environment, "node")}-out-${args.engine}-${port}`),
            }, { parent: this });
        }
        if (args.engine === "qdrant") {
            // The provider strips AWS's default allow-all egress; the Qdrant node still needs to
            // pull packages and its image, and to reach SSM, through NAT.
            for (const port of [443, 80]) {
                new aws.vpc.SecurityGroupEgressRule(`${sgName}-out-${port}`, {
                    securityGroupId: securityGroup.id,
                    description: port === 443 ? "HTTPS to registries, SSM and AWS APIs" : "HTTP to package mirrors",
                    ipProtocol: "tcp",
                    fromPort: port,
                    toPort: port,
                    cidrIpv4: "0.0.0.0/0",
                    tags: resourceTags(args.tags, `${sgName}-out-${port}`),
                }, { parent: this });
            }
        }
        this.securityGroupId = securityGroup.id;

        if (args.engine === "qdrant") {
            const qdrant = this.createQdrant(args, securityGroup, isProd);
            this.endpoint = pulumi.secret(pulumi.interpolate`http://${qdrant.endpointHost}:${QDRANT_HTTP_PORT}`);
            this.qdrantApiKey = qdrant.apiKey;
            this.qdrantInstanceIds = qdrant.nodes.map((n) => n.instance.id);
            this.qdrantInstanceArns = qdrant.nodes.map((n) => n.instance.arn);
            this.backupResourceArns = qdrant.nodes.map((n) => n.dataVolume.arn);
            this.qdrantSnapshotBucketName = qdrant.snapshotBucketName;
        } else {
            const database = this.createPostgres(args, securityGroup, isProd);
            this.endpoint = pulumi.secret(database.endpoint);
            this.databaseCredentialsSecretArn = database.masterUserSecrets.apply((secrets) => secrets[0]?.secretArn ?? "");
            this.database = { identifier: database.identifier, arn: database.arn };
            this.backupResourceArns = [database.arn];
        }

        this.registerOutputs({
            endpoint: this.endpoint,
            securityGroupId: this.securityGroupId,
            qdrantInstanceIds: this.qdrantInstanceIds,
            qdrantInstanceArns: this.qdrantInstanceArns,
        });
    }

    private createQdrant(args: VectorStoreArgs, securityGroup: aws.ec2.SecurityGroup, isProd: boolean): QdrantNodes {
        const base = resourceName(args.environment, "qdrant");
        const env = args.environment;
        const parent = { parent: this };
        const tags = (name: string) => resourceTags(args.tags, name);
        const nodeCount = args.settings.qdrantNodeCount;
        const clustered = nodeCount > 1;

        const apiKey = new random.RandomPassword(`${base}-api-key`, { length: 48, special: false }, parent);
        const apiKeyParameter = new aws.ssm.Parameter(`${base}-api-key`, {
            name: `/memory-spine/${env}/qdrant/api-key`,
            description: "Qdrant API key, read by the Qdrant nodes at boot",
            type: "SecureString",
            value: apiKey.result,
            tags: tags(`${base}-api-key`),
        }, parent);

        const role = new aws.iam.Role(`${base}-role`, {
            namePrefix: `${base}-`,
            assumeRolePolicy: EC2_ASSUME_ROLE_POLICY,
            tags: tags(`${base}-role`),
        }, parent);
        const partition = aws.getPartitionOutput({}, parent).partition;
        new aws.iam.RolePolicyAttachment(`${base}-ssm`, {
            role: role.name,
            policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
        }, parent);
        new aws.iam.RolePolicy(`${base}-read-api-key`, {
            role: role.id,
            policy: apiKeyParameter.arn.apply((arn) => JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Action: "ssm:GetParameter", Resource: arn }],
            })),
        }, parent);
        new aws.iam.RolePolicy(`${base}-put-disk-metric`, {
            role: role.id,
            policy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{
                    Effect: "Allow",
                    Action: "cloudwatch:PutMetricData",
                    // PutMetricData has no resources: the namespace condition is what limits it.
                    Resource: "*",
                    Condition: { StringEquals: { "cloudwatch:namespace": QDRANT_DISK_METRIC.namespace } },
                }],
            }),
        }, parent);
        const snapshots = new QdrantSnapshotBucket(`${base}-snapshots`, { environment: env, kmsKeyArn: args.dataKeyArn, tags: args.tags }, parent);
        new aws.iam.RolePolicy(`${base}-write-snapshots`, { role: role.id, policy: snapshotWritePolicy(snapshots.bucketArn, args.dataKeyArn) }, parent);
        const profile = new aws.iam.InstanceProfile(`${base}-profile`, { namePrefix: `${base}-`, role: role.name, tags: tags(`${base}-profile`) }, parent);

        // Peers talk to each other on 6335, and only to each other.
        let peerZone: aws.route53.Zone | undefined;
        if (clustered) {
            new aws.vpc.SecurityGroupIngressRule(`${base}-in-${QDRANT_P2P_PORT}`, {
                securityGroupId: securityGroup.id,
                description: "Qdrant peer-to-peer from the other Qdrant nodes",
                ipProtocol: "tcp",
                fromPort: QDRANT_P2P_PORT,
                toPort: QDRANT_P2P_PORT,
                referencedSecurityGroupId: securityGroup.id,
                tags: tags(`${base}-in-${QDRANT_P2P_PORT}`),
            }, parent);
            new aws.vpc.SecurityGroupEgressRule(`${base}-out-${QDRANT_P2P_PORT}`, {
                securityGroupId: securityGroup.id,
                description: "Qdrant peer-to-peer to the other Qdrant nodes",
                ipProtocol: "tcp",
                fromPort: QDRANT_P2P_PORT,
                toPort: QDRANT_P2P_PORT,
                referencedSecurityGroupId: securityGroup.id,
                tags: tags(`${base}-out-${QDRANT_P2P_PORT}`),
            }, parent);
            peerZone = new aws.route53.Zone(`${base}-peers`, {
                name: qdrantPeerZone(env),
                comment: `Memory Spine ${env}: stable addresses of the Qdrant peers`,
                vpcs: [{ vpcId: args.vpcId }],
                forceDestroy: !isProd,
                tags: tags(`${base}-peers`),
            }, parent);
        }
        const peerUris = clustered ? Array.from({ length: nodeCount }, (_, i) => qdrantPeerUri(env, i)).join(" ") : "";
        const retention = snapshotRetention(env);
        const subnetIds = pulumi.output(args.privateSubnetIds);

        const nodes: QdrantNode[] = [];
        for (let index = 0; index < nodeCount; index++) {
            const label = qdrantNodeLabel(index);
            // Node 0 keeps the names it had as the single node, so growing to a cluster neither
            // replaces nor deletes the existing data volume and instance.
            const alias = (oldName: string) => (index === 0 ? { aliases: [{ name: oldName }] } : {});
            const subnetId = subnetIds.apply((ids) => ids[qdrantSubnetIndex(index, ids.length)]);
            const availabilityZone = aws.ec2.getSubnetOutput({ id: subnetId }, parent).availabilityZone;

            // The data lives on its own volume so that replacing the instance (new AMI, new type)
            // keeps every collection; in prod it is protected against deletion outright.
            const dataVolume = new aws.ebs.Volume(`${base}-data-${index}`, {
                availabilityZone,
                size: args.settings.qdrantVolumeSizeGb,
                type: "gp3",
                encrypted: true,
                kmsKeyId: args.dataKeyArn,
                tags: { ...tags(`${base}-data-${index}`), QdrantNode: label },
            }, { parent: this, protect: isProd, ...alias(`${base}-data`) });

            const userData = pulumi.all([dataVolume.id, snapshots.bucketName]).apply(([dataVolumeId, snapshotBucket]) => renderTemplate("qdrant-node.sh", {
                environment: env,
                qdrantVersion: args.settings.qdrantVersion,
                apiKeyParameter: `/memory-spine/${env}/qdrant/api-key`,
                dataVolumeId,
                httpPort: String(QDRANT_HTTP_PORT),
                grpcPort: String(QDRANT_GRPC_PORT),
                p2pPort: String(QDRANT_P2P_PORT),
                nodeIndex: String(index),
                nodeLabel: label,
                peerUris,
                replicationFactor: String(QDRANT_COLLECTION_DEFAULTS.replicationFactor),
                writeConsistencyFactor: String(QDRANT_COLLECTION_DEFAULTS.writeConsistencyFactor),
                snapshotBucket,
                monthlySnapshots: String(retention.monthlyDays !== undefined),
                diskMetricNamespace: QDRANT_DISK_METRIC.namespace,
                diskMetricName: QDRANT_DISK_METRIC.metricName,
                diskMetricIntervalSeconds: String(QDRANT_DISK_METRIC.intervalSeconds),
            }));

            const instance = new aws.ec2.Instance(`${base}-node-${index}`, {
                ami: ubuntuAmiId(args.settings.qdrantInstanceType, args.ubuntuAmiRelease, parent),
                instanceType: args.settings.qdrantInstanceType,
                subnetId,
                vpcSecurityGroupIds: [securityGroup.id],
                associatePublicIpAddress: false,
                iamInstanceProfile: profile.name,
                metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 2 },
                rootBlockDevice: { volumeType: "gp3", volumeSize: 30, encrypted: true, kmsKeyId: args.dataKeyArn, deleteOnTermination: true },
                monitoring: true,
                userData,
                userDataReplaceOnChange: false,
                tags: { ...tags(`${base}-node-${index}`), QdrantNode: label },
                volumeTags: tags(`${base}-root-${index}`),
            }, {
                parent: this,
                dependsOn: [apiKeyParameter],
                // A newer Ubuntu image must not replace the running store; patching happens in place.
                ignoreChanges: ["ami"],
                ...alias(`${base}-node`),
            });

            new aws.ec2.VolumeAttachment(`${base}-data-attachment-${index}`, {
                deviceName: "/dev/sdf",
                instanceId: instance.id,
                volumeId: dataVolume.id,
                stopInstanceBeforeDetaching: true,
            }, { parent: this, ...alias(`${base}-data-attachment`) });

            if (peerZone) {
                new aws.route53.Record(`${base}-peer-${index}`, {
                    zoneId: peerZone.zoneId,
                    name: qdrantPeerHost(env, index),
                    type: "A",
                    ttl: 60,
                    records: [instance.privateIp],
                }, parent);
            }
            nodes.push({ instance, dataVolume, label });
        }

        const endpointHost = clustered
            ? new QdrantLoadBalancer(`${base}-lb`, {
                environment: env,
                vpcId: args.vpcId,
                privateSubnetIds: args.privateSubnetIds,
                qdrantSecurityGroupId: securityGroup.id,
                clientSecurityGroupId: args.nodeSecurityGroupId,
                instanceIds: nodes.map((n) => n.instance.id),
                tags: args.tags,
            }, parent).dnsName
            : nodes[0].instance.privateIp;
        return { nodes, endpointHost, apiKey: pulumi.secret(apiKey.result), snapshotBucketName: snapshots.bucketName };
    }

    private createPostgres(args: VectorStoreArgs, securityGroup: aws.ec2.SecurityGroup, isProd: boolean) {
        const base = resourceName(args.environment, "pgvector");
        const parent = { parent: this };
        const tags = (name: string) => resourceTags(args.tags, name);
        const major = args.settings.postgresVersion.split(".")[0];

        const subnetGroup = new aws.rds.SubnetGroup(`${base}-subnets`, {
            namePrefix: `${base}-`,
            description: `Memory Spine ${args.environment} pgvector, private subnets`,
            subnetIds: args.privateSubnetIds,
            tags: tags(`${base}-subnets`),
        }, parent);

        const parameterGroup = new aws.rds.ParameterGroup(`${base}-params`, {
            namePrefix: `${base}-`,
            family: `postgres${major}`,
            description: `Memory Spine ${args.environment} pgvector: TLS only, slow-query log`,
            parameters: [
                { name: "rds.force_ssl", value: "1" },
                { name: "log_min_duration_statement", value: "1000" },
            ],
            tags: tags(`${base}-params`),
        }, parent);

        return new aws.rds.Instance(`${base}-db`, {
            identifier: `${base}`,
            engine: "postgres",
            engineVersion: args.settings.postgresVersion,
            instanceClass: args.settings.dbInstanceClass,
            allocatedStorage: args.settings.dbAllocatedStorageGb,
            maxAllocatedStorage: 2 * args.settings.dbAllocatedStorageGb,
            storageType: "gp3",
            storageEncrypted: true,
            kmsKeyId: args.dataKeyArn,
            dbName: "memoryspine",
            username: "memoryspine",
            // RDS keeps the master password in Secrets Manager and rotates it; it never enters state.
            manageMasterUserPassword: true,
            dbSubnetGroupName: subnetGroup.name,
            parameterGroupName: parameterGroup.name,
            vpcSecurityGroupIds: [securityGroup.id],
            publiclyAccessible: false,
            multiAz: isProd,
            backupRetentionPeriod: BACKUP_RETENTION_DAYS[args.environment],
            // UTC; outside prod inside the hours the off-hours schedule keeps the database running.
            backupWindow: args.settings.dbBackupWindow,
            maintenanceWindow: args.settings.dbMaintenanceWindow,
            deletionProtection: isProd,
            skipFinalSnapshot: !isProd,
            finalSnapshotIdentifier: isProd ? `${base}-final` : undefined,
            copyTagsToSnapshot: true,
            autoMinorVersionUpgrade: true,
            allowMajorVersionUpgrade: false,
            iamDatabaseAuthenticationEnabled: true,
            performanceInsightsEnabled: true,
            enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
            applyImmediately: !isProd,
            tags: tags(`${base}-db`),
        }, { parent: this, protect: isProd });
    }
}
