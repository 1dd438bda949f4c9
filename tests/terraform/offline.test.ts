import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { skipOrFail } from "../support/tools";
import { ROOT_MODULE_DIR } from "./helpers/terraform";
import {
    MODULES_DIR,
    OfflineTerraform,
    PlanTestResult,
    ValidateResult,
    discoverModules,
    findOfflineTerraform,
    newerThanOffline,
    offlineTerraformMissing,
    planTestModule,
    toleratedBy,
    validateModule,
} from "./helpers/terraform-cli";
import { formatVersion } from "./helpers/version-constraints";

const ENVIRONMENTS = ["dev", "staging", "prod"];
const missing = offlineTerraformMissing();
const offline: OfflineTerraform | undefined = missing === undefined ? findOfflineTerraform() : undefined;
const modules = discoverModules();

type Settled<T> = { ok: true; value: T } | { ok: false; error: Error };
function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
    return promise.then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error: error instanceof Error ? error : new Error(String(error)) }),
    );
}
function unwrap<T>(result: Settled<T>): T {
    if (!result.ok) {
        throw result.error;
    }
    return result.value;
}

// Started when mocha loads this file, so that Terraform (child processes) works while the rest of
// the suite runs in this process.
const validations = new Map<string, Promise<Settled<ValidateResult>>>();
const planTests = new Map<string, Promise<Settled<PlanTestResult>>>();
if (offline) {
    for (const name of modules.offline) {
        validations.set(name, settle(validateModule(name, offline)));
        planTests.set(name, settle(planTestModule(name, offline)));
    }
}

/** Replaces text in a file of a module copy, failing loudly when the module no longer has it. */
function breakValue(dir: string, file: string, from: string, to: string): void {
    const full = path.join(dir, file);
    const text = fs.readFileSync(full, "utf8");
    if (!text.includes(from)) {
        throw new Error(`${file} no longer contains ${JSON.stringify(from)}: update the broken-value cases in tests/terraform/offline.test.ts`);
    }
    fs.writeFileSync(full, text.replace(from, to));
}

describe("terraform itself: every module validated and plan-tested offline with the real AWS provider", function () {
    it("every module but secrets needs only the aws provider, so all of them can be checked here", function () {
        expect([...modules.needsOtherProviders.keys()], "modules needing random or vault (not available offline)").to.deep.equal(["secrets"]);
        expect(modules.offline.length, "modules validated and plan-tested").to.be.greaterThan(3);
        // The root calls the secrets module, so it needs vault and random as well: it is covered by
        // the parser tests (structure, contract, security), not by terraform validate.
        expect(fs.readFileSync(path.join(ROOT_MODULE_DIR, "versions.tf"), "utf8")).to.contain('source  = "hashicorp/vault"');
    });

    it("every module that can be checked has its own tests/*.tftest.hcl", function () {
        for (const name of modules.offline) {
            const dir = path.join(MODULES_DIR, name, "tests");
            const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".tftest.hcl")) : [];
            expect(files, `terraform/modules/${name}/tests/*.tftest.hcl (copy one of another module's)`).to.not.be.empty;
        }
    });

    for (const name of modules.offline) {
        describe(name, function () {
            it("terraform validate passes, but for errors about exactly the constructs newer than the offline provider", async function () {
                if (!offline) {
                    return skipOrFail(this, missing ?? "terraform offline");
                }
                const result = unwrap(await (validations.get(name) as Promise<Settled<ValidateResult>>));
                const tolerated = newerThanOffline(offline.awsVersion);
                const errors = result.diagnostics.filter((d) => d.severity === "error");
                const unexpected = errors.filter((d) => !toleratedBy(d, path.join(MODULES_DIR, name), tolerated));
                expect(unexpected, `terraform validate of ${name} (aws ${formatVersion(offline.awsVersion)}):\n${JSON.stringify(unexpected, null, 2)}`).to.deep.equal([]);
            });

            it("terraform test plans dev, staging and prod with the real provider", async function () {
                if (!offline) {
                    return skipOrFail(this, missing ?? "terraform offline");
                }
                const result = unwrap(await (planTests.get(name) as Promise<Settled<PlanTestResult>>));
                expect(result.ran, `${name}: test files run (skipped: ${JSON.stringify(result.skipped)})`).to.not.be.empty;
                expect(result.code, result.output).to.equal(0);
                for (const env of ENVIRONMENTS) {
                    expect(result.output, `${name}: run "${env}" passed`).to.match(new RegExp(`run "${env}"\\.\\.\\. pass`));
                }
                for (const { file, reason } of result.skipped) {
                    // Said, never silently dropped: these need the provider version the module requires.
                    if (this.test) {
                        this.test.title += ` [${file} not run: ${reason}]`;
                    }
                }
            });
        });
    }

    it("a deliberately broken value fails validate: an invalid CIDR", async function () {
        if (!offline) {
            return skipOrFail(this, missing ?? "terraform offline");
        }
        const result = await validateModule("networking", offline, {
            suffix: "invalid-cidr",
            apply: (dir) => breakValue(dir, "main.tf", "cidr_block           = var.vpc_cidr", 'cidr_block           = "10.0.0.0/33"'),
        });
        const tolerated = newerThanOffline(offline.awsVersion);
        const unexpected = result.diagnostics.filter((d) => d.severity === "error" && !toleratedBy(d, path.join(MODULES_DIR, "networking"), tolerated));
        expect(unexpected, result.raw).to.have.lengthOf(1);
        expect(unexpected[0].summary).to.contain("10.0.0.0/33").and.contain("invalid CIDR address");
    });

    it("a deliberately broken value fails the plan test: a non-JSON policy, and a failing assertion", async function () {
        if (!offline) {
            return skipOrFail(this, missing ?? "terraform offline");
        }
        const result = await planTestModule("networking", offline, {
            suffix: "broken-plan",
            apply: (dir) => {
                // dev: a value its assertion refuses; prod: a policy the provider refuses at plan time.
                breakValue(dir, "main.tf", "{ dev = 14, staging = 30, prod = 365 }", "{ dev = 7, staging = 30, prod = 365 }");
                breakValue(dir, "main.tf", "policy = data.aws_iam_policy_document.flow_logs_write[0].json", 'policy = var.environment == "prod" ? "{ not json" : data.aws_iam_policy_document.flow_logs_write[0].json');
            },
        });
        expect(result.code, result.output).to.not.equal(0);
        expect(result.output).to.match(/run "dev"\.\.\. fail/).and.contain("dev keeps flow logs 14 days.");
        expect(result.output).to.match(/run "staging"\.\.\. pass/);
        expect(result.output).to.match(/run "prod"\.\.\. fail/).and.contain("contains an invalid JSON policy");
    });
});
