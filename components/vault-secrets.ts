import * as pulumi from "@pulumi/pulumi";
import * as vault from "@pulumi/vault";
import type { Environment, VaultSettings } from "./config";
import { readOnlyPolicy } from "./vault-policy";

/** KV v2 mount of the AI provider keys, the same path in every environment's Vault. */
export const PROVIDER_KEYS_MOUNT = "secret/ai-providers";
export const TOKEN_TTL_SECONDS = 3600;
export const TOKEN_MAX_TTL_SECONDS = 14400;
/** Provider keys are due for rotation this long after they are written. */
export const ROTATION_PERIOD_HOURS = 720;

export interface VaultSecretsArgs {
    environment: Environment;
    vaultAddress: string;
    settings: VaultSettings;
    /** Machine auth is bound to this network (AppRole secret ids and tokens). */
    vpcCidr: pulumi.Input<string>;
    /** IAM role of the API nodes: the only principal the AWS auth role admits. */
    nodeRoleArn: pulumi.Input<string>;
    /** OpenAI credentials to write once; absent = everything but the value is managed. */
    openai?: { apiKey: pulumi.Output<string>; organizationId: pulumi.Output<string> };
    /** Qdrant's API key, kept next to the provider keys for the nodes. */
    qdrantApiKey?: pulumi.Output<string>;
    /** The key-value layer's AUTH token, kept next to the provider keys for the nodes. */
    kvAuthToken?: pulumi.Output<string>;
}

/**
 * Memory Spine's secrets in this environment's Vault: the KV v2 mount with the OpenAI entry,
 * a read-only policy for the environment's own path, and machine auth (AppRole as in the
 * reference, and the AWS IAM method the nodes use). The Vault token comes from VAULT_TOKEN in
 * the environment of whoever runs Pulumi; it is never config and never in state.
 */
export class VaultSecrets extends pulumi.ComponentResource {
    readonly mountPath: pulumi.Output<string>;
    readonly policyName: pulumi.Output<string>;
    readonly roleName: string;

    constructor(name: string, args: VaultSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("memory-spine:secrets:VaultSecrets", name, {}, opts);
        const env = args.environment;
        const isProd = env === "prod";
        this.roleName = `memory-spine-${env}`;

        const provider = new vault.Provider(`vault-${env}`, {
            address: args.vaultAddress,
            // No token argument: the provider reads VAULT_TOKEN itself, so it never reaches state.
            skipChildToken: false,
            maxLeaseTtlSeconds: 1200,
        }, { parent: this });
        const options = { parent: this, provider };

        const mount = new vault.Mount(`${this.roleName}-provider-keys`, {
            path: PROVIDER_KEYS_MOUNT,
            type: "kv",
            options: { version: "2" },
            description: "AI provider API keys (KV v2, versioned)",
        }, { ...options, protect: isProd });

        if (args.openai) {
            const rotationDue = new Date(Date.now() + ROTATION_PERIOD_HOURS * 3600 * 1000).toISOString();
            new vault.kv.SecretV2(`${this.roleName}-openai`, {
                mount: mount.path,
                name: `${env}/openai`,
                dataJson: pulumi.secret(pulumi.all([args.openai.apiKey, args.openai.organizationId]).apply(([apiKey, organizationId]) =>
                    JSON.stringify({ api_key: apiKey, organization_id: organizationId, rotation_due: rotationDue }))),
            }, {
                ...options,
                // Rotations happen in Vault (vault kv put); a later `pulumi up` must not undo them.
                ignoreChanges: ["dataJson"],
            });
        }

        if (args.qdrantApiKey) {
            new vault.kv.SecretV2(`${this.roleName}-qdrant`, {
                mount: mount.path,
                name: `${env}/qdrant`,
                dataJson: pulumi.secret(args.qdrantApiKey.apply((apiKey) => JSON.stringify({ api_key: apiKey }))),
            }, options);
        }

        if (args.kvAuthToken) {
            // Follows the token Pulumi manages: a rotation (README) updates the entry, and the
            // nodes' Vault Agent renders the new token.
            new vault.kv.SecretV2(`${this.roleName}-kv`, {
                mount: mount.path,
                name: `${env}/kv`,
                dataJson: pulumi.secret(args.kvAuthToken.apply((token) => JSON.stringify({ auth_token: token }))),
            }, options);
        }

        const policy = new vault.Policy(this.roleName, {
            name: this.roleName,
            policy: mount.path.apply((path) => readOnlyPolicy(path, env)),
        }, options);

        // Created here, or an existing mount referenced by its path.
        const authBackendPath = (type: "approle" | "aws", path: string, description: string) =>
            args.settings.createAuthBackends
                ? new vault.AuthBackend(`${this.roleName}-${type}`, { type, path, description }, options).path
                : pulumi.output(path);

        const approlePath = authBackendPath("approle", args.settings.approlePath, "AppRole machine auth");
        new vault.approle.AuthBackendRole(`${this.roleName}-approle-role`, {
            backend: approlePath,
            roleName: this.roleName,
            tokenPolicies: [policy.name],
            tokenTtl: TOKEN_TTL_SECONDS,
            tokenMaxTtl: TOKEN_MAX_TTL_SECONDS,
            secretIdBoundCidrs: [args.vpcCidr],
            tokenBoundCidrs: [args.vpcCidr],
        }, options);

        const awsAuthPath = authBackendPath("aws", args.settings.awsAuthPath, "AWS IAM machine auth for EC2 nodes");
        new vault.aws.AuthBackendRole(`${this.roleName}-aws-role`, {
            backend: awsAuthPath,
            role: this.roleName,
            authType: "iam",
            boundIamPrincipalArns: [args.nodeRoleArn],
            resolveAwsUniqueIds: true,
            tokenPolicies: [policy.name],
            tokenTtl: TOKEN_TTL_SECONDS,
            tokenMaxTtl: TOKEN_MAX_TTL_SECONDS,
        }, options);

        this.mountPath = mount.path;
        this.policyName = policy.name;
        this.registerOutputs({ mountPath: this.mountPath, policyName: this.policyName });
    }
}
