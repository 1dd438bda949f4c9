import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { Environment } from "./config";
import { resourceName, resourceTags, Tags } from "./tags";

export interface QdrantLoadBalancerArgs {
    environment: Environment;
    vpcId: pulumi.Input<string>;
    privateSubnetIds: pulumi.Input<string[]>;
    /** The Qdrant nodes' group: admits the balancer (traffic and health checks). */
    qdrantSecurityGroupId: pulumi.Input<string>;
    /** The only clients: the API nodes' group. */
    clientSecurityGroupId: pulumi.Input<string>;
    /** The Qdrant instances, in node order. */
    instanceIds: pulumi.Input<string>[];
    tags: Tags;
}

/** The Qdrant ports the balancer forwards, with their target-group suffixes. */
export const QDRANT_BALANCED_PORTS = [{ port: 6333, label: "http" }, { port: 6334, label: "grpc" }] as const;

/**
 * Qdrant's readiness probe: 200 once the node has joined consensus and loaded its shards; it needs
 * no API key. Both target groups probe it on the HTTP port, so a node that is not ready gets no
 * gRPC traffic either.
 */
export const QDRANT_HEALTH_CHECK = { path: "/readyz", port: "6333", intervalSeconds: 10, healthyThreshold: 2, unhealthyThreshold: 2 } as const;

/**
 * One endpoint for a Qdrant cluster that keeps answering when a node or a zone is lost: an
 * internal Network Load Balancer over every node's HTTP (6333) and gRPC (6334) ports, spread over
 * the private subnets, cross-zone, health-checked on /readyz. It carries a security group (an
 * NLB only accepts one when it is created) that admits the API nodes only; the nodes admit the
 * balancer's group, which AWS documents as working with client IP preservation on.
 */
export class QdrantLoadBalancer extends pulumi.ComponentResource {
    readonly dnsName: pulumi.Output<string>;
    readonly arnSuffix: pulumi.Output<string>;
    readonly securityGroupId: pulumi.Output<string>;

    constructor(name: string, args: QdrantLoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("memory-spine:data:QdrantLoadBalancer", name, {}, opts);
        const parent = { parent: this };
        const base = resourceName(args.environment, "qdrant-lb");
        const tags = (n: string) => resourceTags(args.tags, n);
        const nodeGroupName = resourceName(args.environment, "node");

        const group = new aws.ec2.SecurityGroup(base, {
            namePrefix: `${base}-`,
            description: `Memory Spine ${args.environment} Qdrant load balancer: Qdrant ports from the API nodes only`,
            vpcId: args.vpcId,
            tags: tags(base),
        }, parent);
        for (const { port } of QDRANT_BALANCED_PORTS) {
            new aws.vpc.SecurityGroupIngressRule(`${base}-in-${port}`, {
                securityGroupId: group.id,
                description: `Qdrant port ${port} from the Memory Spine nodes`,
                ipProtocol: "tcp",
                fromPort: port,
                toPort: port,
                referencedSecurityGroupId: args.clientSecurityGroupId,
                tags: tags(`${base}-in-${port}`),
            }, parent);
            new aws.vpc.SecurityGroupEgressRule(`${base}-out-${port}`, {
                securityGroupId: group.id,
                description: `Qdrant port ${port} to the Qdrant nodes`,
                ipProtocol: "tcp",
                fromPort: port,
                toPort: port,
                referencedSecurityGroupId: args.qdrantSecurityGroupId,
                tags: tags(`${base}-out-${port}`),
            }, parent);
            new aws.vpc.SecurityGroupIngressRule(`${resourceName(args.environment, "qdrant")}-in-${port}-from-lb`, {
                securityGroupId: args.qdrantSecurityGroupId,
                description: `Qdrant port ${port} from its load balancer (traffic and health checks)`,
                ipProtocol: "tcp",
                fromPort: port,
                toPort: port,
                referencedSecurityGroupId: group.id,
                tags: tags(`${resourceName(args.environment, "qdrant")}-in-${port}-from-lb`),
            }, parent);
            new aws.vpc.SecurityGroupEgressRule(`${nodeGroupName}-out-qdrant-lb-${port}`, {
                securityGroupId: args.clientSecurityGroupId,
                description: `Qdrant port ${port} to the Qdrant load balancer`,
                ipProtocol: "tcp",
                fromPort: port,
                toPort: port,
                referencedSecurityGroupId: group.id,
                tags: tags(`${nodeGroupName}-out-qdrant-lb-${port}`),
            }, parent);
        }

        const isProd = args.environment === "prod";
        const balancer = new aws.lb.LoadBalancer(base, {
            name: base,
            internal: true,
            loadBalancerType: "network",
            subnets: args.privateSubnetIds,
            securityGroups: [group.id],
            // Every node serves every collection (replicas forward), so any healthy node in any
            // zone may take a connection: a zone without a healthy node must not go dark.
            enableCrossZoneLoadBalancing: true,
            enableDeletionProtection: isProd,
            tags: tags(base),
        }, parent);

        for (const { port, label } of QDRANT_BALANCED_PORTS) {
            const targetGroupName = resourceName(args.environment, `qdrant-${label}`);
            const targetGroup = new aws.lb.TargetGroup(targetGroupName, {
                name: targetGroupName,
                port,
                protocol: "TCP",
                targetType: "instance",
                vpcId: args.vpcId,
                deregistrationDelay: 30,
                healthCheck: {
                    enabled: true,
                    protocol: "HTTP",
                    port: QDRANT_HEALTH_CHECK.port,
                    path: QDRANT_HEALTH_CHECK.path,
                    matcher: "200",
                    interval: QDRANT_HEALTH_CHECK.intervalSeconds,
                    healthyThreshold: QDRANT_HEALTH_CHECK.healthyThreshold,
                    unhealthyThreshold: QDRANT_HEALTH_CHECK.unhealthyThreshold,
                },
                tags: tags(targetGroupName),
            }, parent);
            args.instanceIds.forEach((instanceId, index) => {
                new aws.lb.TargetGroupAttachment(`${targetGroupName}-${index}`, { targetGroupArn: targetGroup.arn, targetId: instanceId, port }, parent);
            });
            new aws.lb.Listener(targetGroupName, {
                loadBalancerArn: balancer.arn,
                port,
                protocol: "TCP",
                defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
                tags: tags(targetGroupName),
            }, parent);
        }

        this.dnsName = balancer.dnsName;
        this.arnSuffix = balancer.arnSuffix;
        this.securityGroupId = group.id;
        this.registerOutputs({ dnsName: this.dnsName, securityGroupId: this.securityGroupId });
    }
}
