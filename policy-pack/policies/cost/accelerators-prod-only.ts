/** Cost: GPU/accelerator instance families (p, g, inf, trn, dl, ...) only in the allowed environments (prod). */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { environmentListSchema, environmentOf, environmentSchema } from "../lib/environment";
import { INSTANCE_TYPE_BEARING_TYPES, instanceTypeUses, parseInstanceType } from "../lib/instance-types";
import { validateTypes } from "../lib/policy";
import { describe } from "../lib/types";

export interface AcceleratorsConfig {
    /** Instance series (the letters before the generation digit) that are GPU/accelerator families. */
    acceleratorFamilyPrefixes: string[];
    allowedEnvironments: string[];
    environment?: string;
}

export const ACCELERATORS_DEFAULTS: AcceleratorsConfig = {
    acceleratorFamilyPrefixes: ["p", "g", "gr", "inf", "trn", "dl"],
    allowedEnvironments: ["prod"],
};

export const acceleratorsProdOnly: ResourceValidationPolicy = {
    name: "accelerators-prod-only",
    description:
        "Refuses GPU/accelerator instance families (p, g, gr, inf, trn, dl: the family letters before the generation " +
        "digit, so g5 matches and m6g does not) outside the allowed environments (prod). The environment is the " +
        "resource's Environment tag, else the policy config `environment`. Use a general-purpose or memory-optimised " +
        "type (t3, m6i, r6i) outside prod.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            acceleratorFamilyPrefixes: {
                type: "array",
                items: { type: "string", pattern: "^[a-z]+$" },
                default: ACCELERATORS_DEFAULTS.acceleratorFamilyPrefixes,
                description: "Instance families (letters before the generation digit) treated as GPU/accelerator.",
            },
            allowedEnvironments: environmentListSchema("Environments where accelerator instances are allowed.", ACCELERATORS_DEFAULTS.allowedEnvironments),
            environment: environmentSchema,
        },
    },
    validateResource: validateTypes(
        INSTANCE_TYPE_BEARING_TYPES,
        ACCELERATORS_DEFAULTS,
        (r, config, report) => {
            const prefixes = config.acceleratorFamilyPrefixes.map((p) => p.toLowerCase());
            const env = environmentOf(r.props, config);
            if (env !== undefined && config.allowedEnvironments.includes(env)) {
                return;
            }
            for (const use of instanceTypeUses(r)) {
                const parsed = parseInstanceType(use.instanceType);
                if (parsed === undefined || !prefixes.includes(parsed.series)) {
                    continue;
                }
                const where =
                    env === undefined
                        ? "in an unknown environment (no Environment tag, no `environment` in the policy config)"
                        : `in environment "${env}"`;
                report(
                    `${describe(r)} sets ${use.property} = "${use.value}", a GPU/accelerator type (family "${parsed.series}"), ` +
                        `${where}: accelerator instances are allowed only in ${config.allowedEnvironments.join(", ")}. ` +
                        `Choose a non-accelerator type such as r6i.xlarge or m6i.large.`,
                );
            }
        },
    ),
};
