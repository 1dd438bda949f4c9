import { expect } from "chai";
import { onlyResource, outputOf, resourcesOfType, runWith, shippedStack, ShippedStack } from "./support/stacks";
import { ubuntuAmiQuery } from "../components/ubuntu-ami";
import { mockAmiId } from "../tools/lib/mocks";

interface Expected {
    instanceType: string;
    instanceCount: number;
    minSize: number;
    rootVolumeGb: number;
    tls: boolean;
    internal: boolean;
    accessLogs: boolean;
    deletionProtection: boolean;
    allowedCidrBlocks: string[];
    schedules: false | { down: string; up: string };
    tags: Record<string, string>;
    apiEndpoint: RegExp;
}

// The reference's tfvars (DESIGN.md, "Stack contract"), restated independently of the stack files.
const EXPECTED: Record<ShippedStack, Expected> = {
    dev: {
        instanceType: "t3.large", instanceCount: 1, minSize: 1, rootVolumeGb: 50, tls: false, internal: true,
        accessLogs: false, deletionProtection: false, allowedCidrBlocks: ["10.0.0.0/8"], schedules: { down: "0 18 * * *", up: "0 8 * * 1-5" },
        tags: { Environment: "dev", Team: "platform-engineering", CostCenter: "engineering" },
        apiEndpoint: /^http:\/\/internal-memspine-dev-[0-9a-f]+\.us-east-1\.elb\.amazonaws\.com$/,
    },
    staging: {
        instanceType: "r6i.xlarge", instanceCount: 2, minSize: 1, rootVolumeGb: 50, tls: true, internal: true,
        accessLogs: true, deletionProtection: false, allowedCidrBlocks: ["10.0.0.0/8"], schedules: { down: "0 20 * * *", up: "0 7 * * 1-5" },
        tags: { Environment: "staging", Team: "platform-engineering", CostCenter: "engineering" },
        apiEndpoint: /^https:\/\/memory-spine-staging\.chaozcode\.com$/,
    },
    prod: {
        instanceType: "r6i.2xlarge", instanceCount: 4, minSize: 2, rootVolumeGb: 200, tls: true, internal: false,
        accessLogs: true, deletionProtection: true, allowedCidrBlocks: ["10.0.0.0/8", "203.0.113.0/24"], schedules: false,
        tags: { Environment: "prod", Team: "platform-engineering", CostCenter: "infrastructure", Compliance: "soc2" },
        apiEndpoint: /^https:\/\/memory-spine\.chaozcode\.com$/,
    },
};

for (const stack of Object.keys(EXPECTED) as ShippedStack[]) {
    const expected = EXPECTED[stack];

    describe(`MemorySpineCluster (${stack} stack)`, () => {
        it("launch template: Ubuntu AMI, instance type, IMDSv2, encrypted gp3 root, no public IP, instance profile, user data", async () => {
            const run = await shippedStack(stack);
            const lt = onlyResource(run, "aws:ec2/launchTemplate:LaunchTemplate");
            expect(lt.props.instanceType).to.equal(expected.instanceType);
            expect(lt.props.imageId).to.match(/^ami-/);
            expect(lt.props.metadataOptions).to.include({ httpTokens: "required", httpEndpoint: "enabled" });
            expect(lt.props.metadataOptions.httpPutResponseHopLimit).to.be.oneOf([1, 2]);
            expect(lt.props.blockDeviceMappings).to.have.lengthOf(1);
            expect(lt.props.blockDeviceMappings[0].ebs).to.include({ volumeType: "gp3", encrypted: "true", volumeSize: expected.rootVolumeGb });
            expect(lt.props.networkInterfaces).to.have.lengthOf(1);
            expect(lt.props.networkInterfaces[0].associatePublicIpAddress).to.equal("false");
            const profile = onlyResource(run, "aws:iam/instanceProfile:InstanceProfile", "node-profile");
            expect(lt.props.iamInstanceProfile.arn).to.equal(outputOf(profile, "arn"));
            const userData = Buffer.from(lt.props.userData, "base64").toString("utf8");
            expect(userData).to.match(/^#!\/usr\/bin\/env bash/);
            expect(userData).to.contain(`ENVIRONMENT='${stack}'`);
            expect(userData).to.contain("API_PORT='8788'");
        });

        it("boots the newest Ubuntu 24.04 LTS image from Canonical's account for the instance's architecture", async () => {
            const run = await shippedStack(stack);
            const query = ubuntuAmiQuery(expected.instanceType, "");
            expect(query.owners).to.deep.equal(["099720109477"]);
            expect(query.filters?.find((f) => f.name === "name")?.values).to.deep.equal(["ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*"]);
            // The mock answers every distinct query with its own image id.
            expect(onlyResource(run, "aws:ec2/launchTemplate:LaunchTemplate").props.imageId).to.equal(mockAmiId(query));
        });

        it("node role allows SSM managed instance access", async () => {
            const run = await shippedStack(stack);
            const role = onlyResource(run, "aws:iam/role:Role", "node-role");
            expect(JSON.parse(role.props.assumeRolePolicy).Statement[0].Principal.Service).to.equal("ec2.amazonaws.com");
            const attachments = resourcesOfType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((a) => a.props.policyArn);
            expect(attachments).to.include("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
            const profile = onlyResource(run, "aws:iam/instanceProfile:InstanceProfile", "node-profile");
            expect(profile.props.role).to.equal(outputOf(role, "name"));
        });

        it("Auto Scaling group: capacity, private subnets, ELB health checks, pinned template version, instance refresh", async () => {
            const run = await shippedStack(stack);
            const asg = onlyResource(run, "aws:autoscaling/group:Group");
            expect(asg.props).to.include({ desiredCapacity: expected.instanceCount, minSize: expected.minSize, maxSize: 3 * expected.instanceCount, healthCheckType: "ELB" });
            const privateSubnetIds = resourcesOfType(run, "aws:ec2/subnet:Subnet").filter((s) => s.name.includes("-private-")).map((s) => outputOf(s, "id"));
            expect(asg.props.vpcZoneIdentifiers).to.have.members(privateSubnetIds);
            expect(privateSubnetIds.length).to.be.at.least(2);
            const lt = onlyResource(run, "aws:ec2/launchTemplate:LaunchTemplate");
            expect(asg.props.launchTemplate).to.deep.equal({ id: outputOf(lt, "id"), version: String(outputOf(lt, "latestVersion")) });
            expect(asg.props.launchTemplate.version).to.not.equal("$Latest");
            expect(asg.props.instanceRefresh.strategy).to.equal("Rolling");
            const tg = onlyResource(run, "aws:lb/targetGroup:TargetGroup", "-tg");
            expect(asg.props.targetGroupArns).to.deep.equal([outputOf(tg, "arn")]);
            expect(asg.options.ignoreChanges).to.deep.equal(["desiredCapacity"]);
        });

        it("target-tracking scaling policy on the group's CPU", async () => {
            const run = await shippedStack(stack);
            const policy = onlyResource(run, "aws:autoscaling/policy:Policy");
            const asg = onlyResource(run, "aws:autoscaling/group:Group");
            expect(policy.props.policyType).to.equal("TargetTrackingScaling");
            expect(policy.props.autoscalingGroupName).to.equal(outputOf(asg, "name"));
            expect(policy.props.targetTrackingConfiguration.predefinedMetricSpecification.predefinedMetricType).to.equal("ASGAverageCPUUtilization");
            expect(policy.props.targetTrackingConfiguration.targetValue).to.equal(60);
        });

        it(expected.schedules ? "scales to zero off-hours and back on weekday mornings" : "has no off-hours schedule", async () => {
            const run = await shippedStack(stack);
            const schedules = resourcesOfType(run, "aws:autoscaling/schedule:Schedule");
            if (!expected.schedules) {
                expect(schedules).to.have.lengthOf(0);
                return;
            }
            const down = schedules.find((s) => s.props.desiredCapacity === 0);
            const up = schedules.find((s) => s.props.desiredCapacity === expected.instanceCount);
            expect(down?.props).to.include({ minSize: 0, maxSize: 0, recurrence: expected.schedules.down, timeZone: "UTC" });
            expect(up?.props).to.include({ minSize: expected.minSize, maxSize: 3 * expected.instanceCount, recurrence: expected.schedules.up });
        });

        it(`load balancer: ${expected.internal ? "internal" : "internet-facing"}, drops invalid headers, deletion protection ${expected.deletionProtection}`, async () => {
            const run = await shippedStack(stack);
            const lb = onlyResource(run, "aws:lb/loadBalancer:LoadBalancer", "-alb");
            expect(lb.props).to.include({
                loadBalancerType: "application",
                internal: expected.internal,
                dropInvalidHeaderFields: true,
                enableDeletionProtection: expected.deletionProtection,
            });
            const tier = expected.internal ? "-private-" : "-public-";
            const subnets = resourcesOfType(run, "aws:ec2/subnet:Subnet").filter((s) => s.name.includes(tier)).map((s) => outputOf(s, "id"));
            expect(lb.props.subnets).to.have.members(subnets);
            if (expected.accessLogs) {
                const bucket = onlyResource(run, "aws:s3/bucket:Bucket", "-alb-logs");
                expect(lb.props.accessLogs).to.deep.include({ enabled: true, bucket: outputOf(bucket, "bucket") });
            } else {
                expect(lb.props.accessLogs).to.equal(undefined);
                expect(resourcesOfType(run, "aws:s3/bucket:Bucket")).to.have.lengthOf(0);
            }
        });

        it("target group on 8788 with the /health check", async () => {
            const run = await shippedStack(stack);
            const tg = onlyResource(run, "aws:lb/targetGroup:TargetGroup", "-tg");
            expect(tg.props).to.include({ port: 8788, protocol: "HTTP" });
            expect(tg.props.healthCheck).to.include({ path: "/health", interval: 15, timeout: 5, healthyThreshold: 2, unhealthyThreshold: 3, matcher: "200" });
        });

        it(expected.tls ? "HTTPS listener with the TLS 1.3/1.2 policy and an HTTP->HTTPS redirect" : "a single HTTP forward listener", async () => {
            const run = await shippedStack(stack);
            const lb = onlyResource(run, "aws:lb/loadBalancer:LoadBalancer", "-alb");
            const tg = onlyResource(run, "aws:lb/targetGroup:TargetGroup", "-tg");
            // The Qdrant cluster's internal balancer has listeners of its own (tests/qdrant-cluster.test.ts).
            const listeners = resourcesOfType(run, "aws:lb/listener:Listener").filter((l) => !l.name.includes("-qdrant-"));
            for (const listener of listeners) {
                expect(listener.props.loadBalancerArn).to.equal(outputOf(lb, "arn"));
            }
            if (!expected.tls) {
                expect(listeners).to.have.lengthOf(1);
                expect(listeners[0].props).to.include({ port: 80, protocol: "HTTP" });
                expect(listeners[0].props.defaultActions).to.deep.equal([{ type: "forward", targetGroupArn: outputOf(tg, "arn") }]);
                expect(lb.props.internal).to.equal(true);
                return;
            }
            expect(listeners).to.have.lengthOf(2);
            const https = listeners.find((l) => l.props.protocol === "HTTPS");
            const http = listeners.find((l) => l.props.protocol === "HTTP");
            expect(https?.props).to.include({ port: 443, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" });
            const certificate = onlyResource(run, "aws:acm/certificate:Certificate");
            expect(certificate.props).to.include({ validationMethod: "DNS" });
            expect(https?.props.certificateArn).to.equal(outputOf(certificate, "arn"));
            expect(https?.props.defaultActions).to.deep.equal([{ type: "forward", targetGroupArn: outputOf(tg, "arn") }]);
            expect(http?.props.port).to.equal(80);
            expect(http?.props.defaultActions).to.have.lengthOf(1);
            expect(http?.props.defaultActions[0]).to.deep.include({ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } });
        });

        it("security groups: clients reach only the balancer, the nodes admit 8788 from the balancer group only", async () => {
            const run = await shippedStack(stack);
            const groups = resourcesOfType(run, "aws:ec2/securityGroup:SecurityGroup").filter((g) => g.parent?.includes("ApiSecurityGroups"));
            expect(groups).to.have.lengthOf(2);
            const balancerGroup = onlyResource(run, "aws:ec2/securityGroup:SecurityGroup", "-alb");
            const nodeGroup = onlyResource(run, "aws:ec2/securityGroup:SecurityGroup", "-node");
            const balancerId = outputOf(balancerGroup, "id");
            const nodeId = outputOf(nodeGroup, "id");
            expect(balancerId).to.not.equal(nodeId);

            const ingress = resourcesOfType(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
            const toNodes = ingress.filter((r) => r.props.securityGroupId === nodeId);
            expect(toNodes).to.have.lengthOf(1);
            expect(toNodes[0].props).to.include({ fromPort: 8788, toPort: 8788, ipProtocol: "tcp", referencedSecurityGroupId: balancerId });
            expect(toNodes[0].props.cidrIpv4).to.equal(undefined);

            const toBalancer = ingress.filter((r) => r.props.securityGroupId === balancerId);
            const ports = expected.tls ? [443, 80] : [80];
            expect(toBalancer).to.have.lengthOf(ports.length * expected.allowedCidrBlocks.length);
            for (const port of ports) {
                const cidrs = toBalancer.filter((r) => r.props.fromPort === port && r.props.toPort === port).map((r) => r.props.cidrIpv4);
                expect(cidrs).to.have.members(expected.allowedCidrBlocks);
            }
            expect(toBalancer.map((r) => r.props.cidrIpv4)).to.not.include("0.0.0.0/0");

            const lb = onlyResource(run, "aws:lb/loadBalancer:LoadBalancer", "-alb");
            expect(lb.props.securityGroups).to.deep.equal([balancerId]);
            const lt = onlyResource(run, "aws:ec2/launchTemplate:LaunchTemplate");
            expect(lt.props.networkInterfaces[0].securityGroups).to.deep.equal([nodeId]);
            const egress = resourcesOfType(run, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter((r) => r.props.securityGroupId === balancerId);
            expect(egress.map((r) => r.props)).to.deep.equal([{ ...egress[0].props, fromPort: 8788, toPort: 8788, referencedSecurityGroupId: nodeId }]);
        });

        it("stack outputs: apiEndpoint scheme follows TLS, securityGroupId is the node group", async () => {
            const run = await shippedStack(stack);
            expect(run.outputs.apiEndpoint.value).to.match(expected.apiEndpoint);
            const nodeGroup = onlyResource(run, "aws:ec2/securityGroup:SecurityGroup", "-node");
            expect(run.outputs.securityGroupId.value).to.equal(outputOf(nodeGroup, "id"));
        });

        it("tags every taggable resource with the stack's tags, Name and Service", async () => {
            const run = await shippedStack(stack);
            // Auto Scaling groups take tags as a list; they are checked below.
            const tagged = run.resources.filter((r) => r.custom && r.type.startsWith("aws:") && r.inputs.tags !== undefined && r.type !== "aws:autoscaling/group:Group");
            expect(tagged.length).to.be.greaterThan(20);
            for (const resource of tagged) {
                const tags = resourcesOfType(run, resource.type).find((r) => r.urn === resource.urn)?.props.tags;
                expect(tags, resource.name).to.include({ ...expected.tags, Service: "memory-spine" });
                expect(tags.Name, resource.name).to.be.a("string").and.match(/^memspine-/);
            }
            const asg = onlyResource(run, "aws:autoscaling/group:Group");
            const asgTags = Object.fromEntries(asg.props.tags.map((t: { key: string; value: string; propagateAtLaunch: boolean }) => {
                expect(t.propagateAtLaunch).to.equal(true);
                return [t.key, t.value];
            }));
            expect(asgTags).to.include({ ...expected.tags, Service: "memory-spine" });
        });
    });
}

describe("Ubuntu image pinning (ubuntuAmiRelease)", () => {
    it("pins the API nodes and the Qdrant node to one Canonical release, Graviton types to the arm64 build", async () => {
        const run = await runWith({ stack: "staging", overrides: { ubuntuAmiRelease: "20250610", instanceType: "m7g.xlarge", qdrantInstanceType: "r6i.large" } });
        expect(run.error).to.equal(undefined);
        const apiQuery = ubuntuAmiQuery("m7g.xlarge", "20250610");
        expect(apiQuery.filters?.find((f) => f.name === "name")?.values).to.deep.equal(["ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20250610"]);
        expect(apiQuery.filters?.find((f) => f.name === "architecture")?.values).to.deep.equal(["arm64"]);
        expect(onlyResource(run, "aws:ec2/launchTemplate:LaunchTemplate").props.imageId).to.equal(mockAmiId(apiQuery));
        const qdrant = onlyResource(run, "aws:ec2/instance:Instance", "-qdrant-node-0");
        expect(qdrant.props.ami).to.equal(mockAmiId(ubuntuAmiQuery("r6i.large", "20250610")));
        expect(qdrant.props.ami).to.not.equal(mockAmiId(ubuntuAmiQuery("r6i.large", "")));
    });
});
