import { expect } from "chai";
import { ConfigError, RawConfig, validateConfig } from "../components/config";
import { KV_ALARMS, kvMemberClusterIds } from "../components/kv-metrics";
import { KV_MAXMEMORY_POLICY } from "../components/kv-store";
import { readOnlyPolicy } from "../components/vault-policy";
import type { ProgramRun } from "../tools/lib/mock-runtime";
import { isSecretValue, plainValue, SECRET_SIG, SIG_KEY } from "../tools/lib/recorded-resource";
import { onlyResource, outputOf, PlainResource, resourcesOfType, runWith, shippedStack, ShippedStack, SHIPPED_STACKS } from "./support/stacks";

const GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const SG = "aws:ec2/securityGroup:SecurityGroup";

/** What each shipped stack must get (issue 13's table; node type and replicas come from Pulumi.<env>.yaml). */
const EXPECTED: Record<ShippedStack, { nodeType: string; replicas: number; multiAz: boolean; snapshots: number; protect: boolean }> = {
    dev: { nodeType: "cache.t4g.micro", replicas: 0, multiAz: false, snapshots: 0, protect: false },
    staging: { nodeType: "cache.t4g.small", replicas: 1, multiAz: true, snapshots: 1, protect: false },
    prod: { nodeType: "cache.r7g.large", replicas: 2, multiAz: true, snapshots: 7, protect: true },
};

function userDataOf(run: ProgramRun): string {
    return Buffer.from(onlyResource(run, "aws:ec2/launchTemplate:LaunchTemplate").props.userData, "base64").toString("utf8");
}

/** Every place the value occurs outside a Pulumi secret wrapper, as a path. */
function plaintextOccurrences(value: unknown, needle: string, at = "$"): string[] {
    if (isSecretValue(value)) {
        return [];
    }
    if (typeof value === "string") {
        return value.includes(needle) || (value.length > 100 && safeBase64(value).includes(needle)) ? [at] : [];
    }
    if (Array.isArray(value)) {
        return value.flatMap((v, i) => plaintextOccurrences(v, needle, `${at}[${i}]`));
    }
    if (typeof value === "object" && value !== null) {
        return Object.entries(value).flatMap(([k, v]) => plaintextOccurrences(v, needle, `${at}.${k}`));
    }
    return [];
}

function safeBase64(value: string): string {
    return /^[A-Za-z0-9+/=]+$/.test(value) ? Buffer.from(value, "base64").toString("utf8") : "";
}

function privateSubnetIds(run: ProgramRun): unknown[] {
    return resourcesOfType(run, "aws:ec2/subnet:Subnet").filter((s) => s.props.tags.Tier === "private").map((s) => outputOf(s, "id"));
}

/** The provider constraints the mock runtime never checks (@pulumi/aws ReplicationGroupArgs JSDoc). */
function expectProviderConstraints(group: PlainResource): void {
    const p = group.props;
    expect(p.replicationGroupId).to.match(/^[a-z][a-z0-9-]{0,39}$/);
    expect(p.replicationGroupId).to.not.match(/--|-$/);
    expect(p.authToken === undefined || p.transitEncryptionEnabled === true, "authToken needs transitEncryptionEnabled").to.equal(true);
    expect(p.kmsKeyId === undefined || p.atRestEncryptionEnabled === true, "kmsKeyId needs atRestEncryptionEnabled").to.equal(true);
    expect(!p.multiAzEnabled || p.automaticFailoverEnabled, "multiAzEnabled needs automaticFailoverEnabled").to.equal(true);
    expect(p.numCacheClusters !== undefined && (p.numNodeGroups !== undefined || p.replicasPerNodeGroup !== undefined), "numCacheClusters conflicts with numNodeGroups/replicasPerNodeGroup").to.equal(false);
    if (p.clusterMode === "enabled") {
        expect(p.automaticFailoverEnabled, "cluster mode requires automatic failover").to.equal(true);
        expect(p.numNodeGroups).to.be.a("number");
    } else if (p.automaticFailoverEnabled) {
        expect(p.numCacheClusters, "failover needs at least 2 cache clusters").to.be.at.least(2);
    }
    expect(p.replicasPerNodeGroup ?? 0).to.be.within(0, 5);
    expect(p.authToken.length, "AUTH token 16-128 characters").to.be.within(32, 128);
    expect(p.authToken).to.not.match(/[\s/"@]/);
}

for (const stack of SHIPPED_STACKS) {
    describe(`KeyValueStore (${stack} stack)`, () => {
        const want = EXPECTED[stack];

        it(`Valkey 8 replication group: ${want.nodeType}, ${want.replicas} replica(s), one shard, encrypted, TLS required`, async () => {
            const run = await shippedStack(stack);
            const group = onlyResource(run, GROUP);
            expect(group.props).to.include({
                replicationGroupId: `memspine-${stack}-kv`, engine: "valkey", engineVersion: "8.2", nodeType: want.nodeType, port: 6379,
                clusterMode: "disabled", numCacheClusters: want.replicas + 1,
                atRestEncryptionEnabled: true, transitEncryptionEnabled: true, transitEncryptionMode: "required",
                multiAzEnabled: want.multiAz, automaticFailoverEnabled: want.multiAz,
                snapshotRetentionLimit: want.snapshots, autoMinorVersionUpgrade: true, authTokenUpdateStrategy: "ROTATE",
            });
            expect(group.props.numNodeGroups).to.equal(undefined);
            expect(group.props.tags).to.include({ Environment: stack, Team: "platform-engineering", Service: "memory-spine", Name: `memspine-${stack}-kv` });
            expectProviderConstraints(group);
        });

        it(`prod posture: final snapshot, customer managed key, protect (${want.protect})`, async () => {
            const run = await shippedStack(stack);
            const group = onlyResource(run, GROUP);
            expect(group.options.protect).to.equal(want.protect);
            expect(group.props.finalSnapshotIdentifier).to.equal(want.protect ? `memspine-${stack}-kv-final` : undefined);
            expect(group.props.applyImmediately).to.equal(!want.protect);
            const keys = resourcesOfType(run, "aws:kms/key:Key").filter((k) => k.name === `memspine-${stack}-kv-key`);
            if (want.protect) {
                expect(keys).to.have.lengthOf(1);
                expect(keys[0].props.enableKeyRotation).to.equal(true);
                expect(keys[0].options.protect).to.equal(true);
                expect(group.props.kmsKeyId).to.equal(outputOf(keys[0], "arn"));
            } else {
                expect(keys).to.have.lengthOf(0);
                expect(group.props.kmsKeyId).to.equal(undefined);
            }
            expect(group.props.snapshotWindow).to.equal(want.snapshots > 0 ? "03:00-04:00" : undefined);
        });

        it("wiring: nodes' group -> 6379 -> the cache's own group; own subnet group over the private subnets; LFU parameter group", async () => {
            const run = await shippedStack(stack);
            const group = onlyResource(run, GROUP);
            const kvGroup = onlyResource(run, SG, "-kv");
            const nodeGroup = onlyResource(run, SG, "-node");
            expect(group.props.securityGroupIds).to.deep.equal([outputOf(kvGroup, "id")]);

            const ingress = resourcesOfType(run, INGRESS).filter((r) => r.props.securityGroupId === outputOf(kvGroup, "id"));
            expect(ingress).to.have.lengthOf(1);
            expect(ingress[0].props).to.include({ ipProtocol: "tcp", fromPort: 6379, toPort: 6379, referencedSecurityGroupId: outputOf(nodeGroup, "id") });
            expect(ingress[0].props.cidrIpv4).to.equal(undefined);
            expect(resourcesOfType(run, EGRESS).filter((r) => r.props.securityGroupId === outputOf(kvGroup, "id")), "the cache opens no connections").to.have.lengthOf(0);
            const nodeEgress = resourcesOfType(run, EGRESS).filter((r) => r.props.referencedSecurityGroupId === outputOf(kvGroup, "id"));
            expect(nodeEgress).to.have.lengthOf(1);
            expect(nodeEgress[0].props).to.include({ securityGroupId: outputOf(nodeGroup, "id"), fromPort: 6379, toPort: 6379 });

            const subnets = onlyResource(run, "aws:elasticache/subnetGroup:SubnetGroup");
            expect(subnets.props.subnetIds).to.have.members(privateSubnetIds(run));
            expect(group.props.subnetGroupName).to.equal(outputOf(subnets, "name"));

            const params = onlyResource(run, "aws:elasticache/parameterGroup:ParameterGroup");
            expect(params.props).to.include({ family: "valkey8", name: `memspine-${stack}-kv-valkey8` });
            expect(params.props.parameters).to.deep.equal([{ name: "maxmemory-policy", value: KV_MAXMEMORY_POLICY }]);
            expect(group.props.parameterGroupName).to.equal(outputOf(params, "name"));
            expect(group.props.engineVersion.split(".")[0], "family matches the engine major").to.equal(params.props.family.replace("valkey", ""));
        });

        it("the AUTH token: random, >= 32 characters, only ever a secret (inputs, outputs, user data, stack outputs)", async () => {
            const run = await shippedStack(stack);
            const password = onlyResource(run, "random:index/randomPassword:RandomPassword", "-kv-auth-token");
            expect(password.props.length).to.be.at.least(32);
            const token = outputOf(password, "result") as string;
            expect(token).to.be.a("string").with.length.greaterThan(8);
            const group = run.resources.find((r) => r.type === GROUP);
            expect(isSecretValue(group?.inputs.authToken), "authToken input is a secret").to.equal(true);
            expect(plainValue(group?.inputs.authToken)).to.equal(token);
            for (const resource of run.resources) {
                expect(plaintextOccurrences(resource.inputs, token), `${resource.type} ${resource.name} inputs`).to.deep.equal([]);
                // Outputs the resource declares secret (additionalSecretOutputs) are encrypted by the engine;
                // the mock monitor records them plain.
                const declaredSecret = new Set(resource.options.additionalSecretOutputs ?? []);
                const outputs = Object.fromEntries(Object.entries(resource.outputs ?? {}).filter(([k]) => !declaredSecret.has(k)));
                expect(plaintextOccurrences(outputs, token), `${resource.type} ${resource.name} outputs`).to.deep.equal([]);
            }
            expect(userDataOf(run)).to.not.contain(token);
            for (const [name, output] of Object.entries(run.outputs)) {
                expect(JSON.stringify(output.value), `stack output ${name}`).to.not.contain(token);
            }
            // The wrapper the walker trusts is Pulumi's real one.
            expect(plaintextOccurrences({ [SIG_KEY]: SECRET_SIG, value: token }, token)).to.deep.equal([]);
            expect(plaintextOccurrences({ nested: [token] }, token)).to.deep.equal(["$.nested[0]"]);
        });

        it(`Vault entry secret/ai-providers ${stack}/kv holds the token (a secret), readable under the nodes' policy`, async () => {
            const run = await shippedStack(stack);
            const entry = run.resources.find((r) => r.type === "vault:kv/secretV2:SecretV2" && r.name === `memory-spine-${stack}-kv`);
            expect(entry?.inputs.name).to.equal(`${stack}/kv`);
            expect(plainValue(entry?.inputs.mount)).to.equal("secret/ai-providers");
            expect(isSecretValue(entry?.inputs.dataJson)).to.equal(true);
            const token = outputOf(onlyResource(run, "random:index/randomPassword:RandomPassword", "-kv-auth-token"), "result");
            expect(JSON.parse(plainValue(entry?.inputs.dataJson) as string)).to.deep.equal({ auth_token: token });
            expect(entry?.options.ignoreChanges ?? [], "a rotated token must reach Vault").to.not.include("dataJson");
            expect(readOnlyPolicy("secret/ai-providers", stack)).to.contain(`path "secret/ai-providers/data/${stack}/*"`);
        });

        it("the nodes get MEMORY_SPINE_KV_URL=rediss://<primary endpoint>:6379 and the token from Vault Agent", async () => {
            const run = await shippedStack(stack);
            const group = onlyResource(run, GROUP);
            const url = `rediss://${outputOf(group, "primaryEndpointAddress")}:6379`;
            const script = userDataOf(run);
            expect(script).to.contain(`KV_URL='${url}'`);
            expect(script).to.contain("MEMORY_SPINE_KV_URL=${KV_URL}");
            expect(script).to.contain("KV_CLUSTER_MODE='false'");
            expect(script).to.contain(`KV_SECRET_PATH='secret/ai-providers/data/${stack}/kv'`);
            expect(script).to.contain('{{ with secret "${KV_SECRET_PATH}" }}MEMORY_SPINE_KV_AUTH_TOKEN={{ .Data.data.auth_token }}{{ end }}');
            expect(run.outputs.kvEndpoint).to.deep.equal({ value: url, secret: true });
        });

        it("alarms on every node (engine CPU, memory, evictions; replication lag with replicas) to the alert topic", async () => {
            const run = await shippedStack(stack);
            const topic = outputOf(onlyResource(run, "aws:sns/topic:Topic"), "arn");
            const alarms = resourcesOfType(run, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.props.namespace === "AWS/ElastiCache");
            const nodes = kvMemberClusterIds(`memspine-${stack}-kv`, 1, want.replicas);
            const metrics = ["EngineCPUUtilization", "DatabaseMemoryUsagePercentage", "Evictions", ...(want.replicas > 0 ? ["ReplicationLag"] : [])];
            expect(alarms).to.have.lengthOf(nodes.length * metrics.length);
            for (const node of nodes) {
                expect(alarms.filter((a) => a.props.dimensions.CacheClusterId === node).map((a) => a.props.metricName)).to.have.members(metrics);
            }
            for (const alarm of alarms) {
                expect(alarm.props.alarmActions).to.deep.equal([topic]);
                expect(alarm.props.okActions).to.deep.equal([topic]);
                expect(alarm.props.treatMissingData).to.equal("notBreaching");
            }
            const memory = alarms.find((a) => a.props.metricName === "DatabaseMemoryUsagePercentage");
            expect(memory?.props).to.include({ threshold: KV_ALARMS.memoryPercent, comparisonOperator: "GreaterThanThreshold" });
            const body = JSON.parse(onlyResource(run, "aws:cloudwatch/dashboard:Dashboard").props.dashboardBody) as { widgets: { properties: { title: string; metrics: unknown } }[] };
            const widget = body.widgets.find((w) => w.properties.title.startsWith("Key-value layer"));
            expect(JSON.stringify(widget?.properties.metrics)).to.contain(`CacheClusterId=memspine-${stack}-kv`).and.contain("EngineCPUUtilization");
        });
    });
}

describe("KeyValueStore in cluster mode (kvShards: 3)", () => {
    let run: ProgramRun;
    before(async () => {
        run = await runWith({ stack: "staging", overrides: { kvShards: 3 } });
        expect(run.error).to.equal(undefined);
    });

    it("three shards with one replica each, failover and Multi-AZ, a cluster-enabled parameter group", () => {
        const group = onlyResource(run, GROUP);
        expect(group.props).to.include({ clusterMode: "enabled", numNodeGroups: 3, replicasPerNodeGroup: 1, automaticFailoverEnabled: true, multiAzEnabled: true });
        expect(group.props.numCacheClusters).to.equal(undefined);
        expectProviderConstraints(group);
        const params = onlyResource(run, "aws:elasticache/parameterGroup:ParameterGroup");
        expect(params.props.name).to.equal("memspine-staging-kv-valkey8-cluster");
        expect(params.props.parameters).to.deep.equal([{ name: "maxmemory-policy", value: KV_MAXMEMORY_POLICY }, { name: "cluster-enabled", value: "yes" }]);
        expect(group.props.parameterGroupName).to.equal(outputOf(params, "name"));
    });

    it("the nodes and kvEndpoint get the configuration endpoint, and the nodes know it is a cluster", () => {
        const group = onlyResource(run, GROUP);
        const url = `rediss://${outputOf(group, "configurationEndpointAddress")}:6379`;
        expect(url).to.contain("clustercfg.");
        expect(userDataOf(run)).to.contain(`KV_URL='${url}'`).and.contain("KV_CLUSTER_MODE='true'");
        expect(run.outputs.kvEndpoint).to.deep.equal({ value: url, secret: true });
    });

    it("alarms cover every node of every shard", () => {
        const alarms = resourcesOfType(run, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.props.namespace === "AWS/ElastiCache");
        const nodes = [...new Set(alarms.map((a) => a.props.dimensions.CacheClusterId as string))].sort();
        expect(nodes).to.deep.equal(["0001-001", "0001-002", "0002-001", "0002-002", "0003-001", "0003-002"].map((n) => `memspine-staging-kv-${n}`));
        expect(alarms).to.have.lengthOf(6 * 4);
    });

    it("dev with shards keeps failover on (cluster mode requires it) without Multi-AZ", async () => {
        const dev = await runWith({ stack: "dev", overrides: { kvShards: 2 } });
        const group = onlyResource(dev, GROUP);
        expect(group.props).to.include({ clusterMode: "enabled", numNodeGroups: 2, replicasPerNodeGroup: 0, automaticFailoverEnabled: true, multiAzEnabled: false });
        expectProviderConstraints(group);
    });
});

describe("KeyValueStore posture edges", () => {
    it("staging with kvReplicas 0 runs one node without Multi-AZ (nothing to fail over to)", async () => {
        const run = await runWith({ stack: "staging", overrides: { kvReplicas: 0 } });
        const group = onlyResource(run, GROUP);
        expect(group.props).to.include({ numCacheClusters: 1, multiAzEnabled: false, automaticFailoverEnabled: false });
        expectProviderConstraints(group);
    });

    it("routine API changes (instanceCount, instanceType) change nothing about the cache", async () => {
        const base = await shippedStack("prod");
        const changed = await runWith({ stack: "prod", overrides: { instanceCount: 6, instanceType: "r6i.xlarge" } });
        const cache = (r: ProgramRun) => r.resources.filter((x) => x.type.startsWith("aws:elasticache/")).map((x) => ({ urn: x.urn, inputs: x.inputs }));
        expect(cache(changed)).to.deep.equal(cache(base));
    });
});

describe("key-value config validation", () => {
    const VALID: RawConfig = { environment: "staging", vaultAddress: "https://vault.staging.example.internal", domainName: "api.example.com" };
    const problemLine = (raw: RawConfig, key: string): string => {
        try {
            validateConfig(raw);
        } catch (err) {
            expect(err).to.be.instanceOf(ConfigError);
            return (err as Error).message.split("\n").find((l) => l.includes(`memory-spine:${key} =`)) ?? "";
        }
        return "";
    };

    it("defaults to staging's size: cache.t4g.small, 1 replica, 1 shard, Valkey 8.2", () => {
        expect(validateConfig(VALID).kv).to.deep.equal({ nodeType: "cache.t4g.small", replicas: 1, shards: 1, engineVersion: "8.2" });
        expect(validateConfig({ ...VALID, kvNodeType: "cache.m7g.2xlarge", kvReplicas: "5", kvShards: "500", kvEngineVersion: "8.0" }).kv)
            .to.deep.equal({ nodeType: "cache.m7g.2xlarge", replicas: 5, shards: 500, engineVersion: "8.0" });
    });

    const bad: [string, string, string, string][] = [
        ["kvReplicas", "-1", "staging", "from 0 to 5"],
        ["kvReplicas", "1.5", "staging", "from 0 to 5"],
        ["kvReplicas", "6", "staging", "from 0 to 5"],
        ["kvReplicas", "two", "staging", "from 0 to 5"],
        ["kvReplicas", "0", "prod", "at least 1 in prod"],
        ["kvShards", "0", "staging", "from 1 to 500"],
        ["kvShards", "-2", "staging", "from 1 to 500"],
        ["kvShards", "2.5", "staging", "from 1 to 500"],
        ["kvShards", "501", "staging", "from 1 to 500"],
        ["kvNodeType", "cache.x9.large", "staging", "of a family t3, t4g"],
        ["kvNodeType", "r7g.large", "staging", "cache.<family>.<size>"],
        ["kvNodeType", "cache.r6gd.xlarge", "staging", "of a family"],
        ["kvNodeType", "cache.t2.micro", "staging", "of a family"],
        ["kvNodeType", "cache.r7g.huge", "staging", "cache.<family>.<size>"],
        ["kvEngineVersion", "7.2", "staging", "Valkey 8.x"],
        ["kvEngineVersion", "8", "staging", "Valkey 8.x"],
    ];
    for (const [key, value, environment, allowed] of bad) {
        it(`refuses ${key} ${value} in ${environment}, naming key, value and what is allowed`, () => {
            const raw = { ...VALID, environment, vaultAddress: `https://vault.${environment}.example.internal`, [key]: value };
            const line = problemLine(raw, key);
            expect(line).to.contain(JSON.stringify(value)).and.contain(allowed);
        });
    }

    it("under the Pulumi runtime: prod with kvReplicas 0 and a bad shard count, refused before any resource", async () => {
        const run = await runWith({ stack: "prod", overrides: { kvReplicas: 0, kvShards: 0, kvNodeType: "cache.z1.large" } });
        expect(run.error?.name).to.equal("ConfigError");
        expect(run.error?.message).to.contain("(3 problems)")
            .and.contain("memory-spine:kvReplicas = \"0\": must be at least 1 in prod")
            .and.contain("memory-spine:kvShards = \"0\"")
            .and.contain("memory-spine:kvNodeType = \"cache.z1.large\"");
        expect(run.resources).to.have.lengthOf(0);
    });
});
