/**
 * The real tools on what every shipped stack renders, in both forms: the program's boot scripts,
 * Prometheus rules and alert manager definition, and Terraform's templatefile() rendering of its
 * templates with the same values (which must equal the program's). The runners live in
 * tools/check/ with their own tests (tests/tools/), each proving it rejects a broken artifact.
 */
import { expect } from "chai";
import * as path from "path";
import { checkStack, CheckedArtifact, StackCheckReport, ToolName, TOOL_COMMANDS } from "../tools/check/stack-check";
import { TERRAFORM, terraformFmtCheck } from "../tools/check/terraform";
import { SHIPPED_STACKS, shippedStack, ShippedStack } from "./support/stacks";
import { requireTool } from "./support/tools";

const reports = new Map<ShippedStack, Promise<StackCheckReport>>();

/** One check per stack, shared by the tests below; the stacks are checked concurrently. */
function report(stack: ShippedStack): Promise<StackCheckReport> {
    let found = reports.get(stack);
    if (!found) {
        found = shippedStack(stack).then(checkStack);
        reports.set(stack, found);
    }
    return found;
}

function requireToolOf(test: Mocha.Context, tool: ToolName): void {
    requireTool(test, TOOL_COMMANDS[tool].command, TOOL_COMMANDS[tool].install);
}

function checkedBy(r: StackCheckReport, tool: ToolName): CheckedArtifact[] {
    return r.checked.filter((c) => c.tool === tool);
}

function expectClean(checked: CheckedArtifact[]): void {
    const failures = checked.filter((c) => c.findings.length > 0).map((c) => `${c.artifact}:\n  ${c.findings.join("\n  ")}`);
    expect(failures, failures.join("\n")).to.deep.equal([]);
}

describe("real tools on every stack's artifacts, both forms", function () {
    before(async function () {
        // The program runs are shared with the other tests and run one at a time (the Pulumi
        // runtime is process-global); each stack's tools start as soon as its run is done.
        for (const stack of SHIPPED_STACKS) {
            await shippedStack(stack);
            report(stack).catch(() => undefined); // awaited by the tests
        }
        await Promise.all(SHIPPED_STACKS.map(report));
    });

    for (const stack of SHIPPED_STACKS) {
        describe(stack, function () {
            it("bash -n and shellcheck pass every boot script (API node launch template, Qdrant nodes)", async function () {
                const r = await report(stack);
                const scripts = checkedBy(r, "bash -n");
                expect(scripts.map((c) => c.artifact).join("\n")).to.contain("aws:ec2/launchTemplate:LaunchTemplate");
                if (stack !== "dev") {
                    expect(scripts.map((c) => c.artifact).join("\n")).to.match(/aws:ec2\/instance:Instance memspine-\w+-qdrant/);
                }
                expectClean(scripts);
                requireToolOf(this, "shellcheck");
                expect(checkedBy(r, "shellcheck")).to.have.lengthOf(scripts.length);
                expectClean(checkedBy(r, "shellcheck"));
            });

            it("systemd-analyze verify passes every unit and timer the boot scripts write", async function () {
                requireToolOf(this, "systemd-analyze verify");
                const r = await report(stack);
                expectClean(checkedBy(r, "systemd-analyze verify"));
                const units = r.unitsVerified.flatMap((u) => u.units);
                expect(units).to.include.members(["vault-agent.service", "memory-spine.service"]);
                if (stack !== "dev") {
                    expect(units).to.include.members(["qdrant.service", "qdrant-data-volume.service", "qdrant-data-volume.timer"]);
                }
                expect(r.unprovidedUnits, "units enabled but never written nor installed").to.deep.equal([]);
            });

            it("promtool check rules passes the Prometheus rule groups", async function () {
                requireToolOf(this, "promtool check rules");
                const r = await report(stack);
                expect(checkedBy(r, "promtool check rules")).to.have.length.greaterThan(0);
                expectClean(checkedBy(r, "promtool check rules"));
            });

            it("amtool check-config passes the alert manager definition inside AMP's envelope", async function () {
                requireToolOf(this, "amtool check-config");
                const r = await report(stack);
                expect(checkedBy(r, "amtool check-config")).to.have.length.greaterThan(0);
                expectClean(checkedBy(r, "amtool check-config"));
            });

            it("Terraform's templatefile() renders each template exactly as the program does", async function () {
                requireToolOf(this, "terraform templatefile");
                const r = await report(stack);
                const templates = r.twins.map((t) => t.terraformTemplate);
                expect(templates).to.include.members([
                    "terraform/modules/memory-spine/templates/user-data.sh.tpl",
                    "terraform/modules/monitoring/templates/rules.yaml.tftpl",
                    "terraform/modules/monitoring/templates/alertmanager.yaml.tftpl",
                ]);
                if (stack !== "dev") {
                    expect(templates).to.include("terraform/modules/vector-store/templates/qdrant-node.sh.tpl");
                }
                const different = r.twins.filter((t) => t.differences.length > 0).map((t) => `${t.source} (${t.terraformTemplate ?? t.programTemplate}):\n  ${t.differences.join("\n  ")}`);
                expect(different, different.join("\n")).to.deep.equal([]);
            });
        });
    }

    it("terraform fmt -check passes every .tf file", async function () {
        requireTool(this, TERRAFORM.command, TERRAFORM.install);
        const findings = await terraformFmtCheck(path.resolve(__dirname, "..", "terraform"));
        expect(findings, findings.join("\n")).to.deep.equal([]);
    });
});
