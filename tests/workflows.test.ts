import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { validateWorkflow } from "@action-validator/core";
import { requireTool, debianPackage } from "./support/tools";

const ROOT = path.join(__dirname, "..");
const DIR = path.join(ROOT, ".github", "workflows");
const files = fs.readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
const text = (file: string) => fs.readFileSync(path.join(DIR, file), "utf8");
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const workflow = (file: string): any => parse(text(file));

describe("GitHub workflows", function () {
    it("ships the pull-request, deploy and drift workflows", function () {
        expect(files).to.include.members(["pull-request.yml", "deploy.yml", "deploy-stack.yml", "drift.yml"]);
    });

    for (const file of files) {
        it(`${file} passes action-validator (the workflow schema)`, function () {
            const state = validateWorkflow(text(file));
            expect(state.errors, JSON.stringify(state.errors, null, 2)).to.deep.equal([]);
        });
    }

    it("the validator itself rejects a broken workflow", function () {
        const state = validateWorkflow("name: broken\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n");
        expect(state.errors).to.not.be.empty;
    });

    it("pass yamllint in strict mode", function () {
        this.timeout(30000);
        requireTool(this, "yamllint", debianPackage("yamllint"));
        execFileSync("yamllint", ["-s", "-c", path.join(ROOT, ".yamllint.yml"), DIR], { stdio: "pipe" });
    });

    it("pull request: typecheck, npm test, offline plan per stack, pulumi preview with the policy pack and a PR comment", function () {
        const wf = workflow("pull-request.yml");
        const testRuns = wf.jobs.test.steps.map((s: { run?: string }) => s.run ?? "").join("\n");
        expect(testRuns).to.contain("npx tsc --noEmit").and.contain("npm test").and.contain("npm run -s plan -- --stack \"$stack\"");
        expect(testRuns).to.match(/for stack in dev staging prod/);
        expect(wf.jobs.preview.strategy.matrix.stack).to.deep.equal(["dev", "staging", "prod"]);
        const preview = wf.jobs.preview.steps.find((s: { uses?: string }) => s.uses?.startsWith("pulumi/actions@"));
        expect(preview.with).to.include({
            command: "preview",
            policyPacks: "policy-pack",
            policyPackConfigs: "policy-pack/config/${{ matrix.stack }}.json",
            "comment-on-pr": true,
        });
        expect(preview.with["cloud-url"]).to.equal("${{ env.PULUMI_BACKEND_URL }}");
        expect(wf.env.PULUMI_BACKEND_URL).to.match(/^s3:\/\//);
        expect(preview.with["secrets-provider"]).to.match(/^awskms:\/\//);
    });

    it("deploy: dev automatically, staging and prod in GitHub environments, health check that fails the job", function () {
        const wf = workflow("deploy.yml");
        expect(Object.keys(wf.jobs)).to.deep.equal(["dev", "staging", "prod"]);
        expect(wf.jobs.staging.needs).to.equal("dev");
        expect(wf.jobs.prod.needs).to.equal("staging");
        const stack = workflow("deploy-stack.yml");
        expect(stack.jobs.up.environment.name).to.equal("${{ inputs.stack }}");
        const up = stack.jobs.up.steps.find((s: { id?: string }) => s.id === "up");
        expect(up.with).to.include({ command: "up", policyPacks: "policy-pack" });
        const health = stack.jobs.up.steps.find((s: { name?: string }) => /health/i.test(s.name ?? ""));
        expect(health.env.API_ENDPOINT).to.equal("${{ steps.up.outputs.apiEndpoint }}");
        expect(health.run).to.contain('curl --fail').and.contain('"$API_ENDPOINT/health"').and.contain("exit 1");
    });

    it("drift: prod every 4 hours, staging daily, both Pulumi checks with --expect-no-changes, notification", function () {
        const wf = workflow("drift.yml");
        expect(wf.on.schedule.map((s: { cron: string }) => s.cron)).to.deep.equal(["17 */4 * * *", "43 5 * * *"]);
        const runs = wf.jobs.pulumi.steps.map((s: { run?: string }) => s.run ?? "").join("\n");
        expect(runs).to.match(/pulumi refresh [^\n]*--preview-only [^\n]*--expect-no-changes/);
        expect(runs).to.match(/pulumi preview [^\n]*--expect-no-changes/);
        expect(runs).to.contain("SLACK_WEBHOOK_URL").and.contain("gh issue create");
    });

    it("drift: terraform plan -detailed-exitcode reads plan's own status with the wrapper off", function () {
        const wf = workflow("drift.yml");
        const setup = wf.jobs.terraform.steps.find((s: { uses?: string }) => s.uses?.startsWith("hashicorp/setup-terraform@"));
        expect(setup.with.terraform_wrapper).to.equal(false);
        const plan = wf.jobs.terraform.steps.find((s: { id?: string }) => s.id === "plan").run as string;
        expect(plan).to.contain("-detailed-exitcode");
        expect(plan).to.not.contain("|| true");
        expect(plan).to.not.contain("PIPESTATUS");
        expect(plan).to.match(/set \+e\n\s*terraform plan[^\n]*\n\s*status=\$\?/);
        expect(plan).to.match(/2\) [^\n]*exit 2/);
    });

    it("inline run scripts pass shellcheck", function () {
        requireTool(this, "shellcheck", debianPackage("shellcheck"));
        this.timeout(60000);
        for (const file of files) {
            const wf = workflow(file);
            for (const [jobName, job] of Object.entries(wf.jobs as Record<string, { steps?: { run?: string }[] }>)) {
                for (const [i, step] of (job.steps ?? []).entries()) {
                    if (!step.run) {
                        continue;
                    }
                    // GitHub expressions are substituted before bash runs; stand in a plain word.
                    const script = `#!/usr/bin/env bash\n${step.run.replace(/\$\{\{[^}]*\}\}/g, "x")}`;
                    try {
                        execFileSync("shellcheck", ["-s", "bash", "-e", "SC2129", "-"], { input: script, stdio: "pipe" });
                    } catch (error) {
                        throw new Error(`${file} ${jobName} step ${i}: ${(error as { stdout?: Buffer }).stdout?.toString()}`, { cause: error });
                    }
                }
            }
        }
    });
});
