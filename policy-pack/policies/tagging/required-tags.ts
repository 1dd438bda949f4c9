/** Tagging: every taggable AWS resource carries the required tags (Environment, Team) with values. */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { validateAny } from "../lib/policy";
import { readTags } from "../lib/tags";
import { markUndecided } from "../lib/unknowns";
import { isTaggable } from "../lib/taggable";
import { AWS, describe } from "../lib/types";

export interface RequiredTagsConfig {
    requiredTags: string[];
}

export const REQUIRED_TAGS_DEFAULTS: RequiredTagsConfig = { requiredTags: ["Environment", "Team"] };

export const requiredTags: ResourceValidationPolicy = {
    name: "required-tags",
    description:
        "Every taggable AWS resource (its args accept `tags`; list generated from @pulumi/aws into " +
        "policy-pack/data/taggable-types.json) must carry the required tags (Environment, Team) with non-empty " +
        "values. Provider default tags are not visible to policies: tag each resource explicitly. Non-AWS resources are ignored.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            requiredTags: {
                type: "array",
                items: { type: "string", minLength: 1 },
                default: REQUIRED_TAGS_DEFAULTS.requiredTags,
                description: "Tag keys every taggable AWS resource must carry.",
            },
        },
    },
    validateResource: validateAny(REQUIRED_TAGS_DEFAULTS, (r, config, report, args) => {
        if (!isTaggable(r.type)) {
            args.notApplicable("Resource type does not accept tags");
        }
        const tags = readTags(r.props);
        if (tags.allUnknown) {
            markUndecided(r.props, "tags");
            return;
        }
        // A tag whose value is unknown at preview is present: decided.
        const missing = config.requiredTags.filter((key) => {
            if (tags.unknownKeys.has(key)) {
                return false;
            }
            const value = tags.values.get(key);
            return value === undefined || value.trim() === "";
        });
        if (missing.length === 0) {
            return;
        }
        const how =
            r.type === AWS.autoscalingGroup
                ? `add ${missing.map((k) => `{ key: "${k}", value: "...", propagateAtLaunch: true }`).join(", ")} to its tags list`
                : `add ${missing.map((k) => `${k}: "..."`).join(", ")} to its tags`;
        report(`${describe(r)} is missing required tag(s) ${missing.join(", ")} (or their value is empty): ${how}.`);
    }),
};
