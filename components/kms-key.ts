import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

export interface CustomerManagedKeyArgs {
    description: string;
    /** The alias, `alias/<name>`. */
    alias: string;
    tags: aws.kms.KeyArgs["tags"];
    /**
     * Key policy statements beyond the account administering its own key (which always comes first).
     * Leave out to keep AWS's default key policy, which grants the same administration.
     */
    grants?: readonly unknown[];
}

/** Logical names of the key and its alias resource (callers keep the names their state already has). */
export interface CustomerManagedKeyNames {
    key: string;
    alias: string;
}

/**
 * A customer-managed KMS key as every component of the stack makes one: yearly rotation on, a
 * 30-day deletion window, the account administering it, and an alias. The one place those
 * settings live, so that no key can be created without rotation.
 */
export function customerManagedKey(
    names: CustomerManagedKeyNames,
    args: CustomerManagedKeyArgs,
    opts: pulumi.CustomResourceOptions & { parent: pulumi.Resource },
): aws.kms.Key {
    const parent = { parent: opts.parent };
    let policy: pulumi.Output<string> | undefined;
    if (args.grants !== undefined) {
        const account = aws.getCallerIdentityOutput({}, parent).accountId;
        const partition = aws.getPartitionOutput({}, parent).partition;
        policy = pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [
                { Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: pulumi.interpolate`arn:${partition}:iam::${account}:root` }, Action: "kms:*", Resource: "*" },
                ...args.grants,
            ],
        });
    }
    const key = new aws.kms.Key(names.key, {
        description: args.description,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        ...(policy === undefined ? {} : { policy }),
        tags: args.tags,
    }, opts);
    new aws.kms.Alias(names.alias, { name: args.alias, targetKeyId: key.keyId }, parent);
    return key;
}
