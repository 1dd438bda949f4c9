import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as random from "@pulumi/random";
import type { Environment, VectorStoreEngine, VectorStoreSettings } from "./config";
import { resourceName, resourceTags, Tags } from "./tags";
import { renderTemplate } from "./user-data";
import { QDRANT_DISK_METRIC } from "./qdrant-metrics";
import { ubuntuAmiId } from "./ubuntu-ami";
import { EC2_ASSUME_ROLE_POLICY } from "./iam";

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
    tags: Tags;
}

/**
 * The Memory Spine vector store: Qdrant on its own instance with a separate encrypted data
 * volume, or RDS PostgreSQL 16+ with pgvector. Reachable from the API nodes only. In prod the
 * stateful parts (data volume, database) are protected, and nothing about the API nodes
 * (count, type, tags) feeds any property that would replace them.
 */
export class VectorStore extends pulumi.ComponentResource {
    /** Connection endpoint for the nodes, a secret: `http://<ip>:6333` or `<host>:5432`. */
    readonly endpoint: pulumi.Output<string>;
    readonly securityGroupId: pulumi.Output<string>;
    /** The Qdrant node's instance id, for its status-check alarm; only with qdrant. */
    readonly qdrantInstanceId?: pulumi.Output<string>;
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

        const securityGroup = new aws.ec2.SecurityGroup(sgName, {
            namePrefix: `${sgName}-`,
            description: `Memory Spine ${args.environment} ${args.engine}: store ports from the API nodes only`,
            vpcId: args.vpcId,
            tags: resourceTags(args.tags, sgName),
        }, { parent: this });
        for (const port of ports) {
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
            this.endpoint = pulumi.secret(pulumi.interpolate`http://${qdrant.instance.privateIp}:${QDRANT_HTTP_PORT}`);
            this.qdrantApiKey = qdrant.apiKey;
            this.qdrantInstanceId = qdrant.instance.id;
        } else {
            const database = this.createPostgres(args, securityGroup, isProd);
            this.endpoint = pulumi.secret(database.endpoint);
            this.databaseCredentialsSecretArn = database.masterUserSecrets.apply((secrets) => secrets[0]?.secretArn ?? "");
            this.database = { identifier: database.identifier, arn: database.arn };
        }

        this.registerOutputs({ endpoint: this.endpoint, securityGroupId: this.securityGroupId });
    }

    private createQdrant(args: VectorStoreArgs, securityGroup: aws.ec2.SecurityGroup, isProd: boolean) {
        const base = resourceName(args.environment, "qdrant");
        const parent = { parent: this };
        const tags = (name: string) => resourceTags(args.tags, name);

        const apiKey = new random.RandomPassword(`${base}-api-key`, { length: 48, special: false }, parent);
        const apiKeyParameter = new aws.ssm.Parameter(`${base}-api-key`, {
            name: `/memory-spine/${args.environment}/qdrant/api-key`,
            description: "Qdrant API key, read by the Qdrant node at boot",
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
        const profile = new aws.iam.InstanceProfile(`${base}-profile`, { namePrefix: `${base}-`, role: role.name, tags: tags(`${base}-profile`) }, parent);

        const subnetId = pulumi.output(args.privateSubnetIds).apply((ids) => ids[0]);
        const availabilityZone = aws.ec2.getSubnetOutput({ id: subnetId }, parent).availabilityZone;

        // The data lives on its own volume so that replacing the instance (new AMI, new type)
        // keeps every collection; in prod it is protected against deletion outright.
        const dataVolume = new aws.ebs.Volume(`${base}-data`, {
            availabilityZone,
            size: args.settings.qdrantVolumeSizeGb,
            type: "gp3",
            encrypted: true,
            tags: tags(`${base}-data`),
        }, { parent: this, protect: isProd });

        const userData = dataVolume.id.apply((dataVolumeId) => renderTemplate("qdrant-node.sh", {
            environment: args.environment,
            qdrantVersion: args.settings.qdrantVersion,
            apiKeyParameter: `/memory-spine/${args.environment}/qdrant/api-key`,
            dataVolumeId,
            httpPort: String(QDRANT_HTTP_PORT),
            grpcPort: String(QDRANT_GRPC_PORT),
            diskMetricNamespace: QDRANT_DISK_METRIC.namespace,
            diskMetricName: QDRANT_DISK_METRIC.metricName,
            diskMetricIntervalSeconds: String(QDRANT_DISK_METRIC.intervalSeconds),
        }));

        const instance = new aws.ec2.Instance(`${base}-node`, {
            ami: ubuntuAmiId(args.settings.qdrantInstanceType, args.ubuntuAmiRelease, parent),
            instanceType: args.settings.qdrantInstanceType,
            subnetId,
            vpcSecurityGroupIds: [securityGroup.id],
            associatePublicIpAddress: false,
            iamInstanceProfile: profile.name,
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 2 },
            rootBlockDevice: { volumeType: "gp3", volumeSize: 30, encrypted: true, deleteOnTermination: true },
            monitoring: true,
            userData,
            userDataReplaceOnChange: false,
            tags: tags(`${base}-node`),
            volumeTags: tags(`${base}-root`),
        }, {
            parent: this,
            dependsOn: [apiKeyParameter],
            // A newer Ubuntu image must not replace the running store; patching happens in place.
            ignoreChanges: ["ami"],
        });

        new aws.ec2.VolumeAttachment(`${base}-data-attachment`, {
            deviceName: "/dev/sdf",
            instanceId: instance.id,
            volumeId: dataVolume.id,
            stopInstanceBeforeDetaching: true,
        }, parent);

        return { instance, apiKey: pulumi.secret(apiKey.result) };
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
