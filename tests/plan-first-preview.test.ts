/**
 * `npm run plan -- --first-preview`: the plan as the first `pulumi preview` of a new stack, where
 * every value a provider computes on create is unknown. The pack decides what it can, lists what
 * it cannot, and only decided mandatory violations fail the plan.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { PolicyPackClient, PolicyViolation, startPolicyPack } from "../tools/analyzer/client";
import { runProgram } from "../tools/lib/mock-runtime";
import { UNKNOWN_VALUE, plainValue } from "../tools/lib/recorded-resource";
import { plan, renderPlan } from "../tools/plan/plan";
import { separateUndecided } from "../tools/plan/undecided";

const ROOT = path.resolve(__dirname, "..");
const FIXTURE = path.join(__dirname, "fixtures", "first-preview");
const DEV_POLICY_CONFIG = path.join(ROOT, "policy-pack", "config", "dev.json");

/** A copy of a stack file with some config changed, next to nothing (the project dir is passed apart). */
function stackVariant(file: string, name: string, changes: Record<string, unknown>): string {
    const document = parse(fs.readFileSync(file, "utf8")) as { config: Record<string, unknown> };
    Object.assign(document.config, changes);
    const variant = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "first-preview-")), `Pulumi.${name}.yaml`);
    fs.writeFileSync(variant, stringify(document));
    return variant;
}

function violation(policyName: string, enforcementLevel: PolicyViolation["enforcementLevel"], message: string): PolicyViolation {
    return { policyName, policyPackName: "p", policyPackVersion: "1.0.0", description: "", message, detail: message, enforcementLevel, urn: "urn:x" };
}

describe("offline plan --first-preview", function () {
    let pack: PolicyPackClient;
    before(async function () {
        pack = await startPolicyPack();
    });
    after(async function () {
        await pack.close();
    });

    it("tells the pack's \"can't run policy during preview\" advisories from its verdicts", function () {
        const cannot = violation("imdsv2-required", "advisory", "can't run policy 'imdsv2-required' from policy pack 'memory-spine-guardrails@v1.0.0' during preview: value .metadataOptions.httpTokens can't be known during preview");
        const verdict = violation("imdsv2-required", "mandatory", "hop limit 3");
        expect(separateUndecided([cannot, verdict])).to.deep.equal({
            violations: [verdict],
            undecided: [{ policyName: "imdsv2-required", urn: "urn:x", reason: "value .metadataOptions.httpTokens can't be known during preview" }],
        });
    });

    it("makes every value a provider computes on create unknown, and keeps the program's inputs", async function () {
        const run = await runProgram({ stack: "staging", firstPreview: true });
        expect(run.error).to.equal(undefined);
        const custom = run.resources.filter((r) => r.custom);
        expect(custom.filter((r) => r.id !== undefined).map((r) => r.name)).to.deep.equal([]);
        const lt = custom.find((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate");
        const inputs = plainValue(lt?.inputs) as Record<string, Record<string, unknown>>;
        expect(inputs.iamInstanceProfile.arn).to.equal(UNKNOWN_VALUE);
        expect(inputs.instanceType).to.equal("r6i.xlarge");
        const qdrant = custom.find((r) => r.type === "aws:ec2/instance:Instance");
        expect((plainValue(qdrant?.inputs) as Record<string, unknown>).userData, "boot script embeds the data volume id").to.equal(UNKNOWN_VALUE);
        expect(run.outputs.securityGroupId.value).to.equal(undefined);
    });

    describe("a policy that cannot decide (fixture: IMDS tokens from a value computed on create)", function () {
        const planFixture = (stack: string, firstPreview: boolean) => plan({ stack, projectDir: FIXTURE, policyConfig: DEV_POLICY_CONFIG, pack, firstPreview });

        it("an ordinary plan decides it: exit 0, nothing undecided", async function () {
            const result = await planFixture("test", false);
            expect(result.error).to.equal(undefined);
            expect(result.undecided).to.deep.equal([]);
            expect(result.exitCode).to.equal(0);
        });

        it("the first preview lists it per policy and does not count it: exit 0", async function () {
            const result = await planFixture("test", true);
            expect(result.undecided).to.deep.equal([{
                policyName: "imdsv2-required",
                urn: "urn:pulumi:test::first-preview-fixture::aws:ec2/launchTemplate:LaunchTemplate::fixture-lt",
                reason: "value .metadataOptions.httpTokens can't be known during preview",
            }]);
            expect(result.violations.map((v) => v.policyName)).to.not.include("imdsv2-required");
            expect(result.exitCode).to.equal(0);
            expect(renderPlan(result)).to.contain('Offline plan for stack "test", as its first preview').and.contain([
                "Undecided at preview (1): values unknown until apply; checked again by `pulumi up`",
                "  [imdsv2-required] (1)",
                "    aws:ec2/launchTemplate:LaunchTemplate fixture-lt: value .metadataOptions.httpTokens can't be known during preview",
            ].join("\n"));
        });

        it("what the same policy could decide on that resource still counts: hop limit 5 exits 1", async function () {
            const result = await planFixture(stackVariant(path.join(FIXTURE, "Pulumi.test.yaml"), "hop", { "first-preview-fixture:hopLimit": 5 }), true);
            expect(result.exitCode).to.equal(1);
            expect(result.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.detail)).to.deep.equal([
                'aws:ec2/launchTemplate:LaunchTemplate "fixture-lt" has metadataOptions.httpPutResponseHopLimit 5: use 1, or at most 2 for containers.',
            ]);
            expect(result.undecided.map((u) => u.policyName)).to.deep.equal(["imdsv2-required"]);
        });
    });

    // prod with p5.48xlarge through the command itself: apart from the blocked type, the richest
    // stack must be decided entirely at a first preview (nothing undecided).
    it("npm run plan -- --first-preview --json: prod is decided entirely; a decided mandatory violation still fails it (p5.48xlarge, exit 1)", function () {
        const npm = process.platform === "win32" ? "npm.cmd" : "npm";
        const gpu = stackVariant(path.join(ROOT, "Pulumi.prod.yaml"), "gpu", { "memory-spine:instanceType": "p5.48xlarge" });
        const out = spawnSync(npm, ["run", "-s", "plan", "--", "--stack", gpu, "--first-preview", "--json"], { cwd: ROOT, encoding: "utf8" });
        expect(out.status, out.stderr).to.equal(1);
        const json = JSON.parse(out.stdout) as { firstPreview?: boolean; undecided?: unknown[]; exitCode: number; violations: PolicyViolation[] };
        expect(json.firstPreview).to.equal(true);
        expect(json.undecided).to.deep.equal([]);
        expect(json.exitCode).to.equal(1);
        expect(json.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policyName)).to.include("blocked-instance-types");
    });
});
