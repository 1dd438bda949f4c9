import { expect } from "chai";
import { onlyResource, outputOf, resourcesOfType, runWith, shippedStack, ShippedStack } from "./support/stacks";
import { cidrSubnet, isCanonicalIpv4Cidr } from "../components/cidr";
import { MOCK_ACCOUNT_ID } from "../tools/lib/mocks";

const EXPECTED: Record<ShippedStack, { zones: number; natGateways: number; vpcCidr: string; flowLogDays: number }> = {
    dev: { zones: 2, natGateways: 1, vpcCidr: "10.10.0.0/16", flowLogDays: 14 },
    staging: { zones: 2, natGateways: 1, vpcCidr: "10.20.0.0/16", flowLogDays: 30 },
    prod: { zones: 3, natGateways: 3, vpcCidr: "10.30.0.0/16", flowLogDays: 365 },
};

for (const stack of Object.keys(EXPECTED) as ShippedStack[]) {
    const expected = EXPECTED[stack];
    describe(`Networking (${stack} stack)`, () => {
        it(`a VPC with a public and a private subnet in each of ${expected.zones} distinct zones`, async () => {
            const run = await shippedStack(stack);
            const vpc = onlyResource(run, "aws:ec2/vpc:Vpc");
            expect(vpc.props).to.include({ cidrBlock: expected.vpcCidr, enableDnsHostnames: true, enableDnsSupport: true });
            const subnets = resourcesOfType(run, "aws:ec2/subnet:Subnet");
            const publicSubnets = subnets.filter((s) => s.props.tags.Tier === "public");
            const privateSubnets = subnets.filter((s) => s.props.tags.Tier === "private");
            expect(publicSubnets).to.have.lengthOf(expected.zones);
            expect(privateSubnets).to.have.lengthOf(expected.zones);
            for (const tier of [publicSubnets, privateSubnets]) {
                expect(new Set(tier.map((s) => s.props.availabilityZone)).size).to.equal(expected.zones);
            }
            for (const subnet of subnets) {
                expect(subnet.props.vpcId).to.equal(outputOf(vpc, "id"));
                expect(subnet.props.mapPublicIpOnLaunch).to.equal(false);
            }
            const cidrs = subnets.map((s) => s.props.cidrBlock);
            expect(new Set(cidrs).size).to.equal(cidrs.length);
        });

        it(`NAT: ${expected.natGateways} gateway(s), every private route table sends 0.0.0.0/0 through one`, async () => {
            const run = await shippedStack(stack);
            const nats = resourcesOfType(run, "aws:ec2/natGateway:NatGateway");
            expect(nats).to.have.lengthOf(expected.natGateways);
            const natIds = nats.map((n) => outputOf(n, "id"));
            const publicSubnetIds = resourcesOfType(run, "aws:ec2/subnet:Subnet").filter((s) => s.props.tags.Tier === "public").map((s) => outputOf(s, "id"));
            for (const nat of nats) {
                expect(publicSubnetIds).to.include(nat.props.subnetId);
            }
            const privateTables = resourcesOfType(run, "aws:ec2/routeTable:RouteTable").filter((t) => t.name.includes("-private-rt-"));
            expect(privateTables).to.have.lengthOf(expected.zones);
            const usedNats = privateTables.map((t) => {
                expect(t.props.routes).to.have.lengthOf(1);
                expect(t.props.routes[0].cidrBlock).to.equal("0.0.0.0/0");
                return t.props.routes[0].natGatewayId;
            });
            expect(new Set(usedNats).size).to.equal(expected.natGateways);
            for (const id of usedNats) {
                expect(natIds).to.include(id);
            }
            const igw = onlyResource(run, "aws:ec2/internetGateway:InternetGateway");
            const publicTable = onlyResource(run, "aws:ec2/routeTable:RouteTable", "-public-rt");
            expect(publicTable.props.routes).to.deep.equal([{ cidrBlock: "0.0.0.0/0", gatewayId: outputOf(igw, "id") }]);
            expect(resourcesOfType(run, "aws:ec2/routeTableAssociation:RouteTableAssociation")).to.have.lengthOf(2 * expected.zones);
        });

        it(`flow logs of all traffic to a log group kept ${expected.flowLogDays} days, through a role only this account's flow logs can use`, async () => {
            const run = await shippedStack(stack);
            const vpc = onlyResource(run, "aws:ec2/vpc:Vpc");
            const group = onlyResource(run, "aws:cloudwatch/logGroup:LogGroup", "-vpc-flow-logs");
            expect(group.props.name).to.equal(`/memory-spine/${stack}/vpc-flow-logs`);
            expect(group.props.retentionInDays).to.equal(expected.flowLogDays);
            const role = onlyResource(run, "aws:iam/role:Role", "-vpc-flow-logs");
            const flowLog = onlyResource(run, "aws:ec2/flowLog:FlowLog");
            expect(flowLog.props).to.include({
                vpcId: outputOf(vpc, "id"),
                trafficType: "ALL",
                logDestinationType: "cloud-watch-logs",
                logDestination: outputOf(group, "arn"),
                iamRoleArn: outputOf(role, "arn"),
            });
            const trust = JSON.parse(role.props.assumeRolePolicy as string);
            expect(trust.Statement).to.deep.equal([{
                Effect: "Allow",
                Principal: { Service: "vpc-flow-logs.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: {
                    StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID },
                    ArnLike: { "aws:SourceArn": `arn:aws:ec2:us-east-1:${MOCK_ACCOUNT_ID}:vpc-flow-log/*` },
                },
            }]);
            const policy = onlyResource(run, "aws:iam/rolePolicy:RolePolicy", "-vpc-flow-logs");
            expect(policy.props.role).to.equal(outputOf(role, "id"));
            const statements = JSON.parse(policy.props.policy as string).Statement as { Action: string | string[]; Resource: string | string[] }[];
            const groupArn = outputOf(group, "arn") as string;
            expect(statements.find((s) => s.Action.includes("logs:PutLogEvents"))?.Resource).to.deep.equal([groupArn, `${groupArn}:*`]);
            expect(statements.filter((s) => s.Resource === "*").map((s) => s.Action)).to.deep.equal(["logs:DescribeLogGroups"]);
        });

        it("locks down the VPC's default security group", async () => {
            const run = await shippedStack(stack);
            const locked = onlyResource(run, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
            expect(locked.props.ingress ?? []).to.deep.equal([]);
            expect(locked.props.egress ?? []).to.deep.equal([]);
        });
    });
}

describe("Networking with an existing VPC", () => {
    it("creates no network resources and places balancer and nodes in the given subnets", async () => {
        const publicSubnets = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"];
        const privateSubnets = ["subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2"];
        const run = await runWith({
            stack: "prod",
            overrides: { existingVpcId: "vpc-0123456789abcdef0", existingPublicSubnetIds: publicSubnets, existingPrivateSubnetIds: privateSubnets },
        });
        expect(run.error).to.equal(undefined);
        for (const type of ["aws:ec2/vpc:Vpc", "aws:ec2/subnet:Subnet", "aws:ec2/natGateway:NatGateway", "aws:ec2/internetGateway:InternetGateway", "aws:ec2/flowLog:FlowLog"]) {
            expect(resourcesOfType(run, type), type).to.have.lengthOf(0);
        }
        expect(onlyResource(run, "aws:autoscaling/group:Group").props.vpcZoneIdentifiers).to.deep.equal(privateSubnets);
        expect(onlyResource(run, "aws:lb/loadBalancer:LoadBalancer", "-alb").props.subnets).to.deep.equal(publicSubnets);
        expect(onlyResource(run, "aws:ec2/securityGroup:SecurityGroup", "-node").props.vpcId).to.equal("vpc-0123456789abcdef0");
    });

    it("fails with a clear message when the region has fewer zones than asked for", async () => {
        const run = await runWith({ stack: "dev", overrides: { availabilityZoneCount: 6 } });
        expect(run.error?.message).to.contain("availabilityZoneCount is 6 but the region offers only 5 zones");
    });
});

describe("CIDR helpers", () => {
    it("cidrSubnet matches Terraform's cidrsubnet()", () => {
        expect(cidrSubnet("10.10.0.0/16", 4, 0)).to.equal("10.10.0.0/20");
        expect(cidrSubnet("10.10.0.0/16", 4, 9)).to.equal("10.10.144.0/20");
        expect(cidrSubnet("10.0.0.0/22", 4, 15)).to.equal("10.0.3.192/26");
        expect(() => cidrSubnet("10.0.0.0/16", 4, 16)).to.throw("cannot take subnet 16");
    });
    it("accepts only canonical IPv4 CIDRs", () => {
        expect(isCanonicalIpv4Cidr("10.0.0.0/8")).to.equal(true);
        expect(isCanonicalIpv4Cidr("0.0.0.0/0")).to.equal(true);
        for (const bad of ["10.0.0.1/8", "10.0.0.0/33", "256.0.0.0/8", "10.0.0/8", "10.0.0.0", "010.0.0.0/8", "fd00::/8"]) {
            expect(isCanonicalIpv4Cidr(bad), bad).to.equal(false);
        }
    });
});
