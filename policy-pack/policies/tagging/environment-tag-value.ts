/** Tagging: the Environment tag is one of dev, staging, prod. */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { ENVIRONMENTS, ENVIRONMENT_TAG } from "../lib/environment";
import { validateAny } from "../lib/policy";
import { readTags } from "../lib/tags";
import { markUndecided } from "../lib/unknowns";
import { isTaggable } from "../lib/taggable";
import { describe } from "../lib/types";

export interface EnvironmentTagValueConfig {
    allowedValues: string[];
}

export const ENVIRONMENT_TAG_VALUE_DEFAULTS: EnvironmentTagValueConfig = { allowedValues: [...ENVIRONMENTS] };

export const environmentTagValue: ResourceValidationPolicy = {
    name: "environment-tag-value",
    description:
        "The Environment tag of a taggable AWS resource must be one of dev, staging, prod (config allowedValues). " +
        "Fix the tag (memory-spine:environment / tags in the stack config).",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowedValues: {
                type: "array",
                items: { type: "string" },
                default: ENVIRONMENT_TAG_VALUE_DEFAULTS.allowedValues,
                description: "Allowed values of the Environment tag.",
            },
        },
    },
    validateResource: validateAny(ENVIRONMENT_TAG_VALUE_DEFAULTS, (r, config, report, args) => {
        if (!isTaggable(r.type)) {
            args.notApplicable("Resource type does not accept tags");
        }
        const tags = readTags(r.props);
        if (tags.allUnknown || tags.unknownKeys.has(ENVIRONMENT_TAG)) {
            markUndecided(r.props, tags.allUnknown ? "tags" : `tags.${ENVIRONMENT_TAG}`);
        }
        const value = tags.values.get(ENVIRONMENT_TAG);
        if (value !== undefined && !config.allowedValues.includes(value)) {
            report(
                `${describe(r)} has ${ENVIRONMENT_TAG}="${value}": use one of ${config.allowedValues.join(", ")}.`,
            );
        }
    }),
};
