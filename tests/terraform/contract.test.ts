import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "@cdktf/hcl2json";
import { isEnvironmentDefaultKey } from "../../components/per-environment-defaults";
import { projectConfig, snakeCase, stackAsTfvars, terraformDescription, terraformType } from "./helpers/contract";
import {
    ENVIRONMENTS,
    HclBody,
    HclValue,
    REPO_ROOT,
    TerraformModule,
    TerraformTree,
    blocks,
    environmentFile,
    expressionText,
    loadTerraform,
    stringsIn,
    typeOf,
} from "./helpers/terraform";

/** Variables only the Terraform form has, each for a reason. */
const TERRAFORM_ONLY_VARIABLES: Record<string, string> = {
    aws_region: "the stack files' aws:region (provider config in Pulumi)",
};
/** Descriptions that tell Pulumi users how to set a value and so differ on purpose. */
const CLI_SPECIFIC_DESCRIPTIONS = new Set(["openai_api_key"]);

function validationConditions(variable: HclBody | undefined): string[] {
    return blocks(variable ?? {}, "validation").map((v) => expressionText(v.condition) ?? "");
}

describe("terraform: the stack contract matches the Pulumi project", function () {
    let tree: TerraformTree;
    const project = projectConfig();
    const keys = Object.keys(project);

    before(async function () {
        tree = await loadTerraform();
    });

    describe("the composition root (terraform/stack)", function () {
        let variables: Map<string, HclBody>;

        before(function () {
            variables = tree.root.variables;
        });

        it("declares every Pulumi.yaml key as a snake_case variable with the same type, default and description", function () {
            for (const [key, declaration] of Object.entries(project)) {
                const name = snakeCase(key);
                const variable = variables.get(name);
                expect(variable, `variable ${name} (memory-spine:${key})`).to.not.equal(undefined);
                if (!variable) {
                    continue;
                }
                expect(typeOf(variable), `${name} type`).to.equal(terraformType(declaration));
                if ("default" in declaration) {
                    expect(variable.default, `${name} default`).to.deep.equal(declaration.default);
                } else if (isEnvironmentDefaultKey(key)) {
                    // null = the environment's default, resolved by terraform/stack/environment-defaults.tf.
                    expect(variable.default, `${name} defaults to null (the environment's default)`).to.equal(null);
                } else {
                    expect("default" in variable, `${name} is required, as in Pulumi.yaml`).to.equal(false);
                }
                expect(variable.sensitive === true, `${name} sensitive = Pulumi secret`).to.equal(declaration.secret === true);
                if (!CLI_SPECIFIC_DESCRIPTIONS.has(name)) {
                    expect(variable.description, `${name} description`).to.equal(terraformDescription(declaration.description, keys));
                }
            }
        });

        it("declares tags as map(string) defaulting to {}, and nothing beyond the contract", function () {
            const tags = variables.get("tags");
            expect(typeOf(tags ?? {})).to.equal("map(string)");
            expect(tags?.default).to.deep.equal({});
            const expected = [...keys.map(snakeCase), "tags", ...Object.keys(TERRAFORM_ONLY_VARIABLES)].sort();
            expect([...variables.keys()].sort()).to.deep.equal(expected);
        });

        for (const env of ENVIRONMENTS) {
            it(`environments/${env}/terraform.tfvars sets exactly the values of Pulumi.${env}.yaml`, async function () {
                const file = environmentFile(env, "terraform.tfvars");
                const tfvars = (await parse(path.relative(REPO_ROOT, file), fs.readFileSync(file, "utf8"))) as Record<string, HclValue>;
                expect(tfvars).to.deep.equal(stackAsTfvars(env));
                for (const name of Object.keys(tfvars)) {
                    expect(variables.has(name), `tfvars sets undeclared variable ${name}`).to.equal(true);
                    expect(variables.get(name)?.sensitive, `${name}: secrets never go into tfvars`).to.not.equal(true);
                }
            });
        }

        it("validates the values the Pulumi program refuses", function () {
            const expectations: Record<string, RegExp> = {
                environment: /contains\(\["dev", "staging", "prod"\], var\.environment\)/,
                instance_count: /floor\(var\.instance_count\) == var\.instance_count && var\.instance_count >= 1/,
                vector_store_engine: /contains\(\["qdrant", "pgvector"\], var\.vector_store_engine\)/,
                vault_address: /var\.environment == "dev" \? "\^https\?:\/\/.*" : "\^https:\/\//,
                allowed_cidr_blocks: /for c in var\.allowed_cidr_blocks : can\(cidrhost\(c, 0\)\)/,
                instance_type: /regex\("\^\[a-z\]\[a-z0-9-\]\*\\\\\.\[a-z0-9\]\+\$", var\.instance_type\)/,
                enable_tls: /var\.enable_tls \|\| var\.environment != "prod"/,
                availability_zone_count: /var\.availability_zone_count >= 2 && var\.availability_zone_count <= 6/,
                vpc_cidr: /cidrhost\(var\.vpc_cidr, 0\)/,
                container_image: /:latest/,
                postgres_version: />= 16/,
            };
            for (const [name, pattern] of Object.entries(expectations)) {
                const conditions = validationConditions(variables.get(name));
                expect(conditions.some((c) => pattern.test(c)), `${name} validation ${pattern} in ${JSON.stringify(conditions)}`).to.equal(true);
            }
            // Every constrained key of the contract has at least one validation.
            for (const key of keys) {
                const name = snakeCase(key);
                const free = ["openai_api_key", "create_vault_auth_backends"].includes(name);
                if (!free) {
                    expect(validationConditions(variables.get(name)), `${name} has a validation`).to.not.be.empty;
                }
            }
        });

        it("wires the stack outputs of the reference: api_endpoint, vector_store_endpoint (sensitive), security_group_id", function () {
            const outputs = tree.root.outputs;
            expect(outputs.get("api_endpoint")?.value).to.equal("${module.memory_spine.api_endpoint}");
            expect(outputs.get("vector_store_endpoint")?.value).to.equal("${module.vector_store.endpoint}");
            expect(outputs.get("vector_store_endpoint")?.sensitive).to.equal(true);
            expect(outputs.get("security_group_id")?.value).to.equal("${module.memory_spine.node_security_group_id}");
        });
    });

    it("keeps each environment thin: only its backend settings and its values", async function () {
        for (const env of ENVIRONMENTS) {
            const dir = path.dirname(environmentFile(env, "backend.hcl"));
            const tracked = fs.readdirSync(dir).filter((f) => f !== ".terraform" && !f.endsWith(".tfplan")).sort();
            expect(tracked, `terraform/environments/${env}`).to.deep.equal(["backend.hcl", "terraform.tfvars"]);
        }
        const backends = await Promise.all(
            ENVIRONMENTS.map(async (env) => {
                const file = environmentFile(env, "backend.hcl");
                return (await parse(path.relative(REPO_ROOT, file), fs.readFileSync(file, "utf8"))) as Record<string, HclValue>;
            }),
        );
        // The same bucket and settings, each environment its own state key.
        for (const [i, env] of ENVIRONMENTS.entries()) {
            expect(backends[i], env).to.deep.equal({ ...backends[0], key: `memory-spine/${env}/terraform.tfstate` });
        }
        expect(new Set(backends.map((b) => b.key)).size).to.equal(ENVIRONMENTS.length);
    });

    it("gives module variables that share a contract name the contract's type and default", function () {
        for (const module of tree.modules.values()) {
            for (const [name, variable] of module.variables) {
                const key = Object.keys(project).find((k) => snakeCase(k) === name);
                const declaration = key === undefined ? undefined : project[key];
                if (declaration === undefined) {
                    continue;
                }
                expect(typeOf(variable), `${module.dir}: ${name} type`).to.equal(terraformType(declaration));
                if ("default" in variable && "default" in declaration) {
                    expect(variable.default, `${module.dir}: ${name} default`).to.deep.equal(declaration.default);
                }
                if (key !== undefined && isEnvironmentDefaultKey(key)) {
                    // The root passes the stack's value or the environment's; a module default would be environment-blind.
                    expect("default" in variable, `${module.dir}: ${name} has a per-environment default, so the module requires it`).to.equal(false);
                }
                expect(variable.sensitive === true, `${module.dir}: ${name} sensitive`).to.equal(declaration.secret === true);
            }
        }
    });

    it("repeats the environment's cross-variable guards in the memory-spine module itself", function () {
        const spine = tree.modules.get("memory-spine") as TerraformModule;
        const conditions = (name: string): string => validationConditions(spine.variables.get(name)).join("\n");
        expect(conditions("environment")).to.contain('contains(["dev", "staging", "prod"], var.environment)');
        expect(conditions("instance_count")).to.contain("floor(var.instance_count) == var.instance_count && var.instance_count >= 1");
        expect(conditions("vector_store_engine")).to.contain('contains(["qdrant", "pgvector"], var.vector_store_engine)');
        expect(conditions("vault_address")).to.match(/var\.environment == "dev"/);
        expect(conditions("allowed_cidr_blocks")).to.contain("can(cidrhost(c, 0))");
        expect(conditions("instance_type")).to.contain("regex(");
        expect(conditions("enable_tls")).to.contain('var.enable_tls || var.environment != "prod"');
    });

    it("passes every contract variable of the root on to some module", function () {
        const env = tree.root;
        const passed = new Set<string>();
        const collect = (value: HclValue | undefined): void => {
            for (const text of stringsIn(value)) {
                for (const m of text.matchAll(/var\.([a-z_]+)/g)) {
                    passed.add(m[1]);
                }
                // A local passed on carries the variables it is computed from (the per-environment defaults).
                for (const m of text.matchAll(/local\.([a-z_]+)/g)) {
                    collect(env.locals.get(m[1]));
                }
            }
        };
        for (const call of env.moduleCalls.values()) {
            collect(call);
        }
        const providerOnly = ["aws_region", "vault_address", "tags"];
        for (const name of env.variables.keys()) {
            expect(passed.has(name) || providerOnly.includes(name), `variable ${name} reaches a module`).to.equal(true);
        }
        expect(env.providers.get("aws")?.region).to.equal("${var.aws_region}");
    });
});
