import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { startPolicyPack, PolicyPackClient } from "../tools/analyzer/client";
import { plan, renderPlan, PlanResult } from "../tools/plan/plan";
import { SHIPPED_STACKS } from "./support/stacks";

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

    for (const stack of SHIPPED_STACKS) {
        it(`${stack}: no mandatory violation, every resource analysed, a cost estimate`, async () => {
            const result = await plan({ stack, pack });
            expect(mandatoryPolicies(result), JSON.stringify(result.violations.filter((v) => v.enforcementLevel === "mandatory"), null, 1)).to.deep.equal([]);
            expect(result.exitCode).to.equal(0);
            expect(result.timings.analyses).to.equal(result.resources.length + 1);
            expect(result.costEstimate?.totals.desiredMonthlyUsd).to.be.greaterThan(100);
            expect(result.costEstimate?.unpriced).to.deep.equal([]);
            const text = renderPlan(result);
            expect(text).to.contain("memory-spine:cluster:MemorySpineCluster");
            expect(text).to.contain("Cost estimate");
            expect(text).to.contain("Result: PASSED");
        });
    }

    it("dev: the off-hours schedule shows as a saving", async () => {
        const result = await plan({ stack: "dev", pack });
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

    it("bad config exits 2 with the program's message and analyses nothing", async () => {
        const result = await plan({ stack: variantStack("dev", "bad", { "memory-spine:instanceCount": 0 }), pack });
        expect(result.exitCode).to.equal(2);
        expect(result.error?.message).to.contain("memory-spine:instanceCount = \"0\"");
        expect(result.resources).to.deep.equal([]);
        expect(renderPlan(result)).to.contain("Configuration error");
    });
});

describe("npm run plan (the command itself)", () => {
    it("--json prints the machine form and the exit code follows the violations", function () {
        this.timeout(60000);
        const file = variantStack("dev", "cli-noteam", { "memory-spine:tags": { Environment: "dev" } });
        const run = spawnSync(process.execPath, [require.resolve("ts-node/dist/bin"), "--transpile-only", "tools/plan/cli.ts", "--stack", file, "--json"], { cwd: ROOT, encoding: "utf8" });
        expect(run.status, run.stderr).to.equal(1);
        const result = JSON.parse(run.stdout) as PlanResult;
        expect(result.stack).to.equal("cli-noteam");
        expect(result.violations.some((v) => v.policyName === "required-tags" && v.enforcementLevel === "mandatory")).to.equal(true);
    });

    it("refuses unknown arguments with exit 2", () => {
        const out = spawnSync(process.execPath, [require.resolve("ts-node/dist/bin"), "--transpile-only", "tools/plan/cli.ts", "--stak", "dev"], { cwd: ROOT, encoding: "utf8" });
        expect(out.status).to.equal(2);
        expect(out.stderr).to.contain("unknown argument --stak");
    });
});
