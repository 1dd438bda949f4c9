import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { loadPolicyPackConfig, startPolicyPack, PolicyPackClient, PolicyViolation } from "../tools/analyzer/client";
import { runProgram } from "../tools/lib/mock-runtime";
import { plan, renderPlan, PlanResult } from "../tools/plan/plan";
import { countByAction, displayType, renderSummary, renderTree, stackResource, TreeResource } from "../tools/plan/tree";
import { SHIPPED_STACKS, shippedStack } from "./support/stacks";

const ROOT = path.resolve(__dirname, "..");

/** Writes a copy of a shipped stack file with some keys changed (undefined removes a key). */
function variantStack(base: string, name: string, changes: Record<string, unknown>): string {
    const document = parse(fs.readFileSync(path.join(ROOT, `Pulumi.${base}.yaml`), "utf8")) as { config: Record<string, unknown> };
    for (const [key, value] of Object.entries(changes)) {
        if (value === undefined) {
            delete document.config[key];
        } else {
            document.config[key] = value;
        }
    }
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "stack-")), `Pulumi.${name}.yaml`);
    fs.writeFileSync(file, stringify(document));
    return file;
}

function mandatoryPolicies(result: PlanResult): string[] {
    return [...new Set(result.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policyName))];
}

describe("offline plan (real program under mocks, real policy pack over the analyzer protocol)", () => {
    let pack: PolicyPackClient;
    before(async () => {
        pack = await startPolicyPack();
    });
    after(async () => {
        await pack.close();
    });
    // A shipped stack's plan is deterministic: tests that only read it share one run per stack.
    const shippedPlans = new Map<string, Promise<PlanResult>>();
    const shippedPlan = (stack: string): Promise<PlanResult> => {
        if (!shippedPlans.has(stack)) {
            shippedPlans.set(stack, plan({ stack, pack }));
        }
        return shippedPlans.get(stack) as Promise<PlanResult>;
    };

    for (const stack of SHIPPED_STACKS) {
        it(`${stack}: no mandatory violation, every resource analysed, a cost estimate`, async () => {
            const result = await shippedPlan(stack);
            expect(mandatoryPolicies(result), JSON.stringify(result.violations.filter((v) => v.enforcementLevel === "mandatory"), null, 1)).to.deep.equal([]);
            expect(result.exitCode).to.equal(0);
            expect(result.timings.analyses).to.equal(result.resources.length + 1);
            expect(result.costEstimate?.totals.desiredMonthlyUsd).to.be.greaterThan(100);
            // Every SKU has a price; what stays out of the totals is billed by use (data, logs, backups, users).
            expect(result.costEstimate?.unpriced.filter((u) => u.byUse !== true)).to.deep.equal([]);
            // AWS Backup storage among them where the stack backs up (staging, prod).
            expect(result.costEstimate?.unpriced.some((u) => u.item === "AWS Backup storage (recovery points)" && u.byUse === true)).to.equal(stack !== "dev");
            const text = renderPlan(result);
            expect(text).to.contain("memory-spine:cluster:MemorySpineCluster");
            // Read as `pulumi preview` is read: every resource plus the stack is a create, nothing a delete.
            const treeLines = text.split("\n").filter((l) => / (├─|└─) /.test(l) || l.includes("pulumi:pulumi:Stack"));
            expect(treeLines).to.have.lengthOf(result.resources.length + 1);
            expect(treeLines.every((l) => l.startsWith(" +   ") && l.endsWith(" create")), treeLines.join("\n")).to.equal(true);
            expect(text).to.not.match(/^ *- /m);
            expect(result.summary).to.deep.equal({ create: result.resources.length + 1 });
            expect(text).to.contain(`Resources:\n    + ${result.resources.length + 1} to create\n`);
            expect(text).to.contain("Cost estimate");
            expect(text).to.contain("Result: PASSED");
        });
    }

    it("prod: prices the three Qdrant nodes, their volumes and the Network Load Balancer", async () => {
        const result = await plan({ stack: "prod", pack });
        const lines = result.costEstimate?.lines ?? [];
        expect(lines.filter((l) => l.sku === "ec2:r6i.large").map((l) => l.name).sort()).to.deep.equal([0, 1, 2].map((i) => `memspine-prod-qdrant-node-${i}`));
        expect(lines.filter((l) => l.item === "EBS gp3 volume 100 GB")).to.have.lengthOf(3);
        expect(lines.filter((l) => l.name === "memspine-prod-qdrant-lb").map((l) => l.sku).sort()).to.deep.equal(["lb:network:hour", "lb:network:lcu"]);
    });

    it("dev: the off-hours schedule shows as a saving", async () => {
        const result = await shippedPlan("dev");
        expect(result.costEstimate?.totals.scheduleSavingMonthlyUsd).to.be.greaterThan(0);
        expect(result.costEstimate?.totals.withScheduleMonthlyUsd).to.be.lessThan(result.costEstimate?.totals.desiredMonthlyUsd ?? 0);
    });

    it("a stack with instanceType p5.48xlarge exits 1 naming blocked-instance-types", async () => {
        const result = await plan({ stack: variantStack("prod", "gpu", { "memory-spine:instanceType": "p5.48xlarge" }), pack });
        expect(result.exitCode).to.equal(1);
        expect(mandatoryPolicies(result)).to.include("blocked-instance-types");
        expect(renderPlan(result)).to.match(/\[blocked-instance-types\] aws:ec2\/launchTemplate:LaunchTemplate memspine-prod-lt/);
    });

    it("a stack whose tags lack Team exits 1 naming required-tags", async () => {
        const result = await plan({ stack: variantStack("dev", "noteam", { "memory-spine:tags": { Environment: "dev", CostCenter: "engineering" } }), pack });
        expect(result.exitCode).to.equal(1);
        expect(mandatoryPolicies(result)).to.deep.equal(["required-tags"]);
        expect(result.violations.find((v) => v.policyName === "required-tags")?.detail).to.contain("Team");
    });

    it("a prod stack with enableTls false exits 1 naming the TLS policy", async () => {
        const result = await plan({ stack: variantStack("prod", "prodnotls", { "memory-spine:enableTls": false }), pack });
        expect(result.exitCode).to.equal(1);
        expect(mandatoryPolicies(result)).to.deep.equal(["prod-requires-tls"]);
        expect(result.violations.find((v) => v.policyName === "prod-requires-tls")?.detail).to.contain("enableTls");
    });

    it("prod: analysing while the program runs gives the verdicts of analysing after it", async () => {
        const streamed = await shippedPlan("prod");
        const run = await shippedStack("prod");
        await pack.configure(loadPolicyPackConfig(path.join(ROOT, "policy-pack", "config", "prod.json")));
        await pack.configureStack({ stack: "prod", project: "memory-spine", dryRun: true, config: run.config.values });
        const afterwards = [
            ...(await Promise.all(run.resources.map((r) => pack.analyze(r, { resources: run.resources })))).flat(),
            ...(await pack.analyzeStack(run.resources)),
        ];
        const key = (v: PolicyViolation) => `${v.policyName} ${v.urn ?? "stack"} ${v.enforcementLevel}`;
        expect(streamed.violations.map(key).sort()).to.deep.equal(afterwards.map(key).sort());
        expect(streamed.violations.length).to.be.greaterThan(0); // at least the cost report
    });

    it("--policy-config replaces the environment's config: a $50 budget fails dev", async () => {
        const config = JSON.parse(fs.readFileSync(path.join(ROOT, "policy-pack", "config", "dev.json"), "utf8")) as Record<string, Record<string, unknown>>;
        config["monthly-cost-estimate"] = { ...config["monthly-cost-estimate"], monthlyBudgetUsd: 50 };
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "policy-")), "tight.json");
        fs.writeFileSync(file, JSON.stringify(config));
        const result = await plan({ stack: "dev", policyConfig: file, pack });
        expect(result.exitCode).to.equal(1);
        expect(mandatoryPolicies(result)).to.deep.equal(["monthly-cost-estimate"]);
        expect(result.policyPack?.config).to.equal(path.relative(process.cwd(), file));
    });

    it("a --policy-config file that does not exist is an error naming it", async () => {
        let error: Error | undefined;
        await plan({ stack: "dev", policyConfig: "/nonexistent/policy.json", pack }).catch((e: Error) => (error = e));
        expect(error?.message).to.contain("/nonexistent/policy.json");
    });

    it("bad config exits 2 with the program's message and analyses nothing", async () => {
        const result = await plan({ stack: variantStack("dev", "bad", { "memory-spine:instanceCount": 0 }), pack });
        expect(result.exitCode).to.equal(2);
        expect(result.error?.message).to.contain("memory-spine:instanceCount = \"0\"");
        expect(result.resources).to.deep.equal([]);
        expect(renderPlan(result)).to.contain("Configuration error");
    });
});

/** `npm run -s plan -- <args>`: the command exactly as the README gives it. */
function npmRunPlan(args: string[]) {
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    return spawnSync(npm, ["run", "-s", "plan", "--", ...args], { cwd: ROOT, encoding: "utf8" });
}

describe("npm run plan (the command itself)", () => {
    it("--json prints the machine form and the exit code follows the violations", function () {
        this.timeout(60000);
        const file = variantStack("dev", "cli-noteam", { "memory-spine:tags": { Environment: "dev" } });
        const run = npmRunPlan(["--stack", file, "--json"]);
        expect(run.status, run.stderr).to.equal(1);
        const result = JSON.parse(run.stdout) as PlanResult;
        expect(result.stack).to.equal("cli-noteam");
        expect(result.project).to.equal("memory-spine");
        expect(result.resources.every((r) => r.action === "create")).to.equal(true);
        expect(result.summary).to.deep.equal({ create: result.resources.length + 1 });
        expect(result.violations.some((v) => v.policyName === "required-tags" && v.enforcementLevel === "mandatory")).to.equal(true);
    });

    it("refuses unknown arguments with exit 2", () => {
        const out = npmRunPlan(["--stak", "dev"]);
        expect(out.status).to.equal(2);
        expect(out.stderr).to.contain("unknown argument --stak");
    });
});

describe("plan output: the resource tree as pulumi preview draws it", () => {
    const project = "memory-spine";
    const urn = (type: string, name: string) => `urn:pulumi:dev::${project}::${type}::${name}`;
    const network: TreeResource = { urn: urn("memory-spine:network:Networking", "network"), type: "memory-spine:network:Networking", name: "network" };
    const vpc: TreeResource = { urn: urn("aws:ec2/vpc:Vpc", "vpc"), type: "aws:ec2/vpc:Vpc", name: "vpc", parent: network.urn };
    const subnet: TreeResource = { urn: urn("aws:ec2/subnet:Subnet", "subnet-a"), type: "aws:ec2/subnet:Subnet", name: "subnet-a", parent: network.urn };
    const routeTable: TreeResource = { urn: urn("aws:ec2/routeTable:RouteTable", "private"), type: "aws:ec2/routeTable:RouteTable", name: "private", parent: subnet.urn };
    const topic: TreeResource = { urn: urn("aws:sns/topic:Topic", "alerts"), type: "aws:sns/topic:Topic", name: "alerts" };

    it("draws components as a tree under the stack with + for each create and ├─ └─ │ for the branches", () => {
        const lines = renderTree(stackResource(project, "dev"), [topic, vpc, routeTable, subnet, network]);
        expect(lines).to.deep.equal([
            "     Type                                Name              Plan",
            " +   pulumi:pulumi:Stack                 memory-spine-dev  create",
            " +   ├─ memory-spine:network:Networking  network           create",
            " +   │  ├─ aws:ec2:Subnet                subnet-a          create",
            " +   │  │  └─ aws:ec2:RouteTable         private           create",
            " +   │  └─ aws:ec2:Vpc                   vpc               create",
            " +   └─ aws:sns:Topic                    alerts            create",
        ]);
    });

    it("counts by action like pulumi preview, the stack included, and names other actions by their symbol", () => {
        const resources = [stackResource(project, "dev"), network, vpc, subnet];
        expect(renderSummary(countByAction(resources))).to.deep.equal(["Resources:", "    + 4 to create"]);
        const mixed = renderSummary(countByAction([...resources, { ...topic, action: "delete" }, { ...routeTable, action: "update" }, { ...vpc, action: "same" }]));
        expect(mixed).to.deep.equal(["Resources:", "    + 4 to create", "    ~ 1 to update", "    - 1 to delete", "      1 unchanged"]);
    });

    it("shows types as Pulumi does: a module path that repeats the name is dropped, others are kept", () => {
        expect(displayType("aws:ec2/vpc:Vpc")).to.equal("aws:ec2:Vpc");
        expect(displayType("aws:lb/targetGroup:TargetGroup")).to.equal("aws:lb:TargetGroup");
        expect(displayType("vault:index/mount:Mount")).to.equal("vault:index:Mount");
        expect(displayType("aws:ec2/vpc:SomethingElse")).to.equal("aws:ec2/vpc:SomethingElse");
        expect(displayType("pulumi:providers:vault")).to.equal("pulumi:providers:vault");
        expect(displayType("memory-spine:network:Networking")).to.equal("memory-spine:network:Networking");
    });
});

describe("plan start-up: what keeps it fast must not change what it does", () => {
    it("the mock runtime lets the event loop turn between registrations, so a pack's replies arrive during the run", async () => {
        const seen: number[] = [];
        let countWhenLoopTurned: number | undefined;
        const run = await runProgram({
            stack: "dev",
            onRegistered: (resource, registeredSoFar) => {
                expect(registeredSoFar[registeredSoFar.length - 1]).to.equal(resource);
                seen.push(registeredSoFar.length);
                if (seen.length === 1) {
                    setImmediate(() => (countWhenLoopTurned = registeredSoFar.length));
                }
            },
        });
        expect(run.error).to.equal(undefined);
        expect(seen).to.deep.equal(run.resources.map((_, i) => i + 1));
        expect(countWhenLoopTurned).to.be.a("number").and.to.be.lessThan(run.resources.length);
    });

    it("restores Error.stackTraceLimit after a run, also after a failed one", async () => {
        const before = Error.stackTraceLimit;
        await runProgram({ stack: "dev" });
        expect(Error.stackTraceLimit).to.equal(before);
        const failed = await runProgram({ stack: "dev", overrides: { instanceCount: 0 } });
        expect(failed.error?.message).to.contain("instanceCount");
        expect(Error.stackTraceLimit).to.equal(before);
    });

    it("defer-closure-deps: the SDK loads without TypeScript, and function serialization still works", () => {
        const script = `
            const loaded = (name) => Object.keys(require.cache).some((f) => f.includes("/node_modules/" + name + "/"));
            const pulumi = require("@pulumi/pulumi");
            const atStart = { typescript: loaded("typescript") };
            pulumi.runtime.serializeFunction(() => 42).then((s) => {
                console.log(JSON.stringify({ atStart, serialized: s.text.includes("42"), typescriptAfter: loaded("typescript") }));
            });`;
        const out = spawnSync(process.execPath, ["-r", "./tools/lib/defer-closure-deps.js", "-e", script], { cwd: ROOT, encoding: "utf8" });
        expect(out.status, out.stderr).to.equal(0);
        expect(JSON.parse(out.stdout)).to.deep.equal({ atStart: { typescript: false }, serialized: true, typescriptAfter: true });
    });
});
