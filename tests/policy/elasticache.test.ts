// ElastiCache guardrails and pricing: the policies through the real pack process (analyzer gRPC), the estimate directly.
import { expect } from "chai";
import { estimateMonthlyCost, roundUsd } from "../../policy-pack/policies/lib/estimate";
import { loadPrices } from "../../policy-pack/policies/lib/prices";
import { RecordedResource } from "../../tools/analyzer/client";
import { UNKNOWN, envConfig, only, resource, secret, tags, usePack } from "./fixtures";

const GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
const SERVERLESS = "aws:elasticache/serverlessCache:ServerlessCache";

/** A replication group the way components/kv-store.ts builds it for prod. */
function compliantGroup(env: "dev" | "prod", extra: Record<string, unknown> = {}): RecordedResource {
    return resource(GROUP, "kv", {
        replicationGroupId: `memspine-${env}-kv`,
        description: "cache",
        engine: "valkey",
        engineVersion: "8.2",
        nodeType: "cache.r7g.large",
        numCacheClusters: 3,
        multiAzEnabled: true,
        automaticFailoverEnabled: true,
        atRestEncryptionEnabled: true,
        transitEncryptionEnabled: true,
        transitEncryptionMode: "required",
        authToken: secret("a-token-of-sufficient-length-0123456789"),
        tags: tags(env),
        ...extra,
    }, { protect: env === "prod" });
}

describe("policy pack: ElastiCache", () => {
    const pack = usePack();
    const details = async (r: RecordedResource, policy: string): Promise<string[]> =>
        only(await pack.get().analyze(r), policy).map((v) => {
            expect(v.enforcementLevel, policy).to.equal("mandatory");
            return v.detail;
        });

    describe("elasticache-encrypted", () => {
        before(async () => pack.get().configure(envConfig("prod")));

        it("passes an encrypted group with an AUTH token, with an RBAC user group, and valkey's default at-rest encryption", async () => {
            expect(await details(compliantGroup("prod"), "elasticache-encrypted")).to.deep.equal([]);
            const rbac = compliantGroup("prod", { authToken: undefined, userGroupIds: ["memory-spine-users"] });
            expect(await details(rbac, "elasticache-encrypted")).to.deep.equal([]);
            const defaulted = compliantGroup("prod", { atRestEncryptionEnabled: undefined });
            expect(await details(defaulted, "elasticache-encrypted")).to.deep.equal([]);
            const unknownToken = compliantGroup("prod", { authToken: UNKNOWN });
            expect(await details(unknownToken, "elasticache-encrypted")).to.deep.equal([]);
        });

        it("refuses no at-rest encryption, no TLS, TLS only preferred, and no authentication, naming each", async () => {
            const bad = compliantGroup("prod", { atRestEncryptionEnabled: false, transitEncryptionEnabled: false, transitEncryptionMode: "preferred", authToken: undefined });
            expect(await details(bad, "elasticache-encrypted")).to.deep.equal([
                `${GROUP} "kv" has atRestEncryptionEnabled false: set atRestEncryptionEnabled: true.`,
                `${GROUP} "kv" has transitEncryptionEnabled false: set transitEncryptionEnabled: true (TLS).`,
                `${GROUP} "kv" has transitEncryptionMode "preferred": set it to "required" ("preferred" still accepts plain-text clients).`,
                `${GROUP} "kv" accepts clients without authentication: set authToken (a secret) or userGroupIds (RBAC).`,
            ]);
        });

        it("refuses a redis group that leaves at-rest encryption to the provider default (off for redis)", async () => {
            const redis = compliantGroup("prod", { engine: "redis", atRestEncryptionEnabled: undefined });
            expect(await details(redis, "elasticache-encrypted")).to.deep.equal([`${GROUP} "kv" has atRestEncryptionEnabled not set: set atRestEncryptionEnabled: true.`]);
            const empty = compliantGroup("prod", { authToken: "", userGroupIds: [] });
            expect(await details(empty, "elasticache-encrypted")).to.have.lengthOf(1);
        });

        it("serverless caches need an RBAC user group; memcached cannot authenticate at all", async () => {
            const good = resource(SERVERLESS, "sls", { engine: "valkey", name: "sls", userGroupId: "memory-spine-users", tags: tags("prod") });
            expect(await details(good, "elasticache-encrypted")).to.deep.equal([]);
            const open = resource(SERVERLESS, "sls", { engine: "valkey", name: "sls", tags: tags("prod") });
            expect(await details(open, "elasticache-encrypted")).to.deep.equal([`${SERVERLESS} "sls" has userGroupId not set: give it an RBAC user group so that clients must authenticate.`]);
            const memcached = resource(SERVERLESS, "mc", { engine: "memcached", name: "mc", tags: tags("prod") });
            expect(await details(memcached, "elasticache-encrypted")).to.deep.equal([`${SERVERLESS} "mc" runs memcached, which offers no authentication: use engine valkey with a userGroupId.`]);
        });
    });

    describe("elasticache-multi-az-prod", () => {
        before(async () => pack.get().configure(envConfig("prod")));

        it("passes prod with Multi-AZ, failover and replicas, one shard or many", async () => {
            expect(await details(compliantGroup("prod"), "elasticache-multi-az-prod")).to.deep.equal([]);
            const sharded = compliantGroup("prod", { numCacheClusters: undefined, clusterMode: "enabled", numNodeGroups: 3, replicasPerNodeGroup: 1 });
            expect(await details(sharded, "elasticache-multi-az-prod")).to.deep.equal([]);
        });

        it("refuses prod without Multi-AZ, without failover, and without a replica", async () => {
            const single = compliantGroup("prod", { numCacheClusters: 1, multiAzEnabled: false, automaticFailoverEnabled: false });
            expect(await details(single, "elasticache-multi-az-prod")).to.deep.equal([
                `${GROUP} "kv" in prod has multiAzEnabled false: set multiAzEnabled: true.`,
                `${GROUP} "kv" in prod has automaticFailoverEnabled false: set automaticFailoverEnabled: true.`,
                `${GROUP} "kv" in prod has numCacheClusters 1: set it to at least 2 so that a replica can take over.`,
            ]);
            const noReplicas = compliantGroup("prod", { numCacheClusters: undefined, numNodeGroups: 3, replicasPerNodeGroup: 0 });
            expect(await details(noReplicas, "elasticache-multi-az-prod")).to.deep.equal([`${GROUP} "kv" in prod has replicasPerNodeGroup 0: set it to at least 1 so that a replica can take over.`]);
        });

        it("does not apply to dev (the Environment tag decides)", async () => {
            await pack.get().configure(envConfig("dev"));
            const dev = compliantGroup("dev", { numCacheClusters: 1, multiAzEnabled: false, automaticFailoverEnabled: false });
            expect(await details(dev, "elasticache-multi-az-prod")).to.deep.equal([]);
            await pack.get().configure(envConfig("prod"));
        });
    });

    describe("prod-stateful-protected covers the replication group", () => {
        before(async () => pack.get().configure(envConfig("prod")));

        it("refuses an unprotected prod group and passes a protected one", async () => {
            expect(only(await pack.get().analyze(compliantGroup("prod")), "prod-stateful-protected")).to.deep.equal([]);
            const unprotected = { ...compliantGroup("prod"), options: { protect: false } };
            expect(only(await pack.get().analyze(unprotected), "prod-stateful-protected")).to.have.lengthOf(1);
        });
    });
});

describe("cost estimate: ElastiCache node-hours", () => {
    const prices = loadPrices();
    const stackRes = (type: string, props: Record<string, unknown>) => ({ type, name: "kv", urn: `urn:pulumi:t::p::${type}::kv`, props, propertyDependencies: {} });

    it("prices every primary and replica at the engine's node price: prod 3 x cache.r7g.large Valkey", () => {
        const e = estimateMonthlyCost([stackRes(GROUP, { engine: "valkey", nodeType: "cache.r7g.large", numCacheClusters: 3 })], prices);
        expect(e.lines).to.have.lengthOf(1);
        expect(e.lines[0]).to.include({ sku: "elasticache:valkey:cache.r7g.large", quantityDesired: 3 * 730, unitPriceUsd: 0.1752, source: "aws-elasticache-valkey-faq" });
        expect(roundUsd(e.totals.desiredMonthlyUsd)).to.equal(383.69);
    });

    it("counts shards x (replicas + 1) in cluster mode, and defaults the engine to redis like the provider", () => {
        const sharded = estimateMonthlyCost([stackRes(GROUP, { engine: "valkey", nodeType: "cache.t4g.small", numNodeGroups: 3, replicasPerNodeGroup: 1 })], prices);
        expect(sharded.lines[0].quantityDesired).to.equal(6 * 730);
        const redis = estimateMonthlyCost([stackRes(GROUP, { nodeType: "cache.t4g.micro" })], prices);
        expect(redis.lines[0]).to.include({ sku: "elasticache:redis:cache.t4g.micro", unitPriceUsd: 0.016, quantityDesired: 730 });
    });

    it("Valkey nodes cost 80% of Redis OSS nodes (the cited AWS FAQ)", () => {
        for (const [nodeType, valkey] of Object.entries(prices.elasticacheNodeHourly.valkey)) {
            expect(valkey.usd, nodeType).to.be.closeTo(prices.elasticacheNodeHourly.redis[nodeType].usd * 0.8, 1e-9);
        }
    });

    it("lists unknown node types and serverless caches as unpriced", () => {
        const e = estimateMonthlyCost([
            stackRes(GROUP, { engine: "valkey", nodeType: "cache.m7g.16xlarge", numCacheClusters: 2 }),
            { ...stackRes(SERVERLESS, { engine: "valkey" }), name: "sls" },
        ], prices);
        expect(e.totals.desiredMonthlyUsd).to.equal(0);
        expect(e.unpriced.map((u) => u.item)).to.deep.equal(["ElastiCache valkey cache.m7g.16xlarge x2", "ElastiCache serverless valkey"]);
    });
});
