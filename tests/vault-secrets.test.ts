import { expect } from "chai";
import { readOnlyPolicy } from "../components/vault-policy";
import { isSecretValue, plainValue } from "../tools/lib/recorded-resource";
import { onlyResource, resourcesOfType, runWith, shippedStack, SHIPPED_STACKS } from "./support/stacks";

const VAULT_ADDRESSES = { dev: "https://vault.dev.chaozcode.internal", staging: "https://vault.staging.chaozcode.internal", prod: "https://vault.prod.chaozcode.internal" };
const VPC_CIDRS = { dev: "10.10.0.0/16", staging: "10.20.0.0/16", prod: "10.30.0.0/16" };

/** Paths a policy grants, with their capabilities. */
function grants(policy: string): Record<string, string[]> {
    const result: Record<string, string[]> = {};
    for (const match of policy.matchAll(/path "([^"]+)" \{\s*capabilities = \[([^\]]*)\]\s*\}/g)) {
        result[match[1]] = match[2].split(",").map((c) => c.trim().replace(/"/g, ""));
    }
    return result;
}

/** Whether a Vault path glob (`*` at the end only) matches a concrete path. */
function matches(glob: string, path: string): boolean {
    return glob.endsWith("*") ? path.startsWith(glob.slice(0, -1)) : glob === path;
}

describe("Vault policy text", () => {
    it("derives the KV v2 data and metadata paths from the mount", () => {
        expect(grants(readOnlyPolicy("secret/ai-providers", "dev"))).to.deep.equal({
            "secret/ai-providers/data/dev/*": ["read"],
            "secret/ai-providers/metadata/dev/*": ["list"],
        });
        expect(grants(readOnlyPolicy("/kv/", "prod"))).to.deep.equal({ "kv/data/prod/*": ["read"], "kv/metadata/prod/*": ["list"] });
    });

    it("the dev policy grants nothing under staging or prod", () => {
        const dev = grants(readOnlyPolicy("secret/ai-providers", "dev"));
        for (const other of ["staging", "prod"]) {
            for (const path of [`secret/ai-providers/data/${other}/openai`, `secret/ai-providers/metadata/${other}/openai`, `secret/ai-providers/data/${other}`, "secret/ai-providers/data/devx/openai"]) {
                expect(Object.keys(dev).filter((glob) => matches(glob, path)), path).to.deep.equal([]);
            }
        }
        expect(Object.keys(dev).some((glob) => matches(glob, "secret/ai-providers/data/dev/openai"))).to.equal(true);
    });
});

for (const stack of SHIPPED_STACKS) {
    describe(`VaultSecrets (${stack} stack)`, () => {
        it("an explicit provider for this environment's Vault, with no token from config", async () => {
            const run = await shippedStack(stack);
            const provider = onlyResource(run, "pulumi:providers:vault");
            expect(provider.props.address).to.equal(VAULT_ADDRESSES[stack]);
            expect(provider.props.token).to.equal(undefined);
            const vaultResources = run.resources.filter((r) => r.type.startsWith("vault:"));
            expect(vaultResources.length).to.be.greaterThan(5);
            for (const resource of vaultResources) {
                expect(resource.options.provider?.startsWith(`${provider.urn}::`), resource.name).to.equal(true);
            }
        });

        it("the KV v2 mount secret/ai-providers, protected in prod only", async () => {
            const run = await shippedStack(stack);
            const mount = onlyResource(run, "vault:index/mount:Mount");
            expect(mount.props).to.deep.include({ path: "secret/ai-providers", type: "kv", options: { version: "2" } });
            expect(mount.options.protect).to.equal(stack === "prod");
        });

        it(`read-only policy memory-spine-${stack} limited to its own path`, async () => {
            const run = await shippedStack(stack);
            const policy = onlyResource(run, "vault:index/policy:Policy");
            expect(policy.props.name).to.equal(`memory-spine-${stack}`);
            expect(grants(policy.props.policy)).to.deep.equal({
                [`secret/ai-providers/data/${stack}/*`]: ["read"],
                [`secret/ai-providers/metadata/${stack}/*`]: ["list"],
            });
        });

        it("AppRole role with the reference's TTLs, bound to the VPC CIDR", async () => {
            const run = await shippedStack(stack);
            const backend = resourcesOfType(run, "vault:index/authBackend:AuthBackend").find((b) => b.props.type === "approle");
            expect(backend?.props.path).to.equal("approle");
            const role = onlyResource(run, "vault:appRole/authBackendRole:AuthBackendRole");
            expect(role.props).to.deep.include({
                backend: "approle", roleName: `memory-spine-${stack}`, tokenTtl: 3600, tokenMaxTtl: 14400,
                tokenPolicies: [`memory-spine-${stack}`], secretIdBoundCidrs: [VPC_CIDRS[stack]], tokenBoundCidrs: [VPC_CIDRS[stack]],
            });
        });

        it("AWS auth (IAM type) bound to the cluster nodes' role, which the boot script logs in with", async () => {
            const run = await shippedStack(stack);
            const backend = resourcesOfType(run, "vault:index/authBackend:AuthBackend").find((b) => b.props.type === "aws");
            expect(backend?.props.path).to.equal("aws");
            const role = onlyResource(run, "vault:aws/authBackendRole:AuthBackendRole");
            const nodeRole = onlyResource(run, "aws:iam/role:Role", "node-role");
            expect(role.props).to.deep.include({ backend: "aws", role: `memory-spine-${stack}`, authType: "iam", tokenTtl: 3600, tokenMaxTtl: 14400 });
            expect(role.props.boundIamPrincipalArns).to.deep.equal([plainValue(nodeRole.outputs?.arn)]);
            const lt = onlyResource(run, "aws:ec2/launchTemplate:LaunchTemplate");
            const script = Buffer.from(lt.props.userData, "base64").toString("utf8");
            expect(script).to.contain(`VAULT_ROLE='memory-spine-${stack}'`);
            expect(script).to.contain("VAULT_AWS_AUTH_PATH='aws'");
            expect(script).to.contain(`OPENAI_SECRET_PATH='secret/ai-providers/data/${stack}/openai'`);
            expect(script).to.match(/method "aws"/);
        });

        it("without openaiApiKey config, no secret value is managed", async () => {
            const run = await shippedStack(stack);
            expect(run.resources.filter((r) => r.type === "vault:kv/secretV2:SecretV2" && r.name.endsWith("-openai"))).to.have.lengthOf(0);
        });
    });
}

describe("VaultSecrets with the OpenAI key in secret config", () => {
    it("writes <env>/openai once as a secret with a rotation date 720 h ahead, ignoring later changes", async () => {
        const before = Date.now();
        const run = await runWith({
            stack: "staging",
            overrides: { openaiApiKey: { secure: "v1:ciphertext" }, openaiOrgId: { secure: "v1:ciphertext2" } },
        });
        expect(run.error).to.equal(undefined);
        const entry = run.resources.find((r) => r.type === "vault:kv/secretV2:SecretV2" && r.name.endsWith("-openai"));
        expect(entry?.inputs.name).to.equal("staging/openai");
        expect(isSecretValue(entry?.inputs.dataJson), "dataJson is a Pulumi secret").to.equal(true);
        const data = JSON.parse(plainValue(entry?.inputs.dataJson) as string) as Record<string, string>;
        expect(data.api_key).to.equal("[secret]");
        expect(data.organization_id).to.equal("[secret]");
        const due = Date.parse(data.rotation_due) - before;
        expect(due).to.be.within(720 * 3600 * 1000 - 60_000, 720 * 3600 * 1000 + 60_000);
        expect(entry?.options.ignoreChanges).to.deep.equal(["dataJson"]);
        for (const output of Object.values(run.outputs)) {
            expect(JSON.stringify(output.value)).to.not.contain("[secret]");
        }
    });

    it("refuses a provider key stored in plain text in the stack file", async () => {
        const run = await runWith({ stack: "dev", overrides: { openaiApiKey: "sk-plaintext" } });
        expect(run.error?.message).to.contain("memory-spine:openaiApiKey = \"(hidden)\": must be stored encrypted: pulumi config set --secret memory-spine:openaiApiKey");
        expect(run.error?.message).to.not.contain("sk-plaintext");
        expect(run.resources).to.have.lengthOf(0);
    });

    it("references existing auth backends when createVaultAuthBackends is false", async () => {
        const run = await runWith({ stack: "dev", overrides: { createVaultAuthBackends: false, vaultApproleBackendPath: "machines/approle" } });
        expect(resourcesOfType(run, "vault:index/authBackend:AuthBackend")).to.have.lengthOf(0);
        expect(onlyResource(run, "vault:appRole/authBackendRole:AuthBackendRole").props.backend).to.equal("machines/approle");
        expect(onlyResource(run, "vault:aws/authBackendRole:AuthBackendRole").props.backend).to.equal("aws");
    });
});
