import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { CONFIG_DEFAULTS, ConfigError, KNOWN_KEYS, RawConfig, validateConfig } from "../components/config";
import { ENVIRONMENT_DEFAULTS, isEnvironmentDefaultKey } from "../components/per-environment-defaults";
import { runWith } from "./support/stacks";

const VALID: RawConfig = {
    environment: "staging",
    vaultAddress: "https://vault.staging.example.internal",
    domainName: "api.example.com",
};

function problemsOf(raw: RawConfig): string {
    try {
        validateConfig(raw);
    } catch (err) {
        expect(err).to.be.instanceOf(ConfigError);
        return (err as Error).message;
    }
    throw new Error("expected a ConfigError");
}

describe("config validation", () => {
    it("applies every default to a minimal config", () => {
        const config = validateConfig(VALID);
        expect(config).to.deep.include({
            environment: "staging", instanceCount: 2, instanceType: "r6i.xlarge", vectorStoreEngine: "qdrant",
            enableTls: true, allowedCidrBlocks: [], tags: {}, vpcCidr: "10.0.0.0/16", availabilityZoneCount: 2,
            containerImage: "ghcr.io/chaozcode/memory-spine:1.0.0", targetCpuUtilization: 60,
        });
        expect(config.schedule).to.deep.equal({ scaleDownCron: "0 20 * * *", scaleUpCron: "0 7 * * 1-5", timeZone: "UTC" });
        expect(config.vectorStore.qdrantNodeCount).to.equal(1);
    });

    it("accepts every odd Qdrant cluster size from 3 to 9", () => {
        for (const count of ["1", "3", "5", "7", "9"]) {
            expect(validateConfig({ ...VALID, qdrantNodeCount: count }).vectorStore.qdrantNodeCount).to.equal(Number(count));
        }
    });

    it("Pulumi.yaml declares every key with a type, a description and the program's default", () => {
        const project = parse(fs.readFileSync(path.join(__dirname, "..", "Pulumi.yaml"), "utf8")) as {
            config: Record<string, { type: string; default?: unknown; description: string }>;
        };
        const declared = Object.keys(project.config);
        // tags is a map, which project config schemas cannot type (string/integer/boolean/array only).
        expect([...declared, "tags"]).to.have.members([...KNOWN_KEYS]);
        for (const [key, declaration] of Object.entries(project.config)) {
            expect(declaration.type, key).to.be.oneOf(["string", "integer", "boolean", "array"]);
            expect(declaration.description, key).to.be.a("string").with.length.greaterThan(10);
            if (key in CONFIG_DEFAULTS) {
                expect(declaration.default, key).to.deep.equal(CONFIG_DEFAULTS[key as keyof typeof CONFIG_DEFAULTS]);
            } else if (isEnvironmentDefaultKey(key)) {
                // The CLI knows one default per key: the program applies the environment's, the description names it.
                const perEnv = ENVIRONMENT_DEFAULTS[key];
                expect(declaration.default, `${key} has a per-environment default, so none in Pulumi.yaml`).to.equal(undefined);
                expect(declaration.description, key).to.contain(`Default per environment (components/environment-defaults.json): dev ${perEnv.dev}, staging ${perEnv.staging}, prod ${perEnv.prod}.`);
            } else {
                expect(declaration.default, `${key} is required`).to.equal(undefined);
            }
        }
    });

    const cases: { title: string; raw: RawConfig; key: string; value: string; allowed: string }[] = [
        { title: "an unknown environment", raw: { ...VALID, environment: "qa" }, key: "environment", value: "\"qa\"", allowed: "must be one of dev, staging, prod" },
        { title: "a missing environment", raw: { ...VALID, environment: undefined }, key: "environment", value: "(not set)", allowed: "required; must be one of dev, staging, prod" },
        { title: "instanceCount 0", raw: { ...VALID, instanceCount: "0" }, key: "instanceCount", value: "\"0\"", allowed: "must be a whole number >= 1" },
        { title: "instanceCount 2.5", raw: { ...VALID, instanceCount: "2.5" }, key: "instanceCount", value: "\"2.5\"", allowed: "must be a whole number >= 1" },
        { title: "instanceCount -1", raw: { ...VALID, instanceCount: "-1" }, key: "instanceCount", value: "\"-1\"", allowed: "must be a whole number >= 1" },
        { title: "a malformed instance type", raw: { ...VALID, instanceType: "huge" }, key: "instanceType", value: "\"huge\"", allowed: "must be an EC2 instance type" },
        { title: "an unknown vector store", raw: { ...VALID, vectorStoreEngine: "milvus" }, key: "vectorStoreEngine", value: "\"milvus\"", allowed: "must be one of qdrant, pgvector" },
        { title: "a non-boolean enableTls", raw: { ...VALID, enableTls: "yes" }, key: "enableTls", value: "\"yes\"", allowed: "must be true or false" },
        { title: "a malformed CIDR", raw: { ...VALID, allowedCidrBlocks: "[\"10.0.0.0/8\",\"10.0.0/33\"]" }, key: "allowedCidrBlocks", value: "[\\\"10.0.0.0/8\\\",\\\"10.0.0/33\\\"]", allowed: "\"10.0.0/33\" not valid" },
        { title: "a CIDR with host bits", raw: { ...VALID, allowedCidrBlocks: "[\"10.1.2.3/8\"]" }, key: "allowedCidrBlocks", value: "[\\\"10.1.2.3/8\\\"]", allowed: "no host bits set" },
        { title: "an http Vault address in prod", raw: { ...VALID, environment: "prod", vaultAddress: "http://vault.prod.example.internal" }, key: "vaultAddress", value: "\"http://vault.prod.example.internal\"", allowed: "must be an https:// URL" },
        { title: "a missing Vault address", raw: { ...VALID, vaultAddress: undefined }, key: "vaultAddress", value: "(not set)", allowed: "required" },
        { title: "a Vault address that is no URL", raw: { ...VALID, vaultAddress: "vault.example" }, key: "vaultAddress", value: "\"vault.example\"", allowed: "https:// URL" },
        { title: "tags that are not a map", raw: { ...VALID, tags: "[\"a\"]" }, key: "tags", value: "[\\\"a\\\"]", allowed: "must be a map of tag names" },
        { title: "an Environment tag that contradicts the environment", raw: { ...VALID, tags: "{\"Environment\":\"prod\"}" }, key: "tags", value: "", allowed: "must equal the environment key (staging)" },
        { title: "a VPC CIDR too small for the subnets", raw: { ...VALID, vpcCidr: "10.0.0.0/26" }, key: "vpcCidr", value: "\"10.0.0.0/26\"", allowed: "prefix from /16 to /22" },
        { title: "one availability zone", raw: { ...VALID, availabilityZoneCount: "1" }, key: "availabilityZoneCount", value: "\"1\"", allowed: "from 2 to 6" },
        { title: "TLS without a certificate source", raw: { ...VALID, domainName: undefined }, key: "enableTls", value: "(not set)", allowed: "no certificate source" },
        { title: "a malformed certificate ARN", raw: { ...VALID, certificateArn: "arn:aws:iam::1:cert" }, key: "certificateArn", value: "\"arn:aws:iam::1:cert\"", allowed: "ACM certificate ARN" },
        { title: "a hosted zone without a domain", raw: { ...VALID, domainName: undefined, certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/0f0e0d0c-0b0a-4090-8070-605040302010", hostedZoneId: "Z0123456789ABC" }, key: "hostedZoneId", value: "\"Z0123456789ABC\"", allowed: "only used together with domainName" },
        { title: "an unpinned image", raw: { ...VALID, containerImage: "ghcr.io/chaozcode/memory-spine:latest" }, key: "containerImage", value: "\"ghcr.io/chaozcode/memory-spine:latest\"", allowed: "pinned by tag or digest" },
        { title: "an Ubuntu release that is no serial", raw: { ...VALID, ubuntuAmiRelease: "noble-latest" }, key: "ubuntuAmiRelease", value: "\"noble-latest\"", allowed: "Canonical release serial such as 20250610" },
        { title: "a CPU target out of range", raw: { ...VALID, targetCpuUtilization: "95" }, key: "targetCpuUtilization", value: "\"95\"", allowed: "from 10 to 90" },
        { title: "a malformed cron", raw: { ...VALID, scaleDownCron: "at 8pm" }, key: "scaleDownCron", value: "\"at 8pm\"", allowed: "5-field cron" },
        { title: "an unknown time zone", raw: { ...VALID, scheduleTimeZone: "Mars/Olympus" }, key: "scheduleTimeZone", value: "\"Mars/Olympus\"", allowed: "IANA time zone" },
        { title: "subnets without a VPC id", raw: { ...VALID, existingPrivateSubnetIds: "[\"subnet-0123456789abcdef0\"]" }, key: "existingVpcId", value: "(not set)", allowed: "required when" },
        { title: "a VPC with one private subnet", raw: { ...VALID, existingVpcId: "vpc-0123456789abcdef0", existingPublicSubnetIds: "[\"subnet-01234567\",\"subnet-89abcdef\"]", existingPrivateSubnetIds: "[\"subnet-01234567\"]" }, key: "existingPrivateSubnetIds", value: "[\\\"subnet-01234567\\\"]", allowed: "at least two subnet ids" },
        ...["0", "2", "10", "three", "4", "3.0"].map((count) => ({
            title: `qdrantNodeCount ${count}`, raw: { ...VALID, qdrantNodeCount: count }, key: "qdrantNodeCount", value: JSON.stringify(count),
            allowed: "must be 1, 3, 5, 7, 9 (1 = a single node; Qdrant's consensus needs a majority",
        })),
        { title: "a misspelt key", raw: { ...VALID, instancecount: "3" }, key: "instancecount", value: "\"3\"", allowed: "unknown key" },
    ];
    for (const c of cases) {
        it(`refuses ${c.title}, naming key, value and what is allowed`, () => {
            const message = problemsOf(c.raw);
            const line = message.split("\n").find((l) => l.includes(`memory-spine:${c.key} =`));
            expect(line, message).to.be.a("string");
            expect(line).to.contain(c.value.replace(/\\"/g, "\\\""));
            expect(line).to.contain(c.allowed);
        });
    }

    it("reports every bad key in one error", () => {
        const message = problemsOf({ environment: "qa", vaultAddress: "ftp://x", instanceCount: "0", allowedCidrBlocks: "[\"nope\"]", vectorStoreEngine: "redis", enableTls: "false" });
        expect(message).to.match(/^Invalid memory-spine stack configuration \(5 problems\):/);
        for (const key of ["environment", "vaultAddress", "instanceCount", "allowedCidrBlocks", "vectorStoreEngine"]) {
            expect(message).to.contain(`memory-spine:${key} =`);
        }
    });

    it("allows plain http Vault only in dev, and TLS off without a certificate", () => {
        const config = validateConfig({ environment: "dev", vaultAddress: "http://127.0.0.1:8200", enableTls: "false" });
        expect(config.vaultAddress).to.equal("http://127.0.0.1:8200");
        expect(config.enableTls).to.equal(false);
    });
});

describe("bad config under the Pulumi runtime", () => {
    const badRuns: { title: string; overrides: Record<string, unknown>; expected: string[] }[] = [
        { title: "an unknown environment", overrides: { environment: "qa" }, expected: ["memory-spine:environment = \"qa\": must be one of dev, staging, prod"] },
        { title: "instanceCount 0", overrides: { instanceCount: 0 }, expected: ["memory-spine:instanceCount = \"0\": must be a whole number >= 1"] },
        { title: "instanceCount 2.5", overrides: { instanceCount: 2.5 }, expected: ["memory-spine:instanceCount = \"2.5\": must be a whole number >= 1"] },
        { title: "a malformed CIDR", overrides: { allowedCidrBlocks: ["10.0.0.0/8", "300.1.1.0/24"] }, expected: ["memory-spine:allowedCidrBlocks", "\"300.1.1.0/24\" not valid"] },
        ...[0, 2, 10, "three"].map((count) => ({ title: `qdrantNodeCount ${JSON.stringify(count)}`, overrides: { qdrantNodeCount: count }, expected: [`memory-spine:qdrantNodeCount = "${count}": must be 1, 3, 5, 7, 9`] })),
        { title: "an http Vault address in prod", overrides: { vaultAddress: "http://vault.prod.chaozcode.internal" }, expected: ["memory-spine:vaultAddress = \"http://vault.prod.chaozcode.internal\": must be an https:// URL"] },
        {
            title: "several bad keys at once",
            overrides: { environment: "qa", instanceCount: 0, vectorStoreEngine: "redis", allowedCidrBlocks: ["bad"] },
            expected: ["(5 problems)", "memory-spine:environment", "memory-spine:instanceCount", "memory-spine:vectorStoreEngine", "memory-spine:allowedCidrBlocks", "memory-spine:tags"],
        },
    ];
    for (const bad of badRuns) {
        it(`refuses ${bad.title} before registering any resource`, async () => {
            const run = await runWith({ stack: "prod", overrides: bad.overrides });
            expect(run.error?.name).to.equal("ConfigError");
            for (const text of bad.expected) {
                expect(run.error?.message).to.contain(text);
            }
            expect(run.resources, "registered resources").to.have.lengthOf(0);
        });
    }
});
