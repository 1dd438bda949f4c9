/**
 * Cost: the most expensive instance types. p5.48xlarge is never allowed; p4d.24xlarge only with a
 * cost-approval tag on the resource (the Sentinel rule of the reference guide, made enforceable).
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { INSTANCE_TYPE_BEARING_TYPES, instanceTypeUses, stripDbPrefix } from "../lib/instance-types";
import { validateTypes } from "../lib/policy";
import { tagValue } from "../lib/tags";
import { describe } from "../lib/types";

export interface BlockedInstanceTypesConfig {
    /** Instance types allowed only when the resource carries the approval tag. */
    approvalRequired: string[];
    /** Instance types that are never allowed. */
    neverAllowed: string[];
    /** Tag key whose non-empty value records the cost approval (e.g. a ticket id). */
    approvalTagKey: string;
}

export const BLOCKED_INSTANCE_TYPES_DEFAULTS: BlockedInstanceTypesConfig = {
    approvalRequired: ["p4d.24xlarge"],
    neverAllowed: ["p5.48xlarge"],
    approvalTagKey: "CostApproval",
};

const normalize = (types: readonly string[]): Set<string> => new Set(types.map(stripDbPrefix));

export const blockedInstanceTypes: ResourceValidationPolicy = {
    name: "blocked-instance-types",
    description:
        "Blocks the most expensive instance types wherever a resource names one (launch templates and configurations, " +
        "EC2 and spot instances, Auto Scaling overrides, EKS node groups, RDS instances, cluster instances and " +
        "Multi-AZ clusters): types in neverAllowed (p5.48xlarge) are refused; types in approvalRequired (p4d.24xlarge) need a " +
        "non-empty approval tag (CostApproval=<ticket>) on the resource. Choose a smaller instance type or add the approval tag.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            approvalRequired: {
                type: "array",
                items: { type: "string" },
                default: BLOCKED_INSTANCE_TYPES_DEFAULTS.approvalRequired,
                description: "Instance types allowed only with the approval tag (RDS classes may keep their db. prefix).",
            },
            neverAllowed: {
                type: "array",
                items: { type: "string" },
                default: BLOCKED_INSTANCE_TYPES_DEFAULTS.neverAllowed,
                description: "Instance types that are never allowed.",
            },
            approvalTagKey: {
                type: "string",
                minLength: 1,
                default: BLOCKED_INSTANCE_TYPES_DEFAULTS.approvalTagKey,
                description: "Tag key whose non-empty value records the cost approval.",
            },
        },
    },
    validateResource: validateTypes(
        INSTANCE_TYPE_BEARING_TYPES,
        BLOCKED_INSTANCE_TYPES_DEFAULTS,
        (r, config, report) => {
            const never = normalize(config.neverAllowed);
            const approval = normalize(config.approvalRequired);
            for (const use of instanceTypeUses(r)) {
                if (never.has(use.instanceType)) {
                    report(
                        `${describe(r)} sets ${use.property} = "${use.value}": ${use.instanceType} is never allowed. ` +
                            `Choose a smaller instance type.`,
                    );
                } else if (approval.has(use.instanceType) && tagValue(r.props, config.approvalTagKey) === undefined) {
                    report(
                        `${describe(r)} sets ${use.property} = "${use.value}": ${use.instanceType} needs a cost approval. ` +
                            `Add the tag ${config.approvalTagKey}=<approval ticket> to the resource, or choose a smaller instance type.`,
                    );
                }
            }
        },
    ),
};
