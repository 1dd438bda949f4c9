import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { Environment } from "./config";
import { resourceName, resourceTags, Tags } from "./tags";

/** Port the Memory Spine API listens on inside the nodes. */
export const API_PORT = 8788;

export interface ApiSecurityGroupsArgs {
    environment: Environment;
    vpcId: pulumi.Input<string>;
    enableTls: boolean;
    /** Clients allowed to reach the balancer. */
    allowedCidrBlocks: string[];
    /** Port of the Vault API the nodes log in to (443 unless the address names one). */
    vaultPort: number;
    tags: Tags;
}

/**
 * The balancer's and the nodes' security groups, kept apart (the reference shared one group,
 * so the balancer could not reach the nodes): clients reach the balancer on its listener ports
 * from allowedCidrBlocks only; the nodes admit the API port from the balancer group only.
 */
export class ApiSecurityGroups extends pulumi.ComponentResource {
    readonly balancerSecurityGroupId: pulumi.Output<string>;
    readonly nodeSecurityGroupId: pulumi.Output<string>;
    /** Listener ports opened to clients: 443 (+80 for the redirect) with TLS, 80 without. */
    readonly clientPorts: number[];

    constructor(name: string, args: ApiSecurityGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("memory-spine:network:ApiSecurityGroups", name, {}, opts);
        const parent = { parent: this };
        const balancerName = resourceName(args.environment, "alb");
        const nodeName = resourceName(args.environment, "node");

        const balancer = new aws.ec2.SecurityGroup(balancerName, {
            namePrefix: `${balancerName}-`,
            description: `Memory Spine ${args.environment} load balancer: clients in, API port to the nodes out`,
            vpcId: args.vpcId,
            tags: resourceTags(args.tags, balancerName),
        }, parent);

        const node = new aws.ec2.SecurityGroup(nodeName, {
            namePrefix: `${nodeName}-`,
            description: `Memory Spine ${args.environment} API nodes: API port from the balancer only`,
            vpcId: args.vpcId,
            tags: resourceTags(args.tags, nodeName),
        }, parent);

        this.clientPorts = args.enableTls ? [443, 80] : [80];
        for (const port of this.clientPorts) {
            for (const cidr of args.allowedCidrBlocks) {
                // Named by the CIDR so that reordering the config list replaces nothing.
                const ruleName = `${balancerName}-in-${port}-${cidr.replace(/[./]/g, "-")}`;
                new aws.vpc.SecurityGroupIngressRule(ruleName, {
                    securityGroupId: balancer.id,
                    description: port === 80 && args.enableTls ? `HTTP from ${cidr}, redirected to HTTPS` : `${port === 443 ? "HTTPS" : "HTTP"} from ${cidr}`,
                    ipProtocol: "tcp",
                    fromPort: port,
                    toPort: port,
                    cidrIpv4: cidr,
                    tags: resourceTags(args.tags, ruleName),
                }, parent);
            }
        }

        new aws.vpc.SecurityGroupEgressRule(`${balancerName}-out-api`, {
            securityGroupId: balancer.id,
            description: "API port to the Memory Spine nodes",
            ipProtocol: "tcp",
            fromPort: API_PORT,
            toPort: API_PORT,
            referencedSecurityGroupId: node.id,
            tags: resourceTags(args.tags, `${balancerName}-out-api`),
        }, parent);

        new aws.vpc.SecurityGroupIngressRule(`${nodeName}-in-api`, {
            securityGroupId: node.id,
            description: "API port from the load balancer only",
            ipProtocol: "tcp",
            fromPort: API_PORT,
            toPort: API_PORT,
            referencedSecurityGroupId: balancer.id,
            tags: resourceTags(args.tags, `${nodeName}-in-api`),
        }, parent);

        // Nodes pull packages and the image, and reach Vault, SSM and AWS APIs through NAT.
        const egressPorts = [...new Set([443, 80, args.vaultPort])];
        for (const port of egressPorts) {
            const ruleName = `${nodeName}-out-${port}`;
            new aws.vpc.SecurityGroupEgressRule(ruleName, {
                securityGroupId: node.id,
                description: port === 80 ? "HTTP to package mirrors" : port === 443 ? "HTTPS to registries, Vault, SSM and AWS APIs" : "Vault API",
                ipProtocol: "tcp",
                fromPort: port,
                toPort: port,
                cidrIpv4: "0.0.0.0/0",
                tags: resourceTags(args.tags, ruleName),
            }, parent);
        }

        this.balancerSecurityGroupId = balancer.id;
        this.nodeSecurityGroupId = node.id;
        this.registerOutputs({
            balancerSecurityGroupId: this.balancerSecurityGroupId,
            nodeSecurityGroupId: this.nodeSecurityGroupId,
        });
    }
}
