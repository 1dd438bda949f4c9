// Keys whose default depends on the environment (components/environment-defaults.json): a stack
// that leaves them out gets its environment's size and posture; an explicit value wins and is
// validated as before.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { ConfigError, ENVIRONMENTS, RawConfig, validateConfig } from "../components/config";
import { ENVIRONMENT_DEFAULTS, ENVIRONMENT_DEFAULT_KEYS } from "../components/per-environment-defaults";
import { ProgramRun } from "../tools/lib/mock-runtime";
import { PlainResource, onlyResource, resourcesOfType, runWith } from "./support/stacks";

const KV_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
const STORE_SCHEDULE = "aws:scheduler/schedule:Schedule";

/** The smallest valid config of an environment: no sizing key set. */
function minimal(environment: string): RawConfig {
    return { environment, vaultAddress: `https://vault.${environment}.example.internal`, domainName: "api.example.com" };
}

function problemsOf(raw: RawConfig): string {
    try {
        validateConfig(raw);
    } catch (err) {
        expect(err).to.be.instanceOf(ConfigError);
        return (err as Error).message;
    }
    throw new Error("expected a ConfigError");
}

function qdrantNodes(run: ProgramRun): PlainResource[] {
    return resourcesOfType(run, "aws:ec2/instance:Instance").filter((i) => i.name.includes("-qdrant-node-"));
}

/**
 * A new stack file beside the shipped ones, e.g. Pulumi.prod-eu.yaml: the shipped file of the
 * environment with every per-environment key removed (the project's Pulumi.yaml still applies).
 */
function newStackFile(dir: string, name: string, from: "dev" | "staging" | "prod"): string {
    const shipped = parse(fs.readFileSync(path.join(__dirname, "..", `Pulumi.${from}.yaml`), "utf8")) as { config: Record<string, unknown> };
    const config = Object.fromEntries(Object.entries(shipped.config).filter(([key]) => !(ENVIRONMENT_DEFAULT_KEYS as readonly string[]).includes(key.replace(/^memory-spine:/, ""))));
    const file = path.join(dir, `Pulumi.${name}.yaml`);
    fs.writeFileSync(file, stringify({ config }));
    return file;
}

describe("per-environment defaults (components/environment-defaults.json)", () => {
    it("holds every key for every environment, each a value of the key's type", () => {
        expect([...ENVIRONMENT_DEFAULT_KEYS].sort()).to.deep.equal(["kvNodeType", "kvReplicas", "offHoursStores", "qdrantNodeCount"]);
        for (const key of ENVIRONMENT_DEFAULT_KEYS) {
            expect(Object.keys(ENVIRONMENT_DEFAULTS[key]), key).to.have.members([...ENVIRONMENTS]);
        }
    });

    it("a config without the keys gets its environment's defaults: the issues' tables", () => {
        const expected = {
            dev: { nodeType: "cache.t4g.micro", replicas: 0, shards: 1, qdrantNodeCount: 1, stopStores: true },
            staging: { nodeType: "cache.t4g.small", replicas: 1, shards: 1, qdrantNodeCount: 1, stopStores: true },
            prod: { nodeType: "cache.r7g.large", replicas: 2, shards: 1, qdrantNodeCount: 3, stopStores: false },
        };
        for (const env of ENVIRONMENTS) {
            // Before, prod without offHoursStores was refused (default true) and got one Qdrant node.
            const config = validateConfig(minimal(env));
            expect({ ...config.kv, engineVersion: undefined }, env).to.deep.equal({ nodeType: expected[env].nodeType, replicas: expected[env].replicas, shards: 1, engineVersion: undefined });
            expect(config.vectorStore.qdrantNodeCount, env).to.equal(expected[env].qdrantNodeCount);
            expect(config.offHours.stopStores, env).to.equal(expected[env].stopStores);
        }
    });

    it("an explicit value wins over the environment's default", () => {
        const prod = validateConfig({ ...minimal("prod"), kvNodeType: "cache.m7g.xlarge", kvReplicas: "1", qdrantNodeCount: "5", offHoursStores: "false" });
        expect(prod.kv).to.include({ nodeType: "cache.m7g.xlarge", replicas: 1 });
        expect(prod.vectorStore.qdrantNodeCount).to.equal(5);
        const dev = validateConfig({ ...minimal("dev"), kvNodeType: "cache.t4g.small", kvReplicas: "1", qdrantNodeCount: "3", offHoursStores: "false" });
        expect(dev.kv).to.include({ nodeType: "cache.t4g.small", replicas: 1 });
        expect(dev.vectorStore.qdrantNodeCount).to.equal(3);
        expect(dev.offHours.stopStores).to.equal(false);
    });

    it("an explicit value is still validated: prod kvReplicas 0, prod offHoursStores true, bad sizes", () => {
        const message = problemsOf({ ...minimal("prod"), kvReplicas: "0", offHoursStores: "true", qdrantNodeCount: "2", kvNodeType: "cache.x9.large" });
        expect(message).to.contain("4 problems")
            .and.contain("memory-spine:kvReplicas = \"0\": must be at least 1 in prod")
            .and.contain("memory-spine:offHoursStores = \"true\": prod never stops its stores")
            .and.contain("memory-spine:qdrantNodeCount = \"2\": must be 1, 3, 5, 7, 9")
            .and.contain("memory-spine:kvNodeType = \"cache.x9.large\"");
        expect(problemsOf({ ...minimal("dev"), kvReplicas: "-1", offHoursStores: "maybe" }))
            .to.contain("memory-spine:kvReplicas = \"-1\": must be a whole number of replicas per shard from 0 to 5")
            .and.contain("memory-spine:offHoursStores = \"maybe\": must be true or false");
    });

    describe("under the Pulumi runtime, a new stack file that sets none of the keys", () => {
        let dir: string;

        before(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "memory-spine-env-defaults-"));
        });

        after(() => {
            fs.rmSync(dir, { recursive: true, force: true });
        });

        it("prod (Pulumi.prod-eu.yaml): 3 Qdrant nodes, cache.r7g.large with 2 replicas, stores never stop", async () => {
            const file = newStackFile(dir, "prod-eu", "prod");
            const stackConfig = fs.readFileSync(file, "utf8");
            for (const key of ENVIRONMENT_DEFAULT_KEYS) {
                expect(stackConfig, `the new stack file leaves ${key} out`).to.not.contain(`memory-spine:${key}`);
            }
            const run = await runWith({ stack: file });
            expect(run.error).to.equal(undefined);
            expect(qdrantNodes(run)).to.have.lengthOf(3);
            expect(onlyResource(run, KV_GROUP).props).to.include({ nodeType: "cache.r7g.large", numCacheClusters: 3, multiAzEnabled: true, automaticFailoverEnabled: true });
            expect(resourcesOfType(run, STORE_SCHEDULE), "no off-hours store schedules in prod").to.deep.equal([]);
        });

        it("dev (Qdrant engine): one Qdrant node, cache.t4g.micro without replicas, stores follow the schedule", async () => {
            const file = newStackFile(dir, "dev-eu", "dev");
            const run = await runWith({ stack: file, overrides: { vectorStoreEngine: "qdrant" } });
            expect(run.error).to.equal(undefined);
            expect(qdrantNodes(run)).to.have.lengthOf(1);
            expect(onlyResource(run, KV_GROUP).props).to.include({ nodeType: "cache.t4g.micro", numCacheClusters: 1, multiAzEnabled: false });
            expect(resourcesOfType(run, STORE_SCHEDULE), "the stores stop and start").to.not.be.empty;
        });

        it("explicit values in the stack win, and prod kvReplicas 0 is refused before any resource", async () => {
            const file = newStackFile(dir, "prod-small", "prod");
            const run = await runWith({ stack: file, overrides: { qdrantNodeCount: 5, kvNodeType: "cache.r7g.xlarge", kvReplicas: 1 } });
            expect(run.error).to.equal(undefined);
            expect(qdrantNodes(run)).to.have.lengthOf(5);
            expect(onlyResource(run, KV_GROUP).props).to.include({ nodeType: "cache.r7g.xlarge", numCacheClusters: 2 });
            const refused = await runWith({ stack: file, overrides: { kvReplicas: 0 } });
            expect(refused.error?.message).to.contain("memory-spine:kvReplicas = \"0\": must be at least 1 in prod");
            expect(refused.resources).to.deep.equal([]);
        });
    });
});
