import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "@cdktf/hcl2json";
import { policyBudgetUsd } from "../../components/budget";
import { ENVIRONMENT_DEFAULTS, isEnvironmentDefaultKey } from "../../components/per-environment-defaults";
import { projectConfig, snakeCase, stackAsTfvars } from "./helpers/contract";
import { ENVIRONMENTS, Environment, HclBody, HclValue, REPO_ROOT, TerraformTree, firstBlock, isHclBody, loadTerraform } from "./helpers/terraform";
import { MODULES_DIR } from "./helpers/terraform-cli";

interface TestFile {
    module: string;
    file: string;
    document: {
        provider?: Record<string, HclBody[]>;
        variables?: HclBody[];
        run?: Record<string, HclBody[]>;
    };
}

/** Every tests/*.tftest.hcl of every module, parsed with HashiCorp's HCL parser. */
async function testFiles(): Promise<TestFile[]> {
    const found: TestFile[] = [];
    for (const module of fs.readdirSync(MODULES_DIR).sort()) {
        const dir = path.join(MODULES_DIR, module, "tests");
        for (const file of fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".tftest.hcl")).sort() : []) {
            const full = path.join(dir, file);
            found.push({ module, file, document: (await parse(path.relative(REPO_ROOT, full), fs.readFileSync(full, "utf8"))) as TestFile["document"] });
        }
    }
    return found;
}

/** The value the composition root hands the module for a contract variable in an environment. */
function rootValue(tree: TerraformTree, env: Environment, name: string): HclValue | undefined {
    const tfvars = stackAsTfvars(env) as Record<string, HclValue>;
    if (name === "monthly_budget_usd") {
        // 0 (the default) means the policy pack's budget: the root passes that number on.
        const configured = (tfvars[name] as number | undefined) ?? 0;
        return configured > 0 ? configured : policyBudgetUsd(env);
    }
    if (name in tfvars) {
        return tfvars[name];
    }
    // A key with a per-environment default: the root resolves null to the environment's value.
    const key = Object.keys(projectConfig()).find((k) => snakeCase(k) === name);
    return key !== undefined && isEnvironmentDefaultKey(key) ? ENVIRONMENT_DEFAULTS[key][env] : tree.root.variables.get(name)?.default;
}

describe("terraform test files: each environment's run uses that environment's values", function () {
    let tree: TerraformTree;
    let files: TestFile[];

    before(async function () {
        [tree, files] = await Promise.all([loadTerraform(), testFiles()]);
    });

    it("every module but secrets has test files with a dev, a staging and a prod run", function () {
        for (const module of [...tree.modules.keys()].filter((m) => m !== "secrets")) {
            const runs = new Set(files.filter((f) => f.module === module).flatMap((f) => Object.keys(f.document.run ?? {})));
            for (const env of ENVIRONMENTS) {
                expect(runs.has(env), `terraform/modules/${module}/tests: run "${env}"`).to.equal(true);
            }
        }
    });

    it("every run sets the contract values of terraform/environments/<env>/terraform.tfvars, and the policy budget", function () {
        let checked = 0;
        for (const { module, file, document } of files) {
            const moduleVariables = tree.modules.get(module)?.variables ?? new Map<string, HclBody>();
            const shared = Object.assign({}, ...(document.variables ?? [])) as HclBody;
            for (const env of ENVIRONMENTS) {
                const run = firstBlock(document.run?.[env]);
                if (!run) {
                    continue;
                }
                const values: HclBody = { ...shared, ...(Object.assign({}, ...((run.variables as HclBody[] | undefined) ?? [])) as HclBody) };
                for (const [name, variable] of moduleVariables) {
                    if (!tree.root.variables.has(name)) {
                        continue; // wiring inputs (ids, endpoints) are stand-ins
                    }
                    const expected = rootValue(tree, env, name);
                    const where = `${module}/tests/${file} run "${env}": ${name}`;
                    if (name in values) {
                        expect(values[name], where).to.deep.equal(expected);
                        checked += 1;
                    } else {
                        expect(variable.default, `${where} is not set, so the module default must be the environment's value`).to.deep.equal(expected);
                    }
                }
            }
        }
        expect(checked, "contract values checked").to.be.greaterThan(40);
    });

    it("the check catches a run whose value is not its environment's", function () {
        expect(rootValue(tree, "prod", "instance_count")).to.equal(4);
        expect(rootValue(tree, "dev", "vector_store_engine")).to.equal("pgvector");
        expect(rootValue(tree, "staging", "monthly_budget_usd")).to.equal(policyBudgetUsd("staging"));
        expect(rootValue(tree, "dev", "availability_zone_count"), "a default of the root").to.equal(2);
        expect(rootValue(tree, "prod", "kv_node_type"), "a per-environment default").to.equal("cache.r7g.large");
        expect(rootValue(tree, "dev", "kv_replicas"), "a per-environment default").to.equal(0);
    });

    it("every test file configures the real AWS provider so that it needs no credentials and never looks anything up", function () {
        expect(files.length).to.be.greaterThan(3);
        for (const { module, file, document } of files) {
            const aws = firstBlock(document.provider?.aws);
            expect(isHclBody(aws), `${module}/tests/${file}: provider "aws"`).to.equal(true);
            expect(aws, `${module}/tests/${file}`).to.include({ skip_credentials_validation: true, skip_requesting_account_id: true, skip_metadata_api_check: true });
            expect(aws?.access_key, `${module}/tests/${file}: fake static credentials`).to.be.a("string");
            for (const [name, bodies] of Object.entries(document.run ?? {})) {
                expect(firstBlock(bodies)?.command, `${module}/tests/${file} run "${name}" plans only`).to.equal("${plan}");
            }
        }
    });
});
