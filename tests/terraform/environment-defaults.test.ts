// The Terraform root resolves the keys with a per-environment default the way the program does:
// null (not set) = the environment's value from components/environment-defaults.json, the same
// file; an explicit value wins and is validated. Parser checks of the wiring, then the root's own
// locals and variable blocks evaluated by terraform itself (no provider needed, so it runs offline).
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ENVIRONMENT_DEFAULTS, ENVIRONMENT_DEFAULT_KEYS, ENVIRONMENT_DEFAULTS_FILE } from "../../components/per-environment-defaults";
import { TERRAFORM, offlineTerraformEnv } from "../../tools/check/terraform";
import { requireTool } from "../support/tools";
import { snakeCase } from "./helpers/contract";
import { ENVIRONMENTS, REPO_ROOT, ROOT_MODULE_DIR, TerraformTree, loadTerraform, stringsIn } from "./helpers/terraform";

const LOCALS_FILE = path.join(ROOT_MODULE_DIR, "environment-defaults.tf");
const NAMES = ENVIRONMENT_DEFAULT_KEYS.map(snakeCase);

/** The text of one `variable "<name>" { ... }` block of the root's variables.tf. */
function variableBlock(source: string, name: string): string {
    const match = new RegExp(`^variable "${name}" \\{\\n[\\s\\S]*?\\n\\}\\n`, "m").exec(source);
    if (!match) {
        throw new Error(`terraform/stack/variables.tf has no variable "${name}"`);
    }
    return match[0];
}

type Resolved = Record<string, string | number | boolean>;

/**
 * A copy of the root's resolution: its environment-defaults.tf and the variable blocks (with their
 * validations) of environment and the per-environment keys, at the same depth below a copy of the
 * data file, plus an output of every resolved local.
 */
function rootCopy(dir: string): string {
    const stack = path.join(dir, "terraform", "stack");
    fs.mkdirSync(stack, { recursive: true });
    fs.mkdirSync(path.join(dir, "components"));
    fs.copyFileSync(ENVIRONMENT_DEFAULTS_FILE, path.join(dir, "components", "environment-defaults.json"));
    fs.copyFileSync(LOCALS_FILE, path.join(stack, "environment-defaults.tf"));
    const variables = fs.readFileSync(path.join(ROOT_MODULE_DIR, "variables.tf"), "utf8");
    fs.writeFileSync(path.join(stack, "variables.tf"), ["environment", ...NAMES].map((name) => variableBlock(variables, name)).join("\n"));
    fs.writeFileSync(path.join(stack, "outputs.tf"), `output "resolved" {\n  value = { ${NAMES.map((n) => `${n} = local.${n}`).join(", ")} }\n}\n`);
    return stack;
}

function terraform(cwd: string, args: string[]): { code: number; output: string } {
    const result = spawnSync("terraform", args, {
        cwd,
        encoding: "utf8",
        // No provider and no backend: nothing to download; the proxies point nowhere all the same.
        env: offlineTerraformEnv(path.dirname(path.dirname(cwd))),
    });
    return { code: result.status ?? 1, output: `${result.stdout}${result.stderr}` };
}

/** Plans the copy with these -var values; the resolved locals, or terraform's refusal. */
function resolve(stack: string, vars: Record<string, string | number | boolean>): Resolved | string {
    const args = ["plan", "-input=false", "-no-color", "-lock=false", "-out=resolved.tfplan", ...Object.entries(vars).map(([k, v]) => `-var=${k}=${v}`)];
    const plan = terraform(stack, args);
    if (plan.code !== 0) {
        return plan.output;
    }
    const shown = terraform(stack, ["show", "-json", "resolved.tfplan"]);
    expect(shown.code, shown.output).to.equal(0);
    return (JSON.parse(shown.output) as { planned_values: { outputs: { resolved: { value: Resolved } } } }).planned_values.outputs.resolved.value;
}

describe("terraform: per-environment defaults in the composition root", function () {
    let tree: TerraformTree;

    before(async function () {
        tree = await loadTerraform();
    });

    it("reads the program's data file and resolves every per-environment key from it, once", function () {
        expect(tree.root.locals.get("environment_defaults")).to.equal('${jsondecode(file("${path.module}/../../components/environment-defaults.json"))}');
        expect(path.resolve(ROOT_MODULE_DIR, "../../components/environment-defaults.json")).to.equal(path.join(REPO_ROOT, "components", "environment-defaults.json"));
        for (const key of ENVIRONMENT_DEFAULT_KEYS) {
            const name = snakeCase(key);
            expect(tree.root.locals.get(name), name).to.equal(`\${coalesce(var.${name}, local.environment_defaults.${key}[var.environment])}`);
            expect(tree.root.variables.get(name)?.default, `${name} default`).to.equal(null);
        }
    });

    it("hands the modules the resolved value, never the variable that may be null", function () {
        const texts = [...tree.root.moduleCalls.values()].flatMap((call) => stringsIn(call)).join("\n");
        for (const name of NAMES) {
            expect(texts, `var.${name} reaches no module directly`).to.not.match(new RegExp(`var\\.${name}\\b`));
            expect(texts, `local.${name} reaches a module`).to.match(new RegExp(`local\\.${name}\\b`));
        }
    });

    describe("evaluated by terraform (the root's own locals and validations, offline)", function () {
        let dir: string;
        let stack: string;

        before(function () {
            requireTool(this, TERRAFORM.command, TERRAFORM.install);
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "tf-env-defaults-"));
            stack = rootCopy(dir);
        });

        after(function () {
            if (dir) {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("with no value set, every environment gets its own defaults (prod: 3 Qdrant nodes, cache.r7g.large x2, stores never stop)", function () {
            for (const env of ENVIRONMENTS) {
                const expected = Object.fromEntries(ENVIRONMENT_DEFAULT_KEYS.map((key) => [snakeCase(key), ENVIRONMENT_DEFAULTS[key][env]]));
                expect(resolve(stack, { environment: env }), env).to.deep.equal(expected);
            }
            expect(resolve(stack, { environment: "prod" })).to.deep.equal({ kv_node_type: "cache.r7g.large", kv_replicas: 2, qdrant_node_count: 3, off_hours_stores: false });
            expect(resolve(stack, { environment: "dev" })).to.deep.equal({ kv_node_type: "cache.t4g.micro", kv_replicas: 0, qdrant_node_count: 1, off_hours_stores: true });
        });

        it("an explicit value wins, false and 0 included", function () {
            expect(resolve(stack, { environment: "prod", kv_node_type: "cache.m7g.xlarge", kv_replicas: 1, qdrant_node_count: 5, off_hours_stores: false }))
                .to.deep.equal({ kv_node_type: "cache.m7g.xlarge", kv_replicas: 1, qdrant_node_count: 5, off_hours_stores: false });
            expect(resolve(stack, { environment: "staging", kv_replicas: 0, off_hours_stores: false }))
                .to.include({ kv_replicas: 0, off_hours_stores: false, kv_node_type: "cache.t4g.small" });
        });

        it("an explicit bad value is still refused: prod kv_replicas 0, prod off_hours_stores true, 2 Qdrant nodes, an unknown cache family", function () {
            const cases: [Record<string, string | number | boolean>, string][] = [
                [{ environment: "prod", kv_replicas: 0 }, "kv_replicas must be at least 1 in prod"],
                [{ environment: "prod", off_hours_stores: true }, "prod never stops its stores"],
                [{ environment: "dev", qdrant_node_count: 2 }, "qdrant_node_count must be 1, 3, 5, 7 or 9"],
                [{ environment: "dev", kv_node_type: "cache.x9.large" }, "kv_node_type must be an ElastiCache node type"],
                [{ environment: "dev", kv_replicas: 6 }, "kv_replicas must be a whole number of replicas per shard from 0 to 5"],
            ];
            for (const [vars, message] of cases) {
                const result = resolve(stack, vars);
                expect(result, JSON.stringify(vars)).to.be.a("string");
                expect((result as string).replace(/\s+/g, " "), JSON.stringify(vars)).to.contain(message);
            }
        });
    });
});
