import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { StackConfig } from "./config";
import { AccessLogBucket } from "./access-log-bucket";
import { ApiCertificate } from "./api-certificate";
import { API_PORT } from "./security-groups";
import { autoScalingGroupTags, resourceName, resourceTags, Tags } from "./tags";
import { renderTemplate } from "./user-data";
import { ubuntuAmiId } from "./ubuntu-ami";
import { EC2_ASSUME_ROLE_POLICY } from "./iam";

/** TLS 1.3 with TLS 1.2 fallback: the strongest policy every current client supports. */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export interface NodeVaultSettings {
    role: string;
    awsAuthPath: string;
    openaiSecretPath: string;
    /** Empty unless the vector store is Qdrant. */
    qdrantSecretPath: string;
    /** KV v2 data path of the key-value layer's AUTH token. */
    kvSecretPath: string;
}

/** Where the nodes find the key-value layer (the token comes from Vault, never from here). */
export interface NodeKvSettings {
    /** `rediss://<host>:6379` (a secret). */
    url: pulumi.Input<string>;
    /** Cluster mode: clients must speak the cluster protocol to the configuration endpoint. */
    clusterMode: boolean;
}

/** The stack settings the cluster is built from, as validated by components/config.ts. */
type ClusterSettings = Pick<StackConfig,
    "environment" | "instanceCount" | "instanceType" | "vectorStoreEngine" | "enableTls" | "vaultAddress"
    | "containerImage" | "ubuntuAmiRelease" | "targetCpuUtilization" | "schedule" | "tls">;

export interface MemorySpineClusterArgs extends ClusterSettings {
    vpcId: pulumi.Input<string>;
    publicSubnetIds: pulumi.Input<string[]>;
    privateSubnetIds: pulumi.Input<string[]>;
    balancerSecurityGroupId: pulumi.Input<string>;
    nodeSecurityGroupId: pulumi.Input<string>;
    /** Connection endpoint of the vector store, handed to the nodes at boot (a secret). */
    vectorStoreEndpoint: pulumi.Input<string>;
    /** Secrets Manager secret with the database credentials the nodes may read (pgvector). */
    databaseCredentialsSecretArn?: pulumi.Input<string>;
    /** The key-value layer's endpoint. */
    kv: NodeKvSettings;
    /** How the nodes log in to Vault and where their secrets live. */
    vault: NodeVaultSettings;
    /** Customer-managed key for the nodes' root volumes (prod); the AWS-managed EBS key without. */
    dataKeyArn?: pulumi.Input<string>;
    tags: Tags;
}

/**
 * The Memory Spine API: nodes from a launch template in an Auto Scaling group across the
 * private subnets, behind an Application Load Balancer with a /health-checked target group.
 * Internet-facing only in prod with TLS; every other balancer is internal.
 */
export class MemorySpineCluster extends pulumi.ComponentResource {
    readonly apiEndpoint: pulumi.Output<string>;
    readonly loadBalancerArn: pulumi.Output<string>;
    readonly loadBalancerArnSuffix: pulumi.Output<string>;
    readonly targetGroupArnSuffix: pulumi.Output<string>;
    readonly autoScalingGroupName: pulumi.Output<string>;
    readonly nodeRoleArn: pulumi.Output<string>;
    readonly nodeRoleName: pulumi.Output<string>;
    readonly certificateValidationRecords?: pulumi.Output<{ name: string; type: string; value: string }[]>;

    constructor(name: string, args: MemorySpineClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("memory-spine:cluster:MemorySpineCluster", name, {}, opts);
        const parent = { parent: this };
        const env = args.environment;
        const isProd = env === "prod";
        const base = resourceName(env);
        const tags = (resource: string) => resourceTags(args.tags, resource);

        // ── Node identity: SSM Session Manager instead of SSH; the role is also what Vault's AWS auth binds to.
        const role = new aws.iam.Role(`${base}-node-role`, {
            namePrefix: `${base}-node-`,
            description: `Memory Spine ${env} API nodes`,
            assumeRolePolicy: EC2_ASSUME_ROLE_POLICY,
            tags: tags(`${base}-node-role`),
        }, parent);
        const partition = aws.getPartitionOutput({}, parent).partition;
        const managedPolicies = { ssm: "AmazonSSMManagedInstanceCore", cloudwatch: "CloudWatchAgentServerPolicy" };
        for (const [short, policy] of Object.entries(managedPolicies)) {
            new aws.iam.RolePolicyAttachment(`${base}-node-${short}`, {
                role: role.name,
                policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}`,
            }, parent);
        }
        const instanceProfile = new aws.iam.InstanceProfile(`${base}-node-profile`, {
            namePrefix: `${base}-node-`,
            role: role.name,
            tags: tags(`${base}-node-profile`),
        }, parent);

        // ── Launch template
        const imageId = ubuntuAmiId(args.instanceType, args.ubuntuAmiRelease, parent);

        if (args.databaseCredentialsSecretArn) {
            new aws.iam.RolePolicy(`${base}-node-read-db-credentials`, {
                role: role.id,
                policy: pulumi.output(args.databaseCredentialsSecretArn).apply((secretArn) => JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secretArn }],
                })),
            }, parent);
        }

        const userData = pulumi
            .all([args.vectorStoreEndpoint, args.databaseCredentialsSecretArn ?? "", args.kv.url])
            .apply(([vectorStoreEndpoint, databaseSecretArn, kvUrl]) =>
                Buffer.from(renderTemplate("memory-spine-node.sh", {
                    environment: env,
                    vaultAddress: args.vaultAddress,
                    vaultAwsAuthPath: args.vault.awsAuthPath,
                    vaultRole: args.vault.role,
                    openaiSecretPath: args.vault.openaiSecretPath,
                    qdrantSecretPath: args.vault.qdrantSecretPath,
                    kvSecretPath: args.vault.kvSecretPath,
                    kvUrl,
                    kvClusterMode: String(args.kv.clusterMode),
                    vectorStoreEngine: args.vectorStoreEngine,
                    vectorStoreEndpoint,
                    databaseSecretArn,
                    containerImage: args.containerImage,
                    apiPort: String(API_PORT),
                })).toString("base64"));

        const nodeTags = tags(`${base}-node`);
        const launchTemplate = new aws.ec2.LaunchTemplate(`${base}-lt`, {
            namePrefix: `${base}-`,
            description: `Memory Spine ${env} API node`,
            imageId,
            instanceType: args.instanceType,
            iamInstanceProfile: { arn: instanceProfile.arn },
            userData,
            updateDefaultVersion: true,
            metadataOptions: {
                httpEndpoint: "enabled",
                httpTokens: "required",
                // 2 hops so that the container can reach IMDSv2 through Docker's bridge.
                httpPutResponseHopLimit: 2,
                instanceMetadataTags: "disabled",
            },
            networkInterfaces: [{
                associatePublicIpAddress: "false",
                deleteOnTermination: "true",
                securityGroups: [args.nodeSecurityGroupId],
            }],
            blockDeviceMappings: [{
                deviceName: "/dev/sda1",
                ebs: {
                    volumeSize: isProd ? 200 : 50,
                    volumeType: "gp3",
                    encrypted: "true",
                    kmsKeyId: args.dataKeyArn,
                    deleteOnTermination: "true",
                },
            }],
            monitoring: { enabled: true },
            tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({ resourceType, tags: nodeTags })),
            tags: tags(`${base}-lt`),
        }, parent);

        // ── Load balancer
        const internetFacing = isProd && args.enableTls;
        const accessLogs = env === "dev" ? undefined : new AccessLogBucket(`${base}-alb-logs`, {
            environment: env,
            prefix: "alb",
            retentionDays: isProd ? 365 : 90,
            tags: args.tags,
        }, parent);

        const loadBalancer = new aws.lb.LoadBalancer(`${base}-alb`, {
            name: base,
            loadBalancerType: "application",
            internal: !internetFacing,
            securityGroups: [args.balancerSecurityGroupId],
            subnets: internetFacing ? args.publicSubnetIds : args.privateSubnetIds,
            dropInvalidHeaderFields: true,
            enableDeletionProtection: isProd,
            idleTimeout: 60,
            accessLogs: accessLogs
                ? { bucket: accessLogs.bucketName, prefix: accessLogs.prefix, enabled: true }
                : undefined,
            tags: tags(`${base}-alb`),
        }, { parent: this, dependsOn: accessLogs ? [accessLogs.policy] : [] });

        const targetGroup = new aws.lb.TargetGroup(`${base}-tg`, {
            name: `${base}-tg`,
            port: API_PORT,
            protocol: "HTTP",
            targetType: "instance",
            vpcId: args.vpcId,
            deregistrationDelay: 30,
            healthCheck: {
                enabled: true,
                path: "/health",
                port: "traffic-port",
                protocol: "HTTP",
                interval: 15,
                timeout: 5,
                healthyThreshold: 2,
                unhealthyThreshold: 3,
                matcher: "200",
            },
            tags: tags(`${base}-tg`),
        }, parent);

        let certificateArn: pulumi.Output<string> | undefined;
        if (args.enableTls) {
            if (args.tls.certificateArn) {
                certificateArn = pulumi.output(args.tls.certificateArn);
            } else {
                const certificate = new ApiCertificate(`${base}-cert`, {
                    environment: env,
                    domainName: args.tls.domainName as string,
                    hostedZoneId: args.tls.hostedZoneId,
                    tags: args.tags,
                }, parent);
                certificateArn = certificate.certificateArn;
                this.certificateValidationRecords = certificate.validationRecords;
            }
        }

        if (certificateArn) {
            new aws.lb.Listener(`${base}-https`, {
                loadBalancerArn: loadBalancer.arn,
                port: 443,
                protocol: "HTTPS",
                sslPolicy: TLS_POLICY,
                certificateArn,
                defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
                tags: tags(`${base}-https`),
            }, parent);
            new aws.lb.Listener(`${base}-http-redirect`, {
                loadBalancerArn: loadBalancer.arn,
                port: 80,
                protocol: "HTTP",
                defaultActions: [{
                    type: "redirect",
                    redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" },
                }],
                tags: tags(`${base}-http-redirect`),
            }, parent);
        } else {
            new aws.lb.Listener(`${base}-http`, {
                loadBalancerArn: loadBalancer.arn,
                port: 80,
                protocol: "HTTP",
                defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
                tags: tags(`${base}-http`),
            }, parent);
        }

        if (args.enableTls && args.tls.domainName && args.tls.hostedZoneId) {
            new aws.route53.Record(`${base}-api-alias`, {
                zoneId: args.tls.hostedZoneId,
                name: args.tls.domainName,
                type: "A",
                aliases: [{ name: loadBalancer.dnsName, zoneId: loadBalancer.zoneId, evaluateTargetHealth: true }],
            }, parent);
        }

        // ── Auto Scaling group
        const minSize = isProd ? 2 : 1;
        const maxSize = 3 * args.instanceCount;
        const group = new aws.autoscaling.Group(`${base}-asg`, {
            name: base,
            desiredCapacity: args.instanceCount,
            minSize,
            maxSize,
            vpcZoneIdentifiers: args.privateSubnetIds,
            targetGroupArns: [targetGroup.arn],
            healthCheckType: "ELB",
            healthCheckGracePeriod: 300,
            defaultInstanceWarmup: 300,
            // A version number, not "$Latest": a new template version must change the group,
            // which is what starts the instance refresh below.
            launchTemplate: { id: launchTemplate.id, version: pulumi.interpolate`${launchTemplate.latestVersion}` },
            instanceRefresh: {
                strategy: "Rolling",
                // Launch before terminating so capacity never drops, even with a single node.
                preferences: { minHealthyPercentage: 100, maxHealthyPercentage: 200, instanceWarmup: "300", autoRollback: true },
            },
            enabledMetrics: ["GroupDesiredCapacity", "GroupInServiceInstances", "GroupPendingInstances", "GroupTerminatingInstances", "GroupTotalInstances"],
            tags: autoScalingGroupTags(nodeTags),
        }, {
            parent: this,
            // Target tracking and the off-hours schedule move the desired count at run time;
            // `pulumi up` must not snap it back (instanceCount still sets the launch size and the bounds).
            ignoreChanges: ["desiredCapacity"],
        });

        new aws.autoscaling.Policy(`${base}-cpu-target`, {
            autoscalingGroupName: group.name,
            policyType: "TargetTrackingScaling",
            estimatedInstanceWarmup: 300,
            targetTrackingConfiguration: {
                predefinedMetricSpecification: { predefinedMetricType: "ASGAverageCPUUtilization" },
                targetValue: args.targetCpuUtilization,
            },
        }, parent);

        if (!isProd) {
            new aws.autoscaling.Schedule(`${base}-scale-down`, {
                scheduledActionName: `${base}-scale-down`,
                autoscalingGroupName: group.name,
                recurrence: args.schedule.scaleDownCron,
                timeZone: args.schedule.timeZone,
                minSize: 0,
                maxSize: 0,
                desiredCapacity: 0,
            }, parent);
            new aws.autoscaling.Schedule(`${base}-scale-up`, {
                scheduledActionName: `${base}-scale-up`,
                autoscalingGroupName: group.name,
                recurrence: args.schedule.scaleUpCron,
                timeZone: args.schedule.timeZone,
                minSize,
                maxSize,
                desiredCapacity: args.instanceCount,
            }, parent);
        }

        const host = args.enableTls && args.tls.domainName ? pulumi.output(args.tls.domainName) : loadBalancer.dnsName;
        this.apiEndpoint = pulumi.interpolate`${args.enableTls ? "https" : "http"}://${host}`;
        this.loadBalancerArn = loadBalancer.arn;
        this.loadBalancerArnSuffix = loadBalancer.arnSuffix;
        this.targetGroupArnSuffix = targetGroup.arnSuffix;
        this.autoScalingGroupName = group.name;
        this.nodeRoleArn = role.arn;
        this.nodeRoleName = role.name;
        this.registerOutputs({
            apiEndpoint: this.apiEndpoint,
            loadBalancerArn: this.loadBalancerArn,
            autoScalingGroupName: this.autoScalingGroupName,
            nodeRoleArn: this.nodeRoleArn,
        });
    }
}
