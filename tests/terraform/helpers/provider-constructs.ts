/**
 * The one place that says which Terraform and provider releases the HCL needs, and why.
 *
 * Every module's `required_version` and `required_providers` floor is derived from this table:
 * the newest `since` among the constructs the module (and, for the root, the modules it calls)
 * uses, or the baseline. `tests/terraform/versions.test.ts` checks each constraint against it,
 * and the offline `terraform validate` against provider 5.100 tolerates exactly the errors of
 * the constructs listed here as newer than that provider (see `OFFLINE_AWS_PROVIDER`).
 *
 * Adding a construct that only a newer release has: add it here with its first release and
 * source; the test then names every versions.tf whose floor must rise.
 */
import { HclBody, HclValue, TerraformModule, isHclBody } from "./terraform";

export type ProviderName = "aws" | "vault" | "random";

/** What a construct is, so that its use can be found in the parsed HCL. */
export type ConstructUse =
    /** An argument or nested block of a resource type (also when produced by a `dynamic` block). */
    | { kind: "argument"; resource: string; argument: string }
    /** An attribute read from a data source: data.<type>.<name>.<attribute>. */
    | { kind: "data-attribute"; data: string; attribute: string }
    /** Any write-only argument (`*_wo`) of any resource: a Terraform core feature. */
    | { kind: "write-only-arguments" };

export interface VersionedConstruct {
    /** Short name used in messages, e.g. "aws_budgets_budget.metrics". */
    name: string;
    /** "terraform" for core features, otherwise the provider that introduced it. */
    product: "terraform" | ProviderName;
    use: ConstructUse;
    /** The first release that has it. */
    since: string;
    /** Constructs that using this one correctly needs as well (their floors apply too). */
    requires?: string[];
    /** Where the version comes from. */
    source: string;
    /**
     * For plan tests against an older offline provider only (never for validate, which must see
     * the construct): how the temporary copy of a module is rewritten so that the older provider
     * can plan it, and the reason that is sound. Test files that reference the construct are not
     * run against such a provider.
     */
    offline?: { rewrite: (tf: string) => string; why: string };
}

/** The oldest release of each product the project supports at all, with the reason. */
export const BASELINES: Record<"terraform" | ProviderName, { since: string; reason: string }> = {
    terraform: { since: "1.10.0", reason: "S3 state locking without DynamoDB (use_lockfile) arrived in Terraform 1.10; the project never supports older cores" },
    aws: { since: "6.0.0", reason: "hashicorp/aws 6.x is the provider generation behind @pulumi/aws 7, so both forms describe the same resources" },
    vault: { since: "5.0.0", reason: "hashicorp/vault 5.x is the generation behind @pulumi/vault 7" },
    random: { since: "3.6.0", reason: "hashicorp/random 3.6 is the oldest release the project has been run against" },
};

export const VERSIONED_CONSTRUCTS: VersionedConstruct[] = [
    {
        name: "write-only arguments (*_wo)",
        product: "terraform",
        use: { kind: "write-only-arguments" },
        since: "1.11.0",
        source: "Terraform 1.11.0 introduced write-only arguments (the Vault secret's data_json_wo never enters state)",
    },
    {
        name: "data.aws_region.<name>.region",
        product: "aws",
        use: { kind: "data-attribute", data: "aws_region", attribute: "region" },
        since: "6.0.0",
        source: "hashicorp/aws 6.0.0 added `region` to the aws_region data source and deprecated `name` (v6 upgrade guide); 5.100 has no such attribute",
        offline: {
            rewrite: (tf) => tf.replace(/\b(data\.aws_region\.[a-z0-9_]+)\.region\b/g, "$1.name"),
            why: "5.x names the same value `name`: the region the provider is configured for",
        },
    },
    {
        name: "aws_budgets_budget.filter_expression",
        product: "aws",
        use: { kind: "argument", resource: "aws_budgets_budget", argument: "filter_expression" },
        since: "6.33.0",
        requires: ["aws_budgets_budget.metrics"],
        source:
            "added by terraform-provider-aws PR #46501 (February 2026): absent from 6.25.0's schema, present in 6.33.0. The provider documents it as " +
            "\"requires metrics\" (issue #46866: without metrics the budget cannot be evaluated), so using it needs metrics' floor",
        offline: {
            rewrite: (tf) => removeBlocks(tf, "filter_expression"),
            why: "the older provider cannot plan the block at all; budget.tftest.hcl, which asserts it, is not run against it",
        },
    },
    {
        name: "aws_budgets_budget.metrics",
        product: "aws",
        use: { kind: "argument", resource: "aws_budgets_budget", argument: "metrics" },
        since: "6.42.0",
        source:
            "added by terraform-provider-aws PR #47047 (acceptance-tested 2026-04-14, after 6.35.1, which issue #46866 reports still without it). " +
            "6.41.0 was released 2026-04-15, a day later; whether the change made it is not confirmed by any release note we could read, " +
            "so the floor is 6.42.0, the first release that certainly follows the merge",
        offline: {
            rewrite: (tf) => tf.replace(/^\s*metrics\s*=.*\n/gm, ""),
            why: "the older provider has no such argument; budget.tftest.hcl, which asserts it, is not run against it",
        },
    },
    {
        name: "vault_kv_secret_v2.data_json_wo",
        product: "vault",
        use: { kind: "argument", resource: "vault_kv_secret_v2", argument: "data_json_wo" },
        since: "5.0.0",
        source: "hashicorp/vault 5.0.0 added the first write-only attributes, data_json_wo among them (its v5.0.0 upgrade guide, PR #2468)",
    },
];

/**
 * The newest provider release available offline on this kind of machine (/opt/tf-plugins).
 * Constructs newer than it fail `terraform validate` there by design; only those are tolerated.
 */
export const OFFLINE_AWS_PROVIDER = "5.100.0";

/** Removes every `name { ... }` block (braces balanced; strings and comments are not special-cased). */
function removeBlocks(tf: string, name: string): string {
    let text = tf;
    for (let start = text.search(new RegExp(`^[ \\t]*${name}\\s*\\{`, "m")); start >= 0; start = text.search(new RegExp(`^[ \\t]*${name}\\s*\\{`, "m"))) {
        let depth = 0;
        let end = text.indexOf("{", start);
        for (; end < text.length; end += 1) {
            if (text[end] === "{") {
                depth += 1;
            } else if (text[end] === "}" && --depth === 0) {
                break;
            }
        }
        text = text.slice(0, start) + text.slice(text.indexOf("\n", end) + 1);
    }
    return text;
}

/** A regular expression matching references to a construct in HCL text (test files included). */
export function referencePattern(use: ConstructUse): RegExp | undefined {
    switch (use.kind) {
        case "argument":
            return new RegExp(`\\b${use.resource}\\.[a-z0-9_]+(\\[[^\\]]*\\])?\\.${use.argument}\\b`);
        case "data-attribute":
            return new RegExp(`\\bdata\\.${use.data}\\.[a-z0-9_]+(\\[[^\\]]*\\])?\\.${use.attribute}\\b`);
        case "write-only-arguments":
            return undefined;
    }
}

/** The argument or attribute name Terraform's errors quote for a construct. */
export function quotedName(use: ConstructUse): string | undefined {
    return use.kind === "argument" ? use.argument : use.kind === "data-attribute" ? use.attribute : undefined;
}

function bodyHasArgument(body: HclValue | undefined, argument: string): boolean {
    if (!isHclBody(body)) {
        return false;
    }
    if (argument in body) {
        return true;
    }
    const dynamic = body.dynamic;
    return isHclBody(dynamic) && argument in dynamic;
}

function uses(module: TerraformModule, use: ConstructUse): boolean {
    switch (use.kind) {
        case "argument":
            return [...module.resources].some(([address, body]) => address.startsWith(`${use.resource}.`) && bodyHasArgument(body, use.argument));
        case "data-attribute":
            return [...module.references].some((ref) => {
                const [root, type, , attribute] = ref.split(".");
                return root === "data" && type === use.data && attribute === use.attribute;
            });
        case "write-only-arguments":
            return [...module.resources.values()].some((body: HclBody) => Object.keys(body).some((key) => /^[a-z0-9_]+_wo$/.test(key)));
    }
}

/** The constructs of the table a module's own .tf files use, with the ones they require. */
export function constructsUsedBy(module: TerraformModule): VersionedConstruct[] {
    const used = VERSIONED_CONSTRUCTS.filter((c) => uses(module, c.use));
    const required = used.flatMap((c) => c.requires ?? []).map((name) => {
        const found = VERSIONED_CONSTRUCTS.find((c) => c.name === name);
        if (!found) {
            throw new Error(`construct ${name} is required but not in VERSIONED_CONSTRUCTS`);
        }
        return found;
    });
    return [...new Set([...used, ...required])];
}
