import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "@cdktf/hcl2json";
import {
    ENVIRONMENTS,
    HclBody,
    MODULE_NAMES,
    REPO_ROOT,
    ROOT_MODULE_DIR,
    TERRAFORM_ROOT,
    TerraformModule,
    TerraformTree,
    environmentFile,
    expressionText,
    firstBlock,
    isHclBody,
    loadTerraform,
    moduleSourceDir,
    typeOf,
    walkFiles,
    hclText,
} from "./helpers/terraform";
import { templateVariables } from "./helpers/template";

/** Meta-arguments of a module call, which are not input variables. */
const MODULE_META_ARGUMENTS = new Set(["source", "version", "providers", "depends_on", "count", "for_each"]);
/** Roots of references that need no declaration. */
const BUILTIN_ROOTS = new Set(["count", "each", "path", "self", "terraform"]);
/** AWS resource types that have no tags argument; every other aws_* resource must be tagged. */
const UNTAGGABLE_AWS_TYPES = new Set([
    "aws_lb_target_group_attachment",
    "aws_backup_selection",
    "aws_cloudwatch_event_target",
    "aws_route_table_association",
    "aws_iam_role_policy_attachment",
    "aws_iam_role_policy",
    "aws_scheduler_schedule",
    "aws_s3_bucket_ownership_controls",
    "aws_s3_bucket_public_access_block",
    "aws_s3_bucket_server_side_encryption_configuration",
    "aws_s3_bucket_versioning",
    "aws_s3_bucket_lifecycle_configuration",
    "aws_s3_bucket_policy",
    "aws_route53_record",
    "aws_acm_certificate_validation",
    "aws_volume_attachment",
    "aws_autoscaling_group", // tagged through `tag` blocks, checked below
    "aws_autoscaling_policy",
    "aws_autoscaling_schedule",
    "aws_kms_alias",
    "aws_sns_topic_subscription",
    "aws_sns_topic_policy",
    "aws_cloudwatch_dashboard",
    "aws_prometheus_alert_manager_definition",
]);

function allModules(tree: TerraformTree): TerraformModule[] {
    return [...tree.byDir.values()];
}

/** The reference's root and the part naming a declaration: "module.x.y" -> ["module", "x.y"]. */
function unresolvedReferences(module: TerraformModule, tree: TerraformTree): string[] {
    const problems: string[] = [];
    for (const ref of module.references) {
        const parts = ref.split(".");
        // module.<name>[0].<output> (a module with count) reads as module.<name>.0.<output>.
        if (parts[0] === "module" && /^[0-9]+$/.test(parts[2] ?? "")) {
            parts.splice(2, 1);
        }
        const [root, name, attribute] = parts;
        if (BUILTIN_ROOTS.has(root) || module.iterators.has(root)) {
            continue;
        }
        if (parts.length === 1) {
            // A bare word: type keywords (string, number) and ignore_changes attribute names.
            continue;
        }
        switch (root) {
            case "var":
                if (!module.variables.has(name)) {
                    problems.push(`${ref}: no variable "${name}"`);
                }
                break;
            case "local":
                if (!module.locals.has(name)) {
                    problems.push(`${ref}: no local "${name}"`);
                }
                break;
            case "module": {
                const call = module.moduleCalls.get(name);
                const target = call ? tree.byDir.get(moduleSourceDir(module, call) ?? "") : undefined;
                if (!call) {
                    problems.push(`${ref}: no module "${name}"`);
                } else if (!target) {
                    problems.push(`${ref}: module "${name}" has a source that is not a module of this repository`);
                } else if (attribute !== undefined && !target.outputs.has(attribute)) {
                    problems.push(`${ref}: module "${name}" (${target.dir}) has no output "${attribute}"`);
                }
                break;
            }
            case "data":
                if (!module.dataSources.has(`${name}.${attribute}`)) {
                    problems.push(`${ref}: no data source "${name}.${attribute}"`);
                }
                break;
            default:
                if (/^[a-z0-9]+_[a-z0-9_]+$/.test(root)) {
                    if (!module.resources.has(`${root}.${name}`)) {
                        problems.push(`${ref}: no resource "${root}.${name}"`);
                    }
                } else {
                    problems.push(`${ref}: unknown reference root "${root}"`);
                }
        }
    }
    return problems;
}

describe("terraform: files and structure", function () {
    let tree: TerraformTree;

    before(async function () {
        tree = await loadTerraform();
    });

    it("every .tf, .tfvars and .hcl file parses with HashiCorp's HCL parser", async function () {
        const files = walkFiles(TERRAFORM_ROOT, (f) => /\.(tf|tfvars|hcl)$/.test(f));
        expect(files.length, "HCL files under terraform/").to.be.greaterThan(30);
        for (const file of files) {
            const text = fs.readFileSync(file, "utf8");
            try {
                await parse(path.relative(REPO_ROOT, file), text);
            } catch (error) {
                expect.fail(`${path.relative(REPO_ROOT, file)} does not parse: ${String(error)}`);
            }
        }
    });

    it("has one directory per concern, each with main, variables, outputs and versions", function () {
        for (const name of MODULE_NAMES) {
            for (const file of ["main.tf", "variables.tf", "outputs.tf", "versions.tf"]) {
                expect(fs.existsSync(path.join(TERRAFORM_ROOT, "modules", name, file)), `modules/${name}/${file}`).to.equal(true);
            }
        }
        for (const file of ["main.tf", "variables.tf", "outputs.tf", "versions.tf", "providers.tf"]) {
            expect(fs.existsSync(path.join(ROOT_MODULE_DIR, file)), `stack/${file}`).to.equal(true);
        }
        for (const env of ENVIRONMENTS) {
            for (const file of ["backend.hcl", "terraform.tfvars"] as const) {
                expect(fs.existsSync(environmentFile(env, file)), `environments/${env}/${file}`).to.equal(true);
            }
        }
    });

    it("every variable has a type and a description, every output a description", function () {
        for (const module of allModules(tree)) {
            for (const [name, variable] of module.variables) {
                expect(typeOf(variable), `${module.dir}: variable ${name} type`).to.be.a("string").and.not.equal("");
                expect(variable.description, `${module.dir}: variable ${name} description`).to.be.a("string").with.length.greaterThan(10);
            }
            for (const [name, output] of module.outputs) {
                expect(output.description, `${module.dir}: output ${name} description`).to.be.a("string").with.length.greaterThan(10);
            }
        }
    });

    it("every module call passes only declared variables and every required one", function () {
        let calls = 0;
        for (const caller of [tree.root]) {
            for (const [name, call] of caller.moduleCalls) {
                calls += 1;
                const target = tree.byDir.get(moduleSourceDir(caller, call) ?? "");
                expect(target, `${caller.dir}: module ${name} source ${hclText(call.source)}`).to.not.equal(undefined);
                if (!target) {
                    continue;
                }
                const passed = Object.keys(call).filter((key) => !MODULE_META_ARGUMENTS.has(key));
                const undeclared = passed.filter((key) => !target.variables.has(key));
                expect(undeclared, `${caller.dir}: module ${name} passes variables ${target.dir} does not declare`).to.deep.equal([]);
                const required = [...target.variables].filter(([, v]) => !("default" in v)).map(([key]) => key);
                const missing = required.filter((key) => !passed.includes(key));
                expect(missing, `${caller.dir}: module ${name} misses required variables of ${target.dir}`).to.deep.equal([]);
            }
        }
        expect(calls, "module calls in the root: each module once").to.equal(MODULE_NAMES.length);
    });

    it("every var, local, module output, data source and resource reference resolves in its module", function () {
        for (const module of allModules(tree)) {
            expect(module.references.size, `${module.dir} makes references`).to.be.greaterThan(0);
            expect(unresolvedReferences(module, tree), module.dir).to.deep.equal([]);
        }
    });

    it("the reference check catches a reference to nothing", function () {
        const module = tree.modules.get("networking") as TerraformModule;
        const broken: TerraformModule = { ...module, references: new Set([...module.references, "var.no_such_variable", "aws_vpc.missing.id", "module.nope.out", "local.nothing"]) };
        expect(unresolvedReferences(broken, tree)).to.have.lengthOf(4);
    });

    it("every variable and local is used", function () {
        for (const module of allModules(tree)) {
            const used = [...module.references];
            for (const name of module.variables.keys()) {
                expect(used.some((ref) => ref === `var.${name}` || ref.startsWith(`var.${name}.`)), `${module.dir}: variable ${name} is never used`).to.equal(true);
            }
            for (const name of module.locals.keys()) {
                expect(used.some((ref) => ref === `local.${name}` || ref.startsWith(`local.${name}.`)), `${module.dir}: local ${name} is never used`).to.equal(true);
            }
        }
    });

    it("declares exactly the providers it uses (its own and its modules'), from hashicorp/, and a required_version", function () {
        // The version numbers themselves are derived and checked in versions.test.ts.
        for (const module of allModules(tree)) {
            const settings = module.files.flatMap((f) => f.document.terraform ?? []);
            const requiredVersion = settings.map((s) => s.required_version).find((v) => typeof v === "string");
            expect(requiredVersion, `${module.dir}: required_version`).to.match(/^>= 1\.1[0-9]$/);
            const providers = firstBlock(settings.map((s) => s.required_providers).find((p) => p !== undefined));
            expect(providers, `${module.dir}: required_providers`).to.not.equal(undefined);
            const declared = Object.keys(providers ?? {}).sort();
            const used = new Set<string>();
            for (const address of [...module.resources.keys(), ...module.dataSources.keys()]) {
                used.add(address.split("_")[0]);
            }
            for (const call of module.moduleCalls.values()) {
                const target = tree.byDir.get(moduleSourceDir(module, call) ?? "");
                for (const address of [...(target?.resources.keys() ?? []), ...(target?.dataSources.keys() ?? [])]) {
                    used.add(address.split("_")[0]);
                }
            }
            expect(declared, `${module.dir}: providers declared = providers used`).to.deep.equal([...used].sort());
            for (const name of declared) {
                const requirement = providers?.[name];
                expect(isHclBody(requirement) ? requirement.source : undefined, `${module.dir}: ${name} source`).to.equal(`hashicorp/${name}`);
            }
        }
    });

    it("tags every taggable AWS resource with the module's tags and a Name", function () {
        for (const module of tree.modules.values()) {
            const tagsLocal = expressionText(module.locals.get("tags"));
            const hasAws = [...module.resources.keys()].some((a) => a.startsWith("aws_"));
            if (!hasAws) {
                continue;
            }
            expect(tagsLocal?.replace(/\s+/g, ""), `${module.dir}: local.tags`).to.equal('merge(var.tags,{Service="memory-spine"})');
            for (const [address, resource] of module.resources) {
                if (!address.startsWith("aws_") || UNTAGGABLE_AWS_TYPES.has(address.split(".")[0])) {
                    continue;
                }
                const tags = expressionText(resource.tags);
                expect(tags, `${module.dir}: ${address} has tags`).to.be.a("string");
                expect(/^merge\(local\.tags, \{ Name = .+\}\)$/.test(tags ?? "") || tags === "local.node_tags", `${module.dir}: ${address} tags = merge(local.tags, { Name = ... }), got ${tags}`).to.equal(true);
            }
        }
        const spine = tree.modules.get("memory-spine") as TerraformModule;
        expect(expressionText(spine.locals.get("node_tags"))).to.match(/^merge\(local\.tags, \{ Name = /);
        const group = spine.resources.get("aws_autoscaling_group.this") as HclBody;
        const tagBlock = firstBlock(firstBlock(group.dynamic)?.tag);
        expect(tagBlock?.for_each, "ASG tags come from the node tags").to.equal("${local.node_tags}");
        expect(firstBlock(tagBlock?.content)?.propagate_at_launch).to.equal(true);
    });

    it("passes every boot-script template exactly the variables it uses", function () {
        let templates = 0;
        for (const module of tree.modules.values()) {
            for (const file of module.files) {
                // `for key, value in local.X :`, or `merge(local.X, { per-instance keys })` (one Qdrant node of several).
                for (const m of file.text.matchAll(/templatefile\("\$\{path\.module\}\/([^"]+)",\s*\{\s*for key, value in (?:merge\()?local\.([a-z_]+)(?:,\s*\{([^}]*)\}\))? :/g)) {
                    templates += 1;
                    const [, templatePath, localName, inline] = m;
                    const inlineKeys = [...(inline ?? "").matchAll(/([a-z_]+)\s*=/g)].map((k) => k[1]);
                    const templateFile = path.join(REPO_ROOT, module.dir, templatePath);
                    expect(fs.existsSync(templateFile), `${module.dir}: ${templatePath}`).to.equal(true);
                    const values = module.locals.get(localName);
                    expect(isHclBody(values), `${module.dir}: local.${localName} is an object of template values`).to.equal(true);
                    const given = [...Object.keys(isHclBody(values) ? values : {}), ...inlineKeys].sort();
                    const used = [...templateVariables(fs.readFileSync(templateFile, "utf8"))].sort();
                    expect(given, `${module.dir}: local.${localName} keys = variables of ${templatePath}`).to.deep.equal(used);
                }
            }
        }
        expect(templates, "templatefile() calls that shell-quote a local object").to.equal(2);
    });

    it("derives the HTTP/TLS listener set from enable_tls alone", function () {
        const spine = tree.modules.get("memory-spine") as TerraformModule;
        expect(spine.resources.get("aws_lb_listener.https")?.count).to.equal("${var.enable_tls ? 1 : 0}");
        expect(spine.resources.get("aws_lb_listener.http_redirect")?.count).to.equal("${var.enable_tls ? 1 : 0}");
        expect(spine.resources.get("aws_lb_listener.http")?.count).to.equal("${var.enable_tls ? 0 : 1}");
        const precondition = firstBlock(firstBlock(spine.resources.get("aws_lb_listener.http")?.lifecycle)?.precondition);
        expect(precondition?.condition, "plain HTTP only on an internal balancer").to.equal("${local.internal}");
        expect(expressionText(spine.locals.get("internal"))).to.equal('var.environment != "prod"');
        expect(spine.resources.get("aws_lb.this")?.subnets).to.equal("${local.internal ? var.private_subnet_ids : var.public_subnet_ids}");
    });
});
