/** Tagging (stack): one stack deploys one environment, so every Environment tag has the same value. */
import { StackValidationPolicy } from "@pulumi/policy";
import { ENVIRONMENT_TAG, environmentSchema } from "../lib/environment";
import { validateStackWith } from "../lib/policy";
import { tagValue } from "../lib/tags";
import { isTaggable } from "../lib/taggable";
import { describe } from "../lib/types";

export interface EnvironmentConsistentConfig {
    environment?: string;
}

export const environmentTagConsistent: StackValidationPolicy = {
    name: "environment-tag-consistent",
    description:
        "All Environment tags of a stack must be equal (and equal to the policy config `environment` when set): a " +
        "stack deploys exactly one environment. Fix the resources whose tag differs.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { environment: environmentSchema } },
    validateStack: validateStackWith<EnvironmentConsistentConfig>({}, (resources, config, report) => {
        const tagged = resources
            .filter((r) => isTaggable(r.type))
            .map((r) => ({ r, env: tagValue(r.props, ENVIRONMENT_TAG) }))
            .filter((x): x is { r: (typeof resources)[number]; env: string } => x.env !== undefined);
        if (tagged.length === 0) {
            return;
        }
        let expected = config.environment;
        let basis = "the policy config `environment`";
        if (expected === undefined) {
            const counts = new Map<string, number>();
            for (const t of tagged) {
                counts.set(t.env, (counts.get(t.env) ?? 0) + 1);
            }
            if (counts.size <= 1) {
                return;
            }
            const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
            expected = ranked[0][0];
            basis = `${ranked[0][1]} of ${tagged.length} tagged resources`;
        }
        for (const t of tagged) {
            if (t.env !== expected) {
                report(
                    `${describe(t.r)} has ${ENVIRONMENT_TAG}="${t.env}" but the stack's environment is "${expected}" ` +
                        `(${basis}): set ${ENVIRONMENT_TAG}="${expected}" on it.`,
                    t.r.urn,
                );
            }
        }
    }),
};
