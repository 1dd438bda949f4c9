import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { Environment, ExistingNetwork } from "./config";
import { cidrSubnet } from "./cidr";
import { resourceName, resourceTags, Tags } from "./tags";
import { createVpcFlowLogs } from "./vpc-flow-logs";

export interface NetworkingArgs {
    environment: Environment;
    /** CIDR of the new VPC; ignored with `existing`. */
    vpcCidr: string;
    availabilityZoneCount: number;
    /** Use this VPC and its subnets instead of creating a network. */
    existing?: ExistingNetwork;
    tags: Tags;
}

/**
 * The stack's network: a VPC with a public and a private subnet per availability zone,
 * an internet gateway, NAT (one per zone in prod, a single shared one elsewhere, trading
 * zone-failure resilience for cost), route tables and flow logs to CloudWatch Logs; or an
 * existing VPC passed through (its flow logs are its owner's).
 */
export class Networking extends pulumi.ComponentResource {
    readonly vpcId: pulumi.Output<string>;
    readonly vpcCidr: pulumi.Output<string>;
    readonly publicSubnetIds: pulumi.Output<string[]>;
    readonly privateSubnetIds: pulumi.Output<string[]>;
    /** CloudWatch Logs group of the created VPC's flow logs; undefined with an existing VPC. */
    readonly flowLogGroupName?: pulumi.Output<string>;

    constructor(name: string, args: NetworkingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("memory-spine:network:Networking", name, {}, opts);

        if (args.existing) {
            const vpc = aws.ec2.getVpcOutput({ id: args.existing.vpcId }, { parent: this });
            this.vpcId = pulumi.output(args.existing.vpcId);
            this.vpcCidr = vpc.cidrBlock;
            this.publicSubnetIds = pulumi.output(args.existing.publicSubnetIds);
            this.privateSubnetIds = pulumi.output(args.existing.privateSubnetIds);
        } else {
            const created = this.createNetwork(args);
            this.vpcId = created.vpc.id;
            this.vpcCidr = created.vpc.cidrBlock;
            this.publicSubnetIds = pulumi.all(created.publicSubnets.map((s) => s.id));
            this.privateSubnetIds = pulumi.all(created.privateSubnets.map((s) => s.id));
            this.flowLogGroupName = created.flowLogGroupName;
        }

        this.registerOutputs({
            vpcId: this.vpcId,
            vpcCidr: this.vpcCidr,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
            flowLogGroupName: this.flowLogGroupName,
        });
    }

    private createNetwork(args: NetworkingArgs) {
        const { environment, availabilityZoneCount } = args;
        const base = resourceName(environment);
        const tagsFor = (name: string, extra: Tags = {}) => ({ ...resourceTags(args.tags, name), ...extra });
        const parent = { parent: this };

        const zones = aws.getAvailabilityZonesOutput(
            { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
            parent,
        );
        const zoneName = (index: number) =>
            zones.names.apply((names) => {
                if (names.length < availabilityZoneCount) {
                    throw new Error(`availabilityZoneCount is ${availabilityZoneCount} but the region offers only ${names.length} zones (${names.join(", ")})`);
                }
                return names[index];
            });

        const vpc = new aws.ec2.Vpc(`${base}-vpc`, {
            cidrBlock: args.vpcCidr,
            enableDnsHostnames: true,
            enableDnsSupport: true,
            tags: tagsFor(`${base}-vpc`),
        }, parent);

        // The default security group admits all traffic between its members; strip its rules
        // so that nothing can use it by accident (CIS AWS 5.4).
        new aws.ec2.DefaultSecurityGroup(`${base}-default-sg`, {
            vpcId: vpc.id,
            tags: tagsFor(`${base}-default-locked`),
        }, parent);

        const internetGateway = new aws.ec2.InternetGateway(`${base}-igw`, {
            vpcId: vpc.id,
            tags: tagsFor(`${base}-igw`),
        }, parent);

        // /20s from the bottom of a /16 for private subnets, /20s from the middle for public ones.
        const publicSubnets: aws.ec2.Subnet[] = [];
        const privateSubnets: aws.ec2.Subnet[] = [];
        for (let i = 0; i < availabilityZoneCount; i++) {
            publicSubnets.push(new aws.ec2.Subnet(`${base}-public-${i}`, {
                vpcId: vpc.id,
                cidrBlock: cidrSubnet(args.vpcCidr, 4, 8 + i),
                availabilityZone: zoneName(i),
                mapPublicIpOnLaunch: false,
                tags: tagsFor(`${base}-public-${i}`, { Tier: "public" }),
            }, parent));
            privateSubnets.push(new aws.ec2.Subnet(`${base}-private-${i}`, {
                vpcId: vpc.id,
                cidrBlock: cidrSubnet(args.vpcCidr, 4, i),
                availabilityZone: zoneName(i),
                mapPublicIpOnLaunch: false,
                tags: tagsFor(`${base}-private-${i}`, { Tier: "private" }),
            }, parent));
        }

        const publicRouteTable = new aws.ec2.RouteTable(`${base}-public-rt`, {
            vpcId: vpc.id,
            routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: internetGateway.id }],
            tags: tagsFor(`${base}-public-rt`),
        }, parent);
        publicSubnets.forEach((subnet, i) => new aws.ec2.RouteTableAssociation(`${base}-public-rta-${i}`, {
            subnetId: subnet.id,
            routeTableId: publicRouteTable.id,
        }, parent));

        const natCount = environment === "prod" ? availabilityZoneCount : 1;
        const natGateways: aws.ec2.NatGateway[] = [];
        for (let i = 0; i < natCount; i++) {
            const eip = new aws.ec2.Eip(`${base}-nat-eip-${i}`, {
                domain: "vpc",
                tags: tagsFor(`${base}-nat-eip-${i}`),
            }, { parent: this, dependsOn: [internetGateway] });
            natGateways.push(new aws.ec2.NatGateway(`${base}-nat-${i}`, {
                allocationId: eip.id,
                subnetId: publicSubnets[i].id,
                connectivityType: "public",
                tags: tagsFor(`${base}-nat-${i}`),
            }, { parent: this, dependsOn: [internetGateway] }));
        }

        privateSubnets.forEach((subnet, i) => {
            const routeTable = new aws.ec2.RouteTable(`${base}-private-rt-${i}`, {
                vpcId: vpc.id,
                routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: natGateways[Math.min(i, natCount - 1)].id }],
                tags: tagsFor(`${base}-private-rt-${i}`),
            }, parent);
            new aws.ec2.RouteTableAssociation(`${base}-private-rta-${i}`, {
                subnetId: subnet.id,
                routeTableId: routeTable.id,
            }, parent);
        });

        const flowLogs = createVpcFlowLogs({ environment, baseName: base, vpcId: vpc.id, tagsFor }, this);

        return { vpc, publicSubnets, privateSubnets, flowLogGroupName: flowLogs.logGroup.name };
    }
}
