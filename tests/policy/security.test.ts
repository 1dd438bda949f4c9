// Security and reliability baseline, through the real pack process and the analyzer gRPC protocol.
import { expect } from "chai";
import { PolicyViolation, RecordedResource } from "../../tools/analyzer/client";
import { T, UNKNOWN, compliantStack, envConfig, find, only, resource, tags, usePack } from "./fixtures";

describe("policy pack: security", () => {
    const pack = usePack();

    function set(r: RecordedResource, inputs: Record<string, unknown>): RecordedResource {
        return { ...r, inputs: { ...r.inputs, ...inputs } };
    }

    function replace(stack: RecordedResource[], changed: RecordedResource): RecordedResource[] {
        return stack.map((r) => (r.urn === changed.urn ? changed : r));
    }

    function single(violations: PolicyViolation[], policy: string): PolicyViolation {
        const found = only(violations, policy);
        expect(found, `${policy}: ${JSON.stringify(found.map((v) => v.detail))}`).to.have.lengthOf(1);
        expect(found[0].enforcementLevel).to.equal("mandatory");
        return found[0];
    }

    describe("security: per-resource baseline", () => {
        before(async () => pack.get().configure(envConfig("prod")));

        it("passes the compliant launch template, instance, volume and database", async () => {
            const prod = compliantStack("prod");
            const dev = compliantStack("dev");
            for (const r of [find(prod, "api-lt"), find(prod, "qdrant"), find(prod, "qdrant-data"), find(prod, "api-lb")]) {
                expect(await pack.get().analyze(r), r.name).to.deep.equal([]);
            }
            await pack.get().configure(envConfig("dev"));
            expect(await pack.get().analyze(find(dev, "vector-db"))).to.deep.equal([]);
            await pack.get().configure(envConfig("prod"));
        });

        it("imdsv2-required: refuses optional tokens and a hop limit above 2", async () => {
            const lt = find(compliantStack("prod"), "api-lt");
            const bad = set(lt, { metadataOptions: { httpEndpoint: "enabled", httpTokens: "optional", httpPutResponseHopLimit: 3 } });
            const found = only(await pack.get().analyze(bad), "imdsv2-required");
            expect(found.map((v) => v.detail)).to.deep.equal([
                'aws:ec2/launchTemplate:LaunchTemplate "api-lt" has metadataOptions.httpTokens "optional": set it to "required" (IMDSv2 only).',
                'aws:ec2/launchTemplate:LaunchTemplate "api-lt" has metadataOptions.httpPutResponseHopLimit 3: use 1, or at most 2 for containers.',
            ]);
            const instance = set(find(compliantStack("prod"), "qdrant"), { metadataOptions: undefined });
            expect(single(await pack.get().analyze(instance), "imdsv2-required").detail).to.contain("httpTokens not set");
        });

        it("storage-encrypted: launch template string \"false\", unencrypted volume, instance root and RDS storage", async () => {
            const lt = find(compliantStack("prod"), "api-lt");
            const ltBad = set(lt, { blockDeviceMappings: [{ deviceName: "/dev/sda1", ebs: { volumeSize: 200, volumeType: "gp3", encrypted: "false" } }] });
            expect(single(await pack.get().analyze(ltBad), "storage-encrypted").detail).to.equal(
                'aws:ec2/launchTemplate:LaunchTemplate "api-lt" has blockDeviceMappings[0].ebs.encrypted "false": set it to "true".',
            );
            const ltBool = set(lt, { blockDeviceMappings: [{ deviceName: "/dev/sda1", ebs: { volumeSize: 200, volumeType: "gp3", encrypted: true } }] });
            expect(only(await pack.get().analyze(ltBool), "storage-encrypted")).to.deep.equal([]);
            const volume = set(find(compliantStack("prod"), "qdrant-data"), { encrypted: false });
            expect(single(await pack.get().analyze(volume), "storage-encrypted").detail).to.equal(
                'aws:ebs/volume:Volume "qdrant-data" has encrypted false: set encrypted: true.',
            );
            const instance = set(find(compliantStack("prod"), "qdrant"), { rootBlockDevice: { volumeSize: 30, volumeType: "gp3" } });
            expect(single(await pack.get().analyze(instance), "storage-encrypted").detail).to.contain("rootBlockDevice.encrypted not set");
            const db = set(find(compliantStack("dev"), "vector-db"), { storageEncrypted: false });
            expect(single(await pack.get().analyze(db), "storage-encrypted").detail).to.contain('"vector-db" has storageEncrypted false');
        });

        it("no-public-ip: the choice must be an explicit false on launch templates and instances", async () => {
            const lt = find(compliantStack("prod"), "api-lt");
            const publicLt = set(lt, { networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "true", securityGroups: ["sg-nodes"] }] });
            expect(single(await pack.get().analyze(publicLt), "no-public-ip").detail).to.equal(
                'aws:ec2/launchTemplate:LaunchTemplate "api-lt" has networkInterfaces[0].associatePublicIpAddress "true": set it to "false".',
            );
            const implicit = set(lt, { networkInterfaces: undefined, vpcSecurityGroupIds: ["sg-nodes"] });
            expect(single(await pack.get().analyze(implicit), "no-public-ip").detail).to.contain("declares no networkInterfaces");
            const instance = set(find(compliantStack("prod"), "qdrant"), { associatePublicIpAddress: undefined });
            expect(single(await pack.get().analyze(instance), "no-public-ip").detail).to.equal(
                'aws:ec2/instance:Instance "qdrant" has associatePublicIpAddress not set: set associatePublicIpAddress: false.',
            );
        });

        it("rds-private-and-backed-up and rds-deletion-protection-prod", async () => {
            const db = find(compliantStack("dev"), "vector-db");
            const exposed = set(db, { publiclyAccessible: true, backupRetentionPeriod: 0 });
            expect(only(await pack.get().analyze(exposed), "rds-private-and-backed-up").map((v) => v.detail)).to.deep.equal([
                'aws:rds/instance:Instance "vector-db" has publiclyAccessible true: set publiclyAccessible: false (reach it from the VPC only).',
                'aws:rds/instance:Instance "vector-db" has backupRetentionPeriod 0: set it to at least 1 day(s).',
            ]);
            const prodDb = set(db, { tags: tags("prod"), deletionProtection: false });
            expect(single(await pack.get().analyze(prodDb, {}), "rds-deletion-protection-prod").detail).to.equal(
                'aws:rds/instance:Instance "vector-db" in prod has deletionProtection false: set deletionProtection: true.',
            );
            expect(only(await pack.get().analyze(set(prodDb, { deletionProtection: true })), "rds-deletion-protection-prod")).to.deep.equal([]);
            expect(only(await pack.get().analyze(db), "rds-deletion-protection-prod"), "dev database").to.deep.equal([]);
        });

        it("checks the other shapes of the same resources: spot requests, launch configurations, Aurora clusters and their instances", async () => {
            const bad = [
                resource(T.spotInstance, "spot", { ami: "ami-1", instanceType: "m6i.large", metadataOptions: { httpTokens: "optional" }, associatePublicIpAddress: false, rootBlockDevice: { encrypted: true } }),
                resource(T.launchConfiguration, "lc", { imageId: "ami-1", instanceType: "m6i.large", metadataOptions: { httpTokens: "required" }, associatePublicIpAddress: true, rootBlockDevice: { encrypted: false } }),
                resource(T.rdsCluster, "aurora", { engine: "aurora-postgresql", storageEncrypted: false, backupRetentionPeriod: 0, deletionProtection: false, tags: tags("prod") }),
                resource(T.rdsClusterInstance, "aurora-1", { clusterIdentifier: "aurora", engine: "aurora-postgresql", instanceClass: "db.r6g.large", publiclyAccessible: true, tags: tags("prod") }),
            ];
            const found = (await Promise.all(bad.map((r) => pack.get().analyze(r)))).flat().map((v) => `${v.policyName}: ${v.detail}`);
            expect(found).to.include.members([
                'imdsv2-required: aws:ec2/spotInstanceRequest:SpotInstanceRequest "spot" has metadataOptions.httpTokens "optional": set it to "required" (IMDSv2 only).',
                'no-public-ip: aws:ec2/launchConfiguration:LaunchConfiguration "lc" has associatePublicIpAddress true: set associatePublicIpAddress: false.',
                'storage-encrypted: aws:ec2/launchConfiguration:LaunchConfiguration "lc" has rootBlockDevice.encrypted false: set rootBlockDevice { encrypted: true }.',
                'storage-encrypted: aws:rds/cluster:Cluster "aurora" has storageEncrypted false: set storageEncrypted: true.',
                'rds-private-and-backed-up: aws:rds/cluster:Cluster "aurora" has backupRetentionPeriod 0: set it to at least 1 day(s).',
                'rds-deletion-protection-prod: aws:rds/cluster:Cluster "aurora" in prod has deletionProtection false: set deletionProtection: true.',
                'prod-stateful-protected: aws:rds/cluster:Cluster "aurora" in prod is not protected: set the resource option protect: true.',
                'rds-private-and-backed-up: aws:rds/clusterInstance:ClusterInstance "aurora-1" has publiclyAccessible true: set publiclyAccessible: false (reach it from the VPC only).',
            ]);
            expect(found.filter((f) => f.includes('"aurora-1"')), "cluster instances take backups from the cluster").to.have.lengthOf(1);

            const good = [
                resource(T.spotInstance, "spot", { ami: "ami-1", instanceType: "m6i.large", metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 }, associatePublicIpAddress: false, rootBlockDevice: { encrypted: true }, tags: tags("prod") }),
                resource(T.rdsCluster, "aurora", { engine: "aurora-postgresql", storageEncrypted: true, backupRetentionPeriod: 7, deletionProtection: true, tags: tags("prod") }, { protect: true }),
                resource(T.rdsClusterInstance, "aurora-1", { clusterIdentifier: "aurora", engine: "aurora-postgresql", instanceClass: "db.r6g.large", publiclyAccessible: false, tags: tags("prod") }),
            ];
            const security = ["imdsv2-required", "no-public-ip", "storage-encrypted", "rds-private-and-backed-up", "rds-deletion-protection-prod", "prod-stateful-protected"];
            for (const r of good) {
                const violations = (await pack.get().analyze(r)).filter((v) => security.includes(v.policyName));
                expect(violations.map((v) => v.detail), r.name).to.deep.equal([]);
            }
        });

        it("prod-stateful-protected: reads the protect resource option", async () => {
            const volume = find(compliantStack("prod"), "qdrant-data");
            expect(only(await pack.get().analyze(volume), "prod-stateful-protected")).to.deep.equal([]);
            const unprotected = { ...volume, options: { ...volume.options, protect: false } };
            expect(single(await pack.get().analyze(unprotected), "prod-stateful-protected").detail).to.equal(
                'aws:ebs/volume:Volume "qdrant-data" in prod is not protected: set the resource option protect: true.',
            );
            const mount = resource(T.vaultMount, "ai-keys", { path: "secret/ai-providers", type: "kv-v2" });
            expect(single(await pack.get().analyze(mount), "prod-stateful-protected").detail).to.contain('vault:index/mount:Mount "ai-keys" in prod');
        });

        it("load balancer baseline: invalid headers, prod deletion protection, staging/prod access logs", async () => {
            const lb = find(compliantStack("prod"), "api-lb");
            const bad = set(lb, { dropInvalidHeaderFields: false, enableDeletionProtection: false, accessLogs: { enabled: false, bucket: "" } });
            const violations = await pack.get().analyze(bad);
            expect(single(violations, "lb-drop-invalid-headers").detail).to.equal(
                'aws:lb/loadBalancer:LoadBalancer "api-lb" has dropInvalidHeaderFields false: set dropInvalidHeaderFields: true.',
            );
            expect(single(violations, "lb-deletion-protection-prod").detail).to.contain("in prod has enableDeletionProtection false");
            expect(single(violations, "lb-access-logs").detail).to.contain('in prod has accessLogs {"bucket":"","enabled":false}');
            const staging = set(find(compliantStack("staging"), "api-lb"), { accessLogs: undefined });
            expect(single(await pack.get().analyze(staging), "lb-access-logs").detail).to.equal(
                'aws:lb/loadBalancer:LoadBalancer "api-lb" in staging has accessLogs not set: set accessLogs { enabled: true, bucket: <log bucket> }.',
            );
            const dev = find(compliantStack("dev"), "api-lb");
            expect(await pack.get().analyze(dev), "dev: no logs, no deletion protection needed").to.deep.equal([]);
        });

        it("lb-tls-policy: HTTPS listeners need an allowed TLS 1.2+ policy and a certificate", async () => {
            const https = find(compliantStack("prod"), "https");
            expect(only(await pack.get().analyze(https), "lb-tls-policy")).to.deep.equal([]);
            const old = set(https, { sslPolicy: "ELBSecurityPolicy-2016-08", certificateArn: undefined });
            expect(only(await pack.get().analyze(old), "lb-tls-policy").map((v) => v.detail)).to.deep.equal([
                'aws:lb/listener:Listener "https" (HTTPS) has sslPolicy "ELBSecurityPolicy-2016-08": set sslPolicy to one of ELBSecurityPolicy-TLS13-1-2-2021-06, ELBSecurityPolicy-TLS13-1-2-Res-2021-06.',
                'aws:lb/listener:Listener "https" (HTTPS) has no certificateArn: attach an ACM certificate.',
            ]);
        });

        it("decides what it can with a value unknown at preview and reports what it cannot as advisory", async () => {
            const lt = set(find(compliantStack("prod"), "api-lt"), { metadataOptions: { httpTokens: UNKNOWN, httpPutResponseHopLimit: 3 } });
            const found = only(await pack.get().analyze(lt), "imdsv2-required");
            expect(found.map((v) => [v.enforcementLevel, v.detail])).to.deep.equal([
                ["mandatory", 'aws:ec2/launchTemplate:LaunchTemplate "api-lt" has metadataOptions.httpPutResponseHopLimit 3: use 1, or at most 2 for containers.'],
                ["advisory", "can't run policy 'imdsv2-required' from policy pack 'memory-spine-guardrails@v1.0.0' during preview: value .metadataOptions.httpTokens can't be known during preview"],
            ]);
        });

        it("decides with values that are unknown but certainly set: a certificate ARN, a generated log bucket name", async () => {
            const stack = compliantStack("prod");
            const https = find(stack, "https");
            const lb = find(stack, "api-lb");
            expect(await pack.get().analyze(set(https, { certificateArn: UNKNOWN }))).to.deep.equal([]);
            const logs = lb.inputs.accessLogs as Record<string, unknown>;
            expect(await pack.get().analyze(set(lb, { accessLogs: { ...logs, bucket: UNKNOWN } }))).to.deep.equal([]);
            // An unknown sslPolicy cannot be judged.
            expect((await pack.get().analyze(set(https, { sslPolicy: UNKNOWN }))).map((v) => [v.policyName, v.enforcementLevel])).to.deep.equal([["lb-tls-policy", "advisory"]]);
        });
    });

    describe("security: no-open-ingress", () => {
        before(async () => pack.get().configure(envConfig("prod")));

        const openRule = (port: number, extra: Partial<RecordedResource["options"]> = {}, inputs: Record<string, unknown> = {}): RecordedResource =>
            resource(
                T.ingress,
                `open-${port}`,
                { securityGroupId: "sg-lb", ipProtocol: "tcp", fromPort: port, toPort: port, cidrIpv4: "0.0.0.0/0", tags: tags("prod"), ...inputs },
                { propertyDependencies: { securityGroupId: [find(compliantStack("prod"), "lb-sg").urn] }, ...extra },
            );

        it("allows 0.0.0.0/0 on 443 of the security group of a prod internet-facing balancer", async () => {
            const stack = [...compliantStack("prod"), openRule(443)];
            expect(only(await pack.get().analyzeStack(stack), "no-open-ingress")).to.deep.equal([]);
            // Same, linked by the resolved id only (no property dependencies).
            const byId = [...compliantStack("prod"), openRule(443, { propertyDependencies: {} })];
            expect(only(await pack.get().analyzeStack(byId), "no-open-ingress")).to.deep.equal([]);
        });

        it("refuses 0.0.0.0/0 on port 22 (aws.ec2.SecurityGroupRule)", async () => {
            const stack = compliantStack("prod");
            const ssh = resource(
                T.sgRule,
                "ssh",
                { type: "ingress", securityGroupId: "sg-nodes", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8", "0.0.0.0/0"] },
                { propertyDependencies: { securityGroupId: [find(stack, "node-sg").urn] } },
            );
            const v = single(await pack.get().analyzeStack([...stack, ssh]), "no-open-ingress");
            expect(v.urn).to.equal(ssh.urn);
            expect(v.detail).to.equal(
                'aws:ec2/securityGroupRule:SecurityGroupRule "ssh" admits 0.0.0.0/0 on tcp port 22: only tcp ports 80/443 may be open to the internet. ' +
                    "Restrict the source to allowedCidrBlocks or to the balancer's security group.",
            );
        });

        it("refuses 443 open to the world on an internal (staging) balancer and on a group no balancer uses", async () => {
            await pack.get().configure(envConfig("staging"));
            const staging = compliantStack("staging");
            const rule = resource(
                T.ingress,
                "open-443",
                { securityGroupId: "sg-lb", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", tags: tags("staging") },
                { propertyDependencies: { securityGroupId: [find(staging, "lb-sg").urn] } },
            );
            expect(single(await pack.get().analyzeStack([...staging, rule]), "no-open-ingress").detail).to.contain(
                'aws:ec2/securityGroup:SecurityGroup "lb-sg" is not attached to an internet-facing load balancer in prod',
            );
            await pack.get().configure(envConfig("prod"));
            const prod = compliantStack("prod");
            const nodeSg = find(prod, "node-sg");
            const inline = set(nodeSg, { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [], ipv6CidrBlocks: ["::/0"] }] });
            expect(single(await pack.get().analyzeStack(replace(prod, inline)), "no-open-ingress").detail).to.equal(
                'aws:ec2/securityGroup:SecurityGroup "node-sg" (ingress[0]) admits ::/0 on tcp port 443: aws:ec2/securityGroup:SecurityGroup "node-sg" is not attached ' +
                    "to an internet-facing load balancer in prod. Restrict the source to allowedCidrBlocks or to the balancer's security group.",
            );
        });

        it("refuses all-protocol rules even on the public balancer", async () => {
            const stack = [...compliantStack("prod"), openRule(443, {}, { ipProtocol: "-1", fromPort: undefined, toPort: undefined })];
            expect(single(await pack.get().analyzeStack(stack), "no-open-ingress").detail).to.contain("admits 0.0.0.0/0 on all ports");
        });
    });

    describe("security: vpc-flow-logs (stack, advisory)", () => {
        const vpc = resource("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.0.0.0/16", tags: tags("prod") }, {}, { id: "vpc-0abc" });
        const flowLog = (inputs: Record<string, unknown>, options: RecordedResource["options"] = {}) =>
            resource("aws:ec2/flowLog:FlowLog", "flow", { trafficType: "ALL", logDestinationType: "cloud-watch-logs", ...inputs }, options);

        it("warns about a VPC without a flow log, naming it", async () => {
            await pack.get().configure(envConfig("prod"));
            const found = only(await pack.get().analyzeStack([...compliantStack("prod"), vpc]), "vpc-flow-logs");
            expect(found).to.have.lengthOf(1);
            expect(found[0].enforcementLevel).to.equal("advisory");
            expect(found[0].urn).to.equal(vpc.urn);
            expect(found[0].detail).to.equal('aws:ec2/vpc:Vpc "vpc" has no flow log: add an aws.ec2.FlowLog with vpcId set to it and trafficType "ALL".');
        });

        it("accepts a flow log linked by property dependency or by the VPC id, and ignores flow logs of other VPCs", async () => {
            const byDependency = flowLog({ vpcId: UNKNOWN }, { propertyDependencies: { vpcId: [vpc.urn] } });
            expect(only(await pack.get().analyzeStack([vpc, byDependency]), "vpc-flow-logs")).to.deep.equal([]);
            expect(only(await pack.get().analyzeStack([vpc, flowLog({ vpcId: "vpc-0abc" })]), "vpc-flow-logs")).to.deep.equal([]);
            expect(only(await pack.get().analyzeStack([vpc, flowLog({ vpcId: "vpc-0other" })]), "vpc-flow-logs")).to.have.lengthOf(1);
        });
    });

    describe("security: TLS listeners (stack)", () => {
        it("http-redirects-to-https: refuses an HTTP listener that forwards while HTTPS exists", async () => {
            await pack.get().configure(envConfig("prod"));
            const stack = compliantStack("prod");
            expect(only(await pack.get().analyzeStack(stack), "http-redirects-to-https")).to.deep.equal([]);
            const http = set(find(stack, "http-redirect"), { defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }] });
            const v = single(await pack.get().analyzeStack(replace(stack, http)), "http-redirects-to-https");
            expect(v.urn).to.equal(http.urn);
            expect(v.detail).to.equal(
                'aws:lb/listener:Listener "http-redirect" serves plain HTTP although the stack serves HTTPS (aws:lb/listener:Listener "https"): replace its ' +
                    'defaultActions with [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }].',
            );
        });

        it("tls-off-only-internal: an HTTP-only balancer must be internal", async () => {
            await pack.get().configure(envConfig("dev"));
            const stack = compliantStack("dev");
            expect(only(await pack.get().analyzeStack(stack), "tls-off-only-internal")).to.deep.equal([]);
            const publicLb = set(find(stack, "api-lb"), { internal: false });
            const v = single(await pack.get().analyzeStack(replace(stack, publicLb)), "tls-off-only-internal");
            expect(v.urn).to.equal(publicLb.urn);
            expect(v.detail).to.contain('aws:lb/loadBalancer:LoadBalancer "api-lb" is internet-facing (internal false) but serves only plain HTTP');
        });

        it("prod-requires-tls: a prod stack with only an HTTP listener is refused, naming enableTls", async () => {
            await pack.get().configure(envConfig("prod"));
            const prod = compliantStack("prod");
            expect(only(await pack.get().analyzeStack(prod), "prod-requires-tls")).to.deep.equal([]);
            const lb = find(prod, "api-lb");
            const httpOnly = prod
                .filter((r) => r.type !== T.listener && r.type !== T.cert)
                .concat(
                    resource(
                        T.listener,
                        "http",
                        { loadBalancerArn: lb.id, port: 80, protocol: "HTTP", defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }], tags: tags("prod") },
                        { propertyDependencies: { loadBalancerArn: [lb.urn] } },
                    ),
                );
            const violations = await pack.get().analyzeStack(httpOnly);
            const v = single(violations, "prod-requires-tls");
            expect(v.urn).to.equal(lb.urn);
            expect(v.detail).to.equal(
                'aws:lb/loadBalancer:LoadBalancer "api-lb" in prod has no HTTPS listener: enableTls false is not allowed in prod. Set memory-spine:enableTls ' +
                    "true with a certificate (domainName + hostedZoneId, or certificateArn).",
            );
            expect(single(violations, "tls-off-only-internal").urn).to.equal(lb.urn);
        });
    });
});
