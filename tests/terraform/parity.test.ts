import { expect } from "chai";
import { runWith, shippedStack, SHIPPED_STACKS } from "../support/stacks";
import type { ProgramRun } from "../../tools/lib/mock-runtime";
import { loadTerraform, TerraformTree } from "./helpers/terraform";
import { COMPONENT_MODULES, TERRAFORM_TYPES } from "./helpers/type-map";

/** Pulumi type tokens the program registers, grouped by the component that owns them. */
function typesByComponent(run: ProgramRun): Map<string, Set<string>> {
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    const result = new Map<string, Set<string>>();
    for (const resource of run.resources) {
        if (!resource.custom || resource.type.startsWith("pulumi:providers:")) {
            continue;
        }
        // The owning concern is the outermost memory-spine component above the resource.
        let owner: string | undefined;
        for (let parent = resource.parent; parent; parent = byUrn.get(parent)?.parent) {
            const type = byUrn.get(parent)?.type;
            if (type && type in COMPONENT_MODULES) {
                owner = type;
            }
        }
        expect(owner, `${resource.type} ${resource.name} belongs to no mapped component`).to.be.a("string");
        const types = result.get(owner as string) ?? new Set<string>();
        types.add(resource.type);
        result.set(owner as string, types);
    }
    return result;
}

function terraformTypesOf(tree: TerraformTree, moduleName: string): Set<string> {
    const module = tree.modules.get(moduleName);
    expect(module, `terraform/modules/${moduleName}`).to.not.equal(undefined);
    return new Set([...(module?.resources.keys() ?? [])].map((address) => address.split(".")[0]));
}

describe("resource parity: every Pulumi resource type has its Terraform counterpart in the matching module", () => {
    const runs: { label: string; run: () => Promise<ProgramRun> }[] = [
        ...SHIPPED_STACKS.map((stack) => ({ label: stack, run: () => shippedStack(stack) })),
        // Each stack exercises one vector store; cover the other engine in prod posture too.
        { label: "prod with pgvector", run: () => runWith({ stack: "prod", overrides: { vectorStoreEngine: "pgvector" } }) },
        { label: "dev with existing VPC", run: () => runWith({ stack: "dev", overrides: { existingVpcId: "vpc-0123456789abcdef0", existingPublicSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"], existingPrivateSubnetIds: ["subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2"] } }) },
    ];
    for (const { label, run } of runs) {
        it(label, async () => {
            const [program, tree] = await Promise.all([run(), loadTerraform()]);
            expect(program.error).to.equal(undefined);
            for (const [component, types] of typesByComponent(program)) {
                const moduleName = COMPONENT_MODULES[component];
                const declared = terraformTypesOf(tree, moduleName);
                for (const type of types) {
                    const terraformType = TERRAFORM_TYPES[type];
                    expect(terraformType, `no Terraform type mapped for ${type}`).to.be.a("string");
                    expect([...declared], `${type} (${component}) -> ${terraformType} in terraform/modules/${moduleName}`).to.include(terraformType);
                }
            }
        });
    }

    it("the Vault provider is explicit in every environment, without a token", async () => {
        const tree = await loadTerraform();
        for (const [env, module] of tree.environments) {
            const vault = module.providers.get("vault");
            expect(vault, `${env} provider "vault"`).to.not.equal(undefined);
            expect(vault && "token" in vault, `${env} vault token`).to.equal(false);
        }
    });
});
