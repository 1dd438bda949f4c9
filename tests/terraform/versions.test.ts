import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { BASELINES, ProviderName, VersionedConstruct, constructsUsedBy } from "./helpers/provider-constructs";
import { HclBody, REPO_ROOT, TerraformModule, TerraformTree, firstBlock, isHclBody, loadTerraform, moduleSourceDir } from "./helpers/terraform";
import {
    Version,
    compareVersions,
    formatVersion,
    maxVersion,
    npmAdmits,
    npmSpecLowest,
    parseVersion,
    terraformAdmits,
    terraformLowerBound,
} from "./helpers/version-constraints";

type Product = "terraform" | ProviderName;

/** What a module states: required_version and each required provider's constraint. */
function statedConstraints(module: TerraformModule): Map<Product, string> {
    const settings = module.files.flatMap((f) => f.document.terraform ?? []);
    const stated = new Map<Product, string>();
    const requiredVersion = settings.map((s) => s.required_version).find((v): v is string => typeof v === "string");
    if (requiredVersion !== undefined) {
        stated.set("terraform", requiredVersion);
    }
    const providers = firstBlock(settings.map((s) => s.required_providers).find((p) => p !== undefined)) ?? {};
    for (const [name, requirement] of Object.entries(providers)) {
        if (isHclBody(requirement) && typeof requirement.version === "string") {
            stated.set(name as ProviderName, requirement.version);
        }
    }
    return stated;
}

interface Floor {
    version: Version;
    /** Why: the baseline or the constructs (and modules) that set it. */
    because: string[];
}

/**
 * The oldest release of each product a module needs: the baseline, raised by every construct its
 * own files use and, for a caller, by the floors of the modules it calls.
 */
function requiredFloors(module: TerraformModule, tree: TerraformTree, seen = new Set<string>()): Map<Product, Floor> {
    const floors = new Map<Product, Floor>();
    const raise = (product: Product, version: Version, because: string): void => {
        const current = floors.get(product);
        if (!current || compareVersions(version, current.version) > 0) {
            floors.set(product, { version, because: [because] });
        } else if (compareVersions(version, current.version) === 0) {
            current.because.push(because);
        }
    };
    const stated = statedConstraints(module);
    for (const product of stated.keys()) {
        raise(product, parseVersion(BASELINES[product].since), `baseline: ${BASELINES[product].reason}`);
    }
    for (const construct of constructsUsedBy(module)) {
        raise(construct.product, parseVersion(construct.since), `${construct.name} (since ${construct.since})`);
    }
    seen.add(module.dir);
    for (const [name, call] of module.moduleCalls) {
        const target = tree.byDir.get(moduleSourceDir(module, call) ?? "");
        if (!target || seen.has(target.dir)) {
            continue;
        }
        for (const [product, floor] of requiredFloors(target, tree, seen)) {
            raise(product, floor.version, `module.${name} (${target.dir}) needs ${product} ${formatVersion(floor.version)}`);
        }
    }
    return floors;
}

/** Every way a module's stated constraints disagree with what it uses. Empty when they agree. */
export function versionProblems(module: TerraformModule, tree: TerraformTree): string[] {
    const problems: string[] = [];
    const stated = statedConstraints(module);
    for (const [product, floor] of requiredFloors(module, tree)) {
        const constraint = stated.get(product);
        const needed = formatVersion(floor.version);
        const label = product === "terraform" ? "required_version" : `required_providers.${product}`;
        if (constraint === undefined) {
            problems.push(`${module.dir}: ${label} is missing; it needs ${product} >= ${needed} (${floor.because.join("; ")})`);
            continue;
        }
        const lower = terraformLowerBound(constraint);
        if (compareVersions(lower, floor.version) < 0) {
            problems.push(`${module.dir}: ${label} = "${constraint}" admits ${product} ${formatVersion(lower)}, but it needs >= ${needed} (${floor.because.join("; ")})`);
        } else if (compareVersions(lower, floor.version) > 0) {
            problems.push(`${module.dir}: ${label} = "${constraint}" requires ${formatVersion(lower)}, more than anything it uses needs (${needed}: ${floor.because.join("; ")})`);
        }
        if (!terraformAdmits(constraint, floor.version)) {
            problems.push(`${module.dir}: ${label} = "${constraint}" refuses ${product} ${needed}, the release it is derived from`);
        }
        if (product !== "terraform" && terraformAdmits(constraint, [floor.version[0] + 1, 0, 0])) {
            problems.push(`${module.dir}: ${label} = "${constraint}" admits the next major version ${floor.version[0] + 1}.x, whose breaking changes nothing here was checked against`);
        }
    }
    return problems;
}

/** A copy of a module with some constraints replaced and some resource bodies added. */
function variant(module: TerraformModule, constraints: Record<string, string>, resources: Record<string, HclBody> = {}): TerraformModule {
    const files = module.files.map((file) => {
        const terraform = (file.document.terraform ?? []).map((settings) => {
            const next: HclBody = { ...settings };
            if ("terraform" in constraints && "required_version" in next) {
                next.required_version = constraints.terraform;
            }
            const providers = firstBlock(settings.required_providers);
            if (providers) {
                const replaced: HclBody = {};
                for (const [name, requirement] of Object.entries(providers)) {
                    replaced[name] = isHclBody(requirement) && name in constraints ? { ...requirement, version: constraints[name] } : requirement;
                }
                next.required_providers = [replaced];
            }
            return next;
        });
        return { ...file, document: { ...file.document, terraform } };
    });
    return { ...module, files, resources: new Map([...module.resources, ...Object.entries(resources)]) };
}

describe("terraform: version constraints are derived from what the HCL uses", function () {
    let tree: TerraformTree;

    before(async function () {
        tree = await loadTerraform();
    });

    it("every module and the root state the floors their constructs need, no lower and no higher", function () {
        const problems = [...tree.byDir.values()].flatMap((module) => versionProblems(module, tree));
        expect(problems, problems.join("\n")).to.deep.equal([]);
    });

    it("the budget's filter_expression raises the aws floor to the first release with its companion metrics", function () {
        const monitoring = tree.modules.get("monitoring") as TerraformModule;
        const used = constructsUsedBy(monitoring).map((c: VersionedConstruct) => c.name);
        expect(used).to.include.members(["aws_budgets_budget.filter_expression", "aws_budgets_budget.metrics", "data.aws_region.<name>.region"]);
        expect(formatVersion(requiredFloors(monitoring, tree).get("aws")?.version ?? [0, 0, 0])).to.equal("6.42.0");
        // The root calls monitoring, so it needs the same floor.
        expect(formatVersion(requiredFloors(tree.root, tree).get("aws")?.version ?? [0, 0, 0])).to.equal("6.42.0");
    });

    it("catches defect 2: `~> 6.0` admits providers without filter_expression and metrics", function () {
        const monitoring = tree.modules.get("monitoring") as TerraformModule;
        const problems = versionProblems(variant(monitoring, { aws: "~> 6.0" }), tree);
        expect(problems.join("\n")).to.contain('required_providers.aws = "~> 6.0" admits aws 6.0.0, but it needs >= 6.42.0').and.contain("aws_budgets_budget.metrics");
    });

    it("catches a module that starts using a construct its floor does not admit, and a floor raised for nothing", function () {
        const networking = tree.modules.get("networking") as TerraformModule;
        const withBudget = variant(networking, {}, { "aws_budgets_budget.extra": { filter_expression: [{}], metrics: ["UnblendedCost"] } });
        expect(versionProblems(withBudget, tree).join("\n")).to.contain("needs >= 6.42.0");
        expect(versionProblems(variant(networking, { aws: "~> 6.50" }), tree).join("\n")).to.contain("more than anything it uses needs (6.0.0");
        expect(versionProblems(variant(networking, { aws: ">= 6.0" }), tree).join("\n")).to.contain("admits the next major version 7.x");
    });

    it("catches a root whose Terraform floor is below what a called module needs (write-only arguments)", function () {
        const problems = versionProblems(variant(tree.root, { terraform: ">= 1.10" }), tree);
        expect(problems.join("\n")).to.contain('required_version = ">= 1.10" admits terraform 1.10.0, but it needs >= 1.11.0').and.contain("module.secrets");
    });

    it("understands Terraform's constraint operators", function () {
        expect(terraformAdmits("~> 6.42", parseVersion("6.42.0"))).to.equal(true);
        expect(terraformAdmits("~> 6.42", parseVersion("6.99.3"))).to.equal(true);
        expect(terraformAdmits("~> 6.42", parseVersion("7.0.0"))).to.equal(false);
        expect(terraformAdmits("~> 6.42", parseVersion("6.41.9"))).to.equal(false);
        expect(terraformAdmits("~> 6.42.1", parseVersion("6.43.0"))).to.equal(false);
        expect(terraformAdmits(">= 1.11, < 2.0", parseVersion("1.11.4"))).to.equal(true);
        expect(formatVersion(terraformLowerBound(">= 1.11, < 2.0"))).to.equal("1.11.0");
        expect(formatVersion(maxVersion([parseVersion("6.33.0"), parseVersion("6.42.0"), parseVersion("6.0")]))).to.equal("6.42.0");
    });
});

interface WorkflowStep {
    uses?: string;
    with?: Record<string, string | number | boolean>;
}

const WORKFLOW_DIR = path.join(REPO_ROOT, ".github", "workflows");

/** Every step of every workflow that uses an action whose name starts with `action`. */
function stepsUsing(action: string): { file: string; job: string; step: WorkflowStep }[] {
    return fs
        .readdirSync(WORKFLOW_DIR)
        .filter((f) => /\.ya?ml$/.test(f))
        .flatMap((file) => {
            const workflow = parse(fs.readFileSync(path.join(WORKFLOW_DIR, file), "utf8")) as { jobs?: Record<string, { steps?: WorkflowStep[] }> };
            return Object.entries(workflow.jobs ?? {}).flatMap(([job, definition]) =>
                (definition.steps ?? []).filter((step) => step.uses?.startsWith(`${action}@`)).map((step) => ({ file, job, step })),
            );
        });
}

/** Problems of a tool version a workflow installs against the constraints the project states. */
export function workflowVersionProblems(where: string, spec: string | number | boolean | undefined, required: { what: string; admits: (v: Version) => boolean }[]): string[] {
    if (spec === undefined || typeof spec === "boolean") {
        return [`${where}: states no version, so it installs whatever is newest on the day`];
    }
    let lowest: Version;
    try {
        lowest = npmSpecLowest(spec);
    } catch (error) {
        return [`${where}: ${(error as Error).message}`];
    }
    return required.filter((r) => !r.admits(lowest)).map((r) => `${where}: "${String(spec)}" may install ${formatVersion(lowest)}, which ${r.what} refuses`);
}

describe("workflows install the Terraform and Node versions the project requires", function () {
    let tree: TerraformTree;

    before(async function () {
        tree = await loadTerraform();
    });

    function terraformRequirements(): { what: string; admits: (v: Version) => boolean }[] {
        return [...tree.byDir.values()].flatMap((module) => {
            const constraint = statedConstraints(module).get("terraform");
            return constraint === undefined ? [] : [{ what: `${module.dir} (required_version "${constraint}")`, admits: (v: Version) => terraformAdmits(constraint, v) }];
        });
    }

    function nodeRequirement(): { what: string; admits: (v: Version) => boolean } {
        const engines = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { engines?: { node?: string } }).engines?.node;
        expect(engines, "package.json engines.node").to.be.a("string");
        return { what: `package.json engines.node "${String(engines)}"`, admits: (v: Version) => npmAdmits(String(engines), v) };
    }

    it("every hashicorp/setup-terraform step satisfies every required_version of terraform/", function () {
        const steps = stepsUsing("hashicorp/setup-terraform");
        expect(steps, "the drift workflow installs Terraform").to.not.be.empty;
        const requirements = terraformRequirements();
        const problems = steps.flatMap(({ file, job, step }) => workflowVersionProblems(`${file} ${job}`, step.with?.terraform_version, requirements));
        expect(problems, problems.join("\n")).to.deep.equal([]);
    });

    it("every actions/setup-node step satisfies package.json engines", function () {
        const steps = stepsUsing("actions/setup-node");
        expect(steps.length, "workflows that install Node").to.be.greaterThan(2);
        const problems = steps.flatMap(({ file, job, step }) => workflowVersionProblems(`${file} ${job}`, step.with?.["node-version"], [nodeRequirement()]));
        expect(problems, problems.join("\n")).to.deep.equal([]);
    });

    it("the provider mirror CI builds for the offline Terraform tests asks for the root's aws constraint", function () {
        const workflow = parse(fs.readFileSync(path.join(WORKFLOW_DIR, "pull-request.yml"), "utf8")) as { jobs: Record<string, { steps?: { run?: string }[] }> };
        const mirror = Object.values(workflow.jobs).flatMap((job) => job.steps ?? []).find((step) => step.run?.includes("providers mirror"));
        expect(mirror, "pull-request.yml mirrors the AWS provider").to.not.equal(undefined);
        const rootAws = statedConstraints(tree.root).get("aws");
        expect(mirror?.run).to.contain(`version = "${String(rootAws)}"`);
    });

    it("catches defect 3: Terraform ~1.10 against a root that requires >= 1.11", function () {
        const problems = workflowVersionProblems("drift.yml terraform", "~1.10", terraformRequirements());
        expect(problems.join("\n")).to.contain('"~1.10" may install 1.10.0, which terraform/stack (required_version ">= 1.11") refuses');
        expect(workflowVersionProblems("x", undefined, terraformRequirements())).to.have.lengthOf(1);
        expect(workflowVersionProblems("x", "latest", terraformRequirements())[0]).to.contain("cannot check version spec");
    });

    it("catches a Node older than the engines allow", function () {
        expect(workflowVersionProblems("pull-request.yml test", 18, [nodeRequirement()])).to.have.lengthOf(1);
        expect(workflowVersionProblems("pull-request.yml test", "20.x", [nodeRequirement()]), "20.x may be older than engines' 20.19").to.have.lengthOf(1);
        expect(workflowVersionProblems("pull-request.yml test", "20.19", [nodeRequirement()])).to.deep.equal([]);
        expect(npmAdmits(">=20", parseVersion("22.1.0"))).to.equal(true);
        expect(npmAdmits("^20", parseVersion("22.1.0"))).to.equal(false);
    });
});
