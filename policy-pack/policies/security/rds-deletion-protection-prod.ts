/** Reliability: the prod database cannot be deleted by accident. */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { environmentListSchema, environmentOf, environmentSchema } from "../lib/environment";
import { validateTypes } from "../lib/policy";
import { asBool, isUnknown, show } from "../lib/props";
import { RDS_STORAGE_TYPES, describe } from "../lib/types";

export interface ProdOnlyConfig {
    environments: string[];
    environment?: string;
}

export const RDS_DELETION_PROTECTION_DEFAULTS: ProdOnlyConfig = { environments: ["prod"] };

export const rdsDeletionProtectionProd: ResourceValidationPolicy = {
    name: "rds-deletion-protection-prod",
    description:
        "RDS instances and clusters (Aurora, Multi-AZ DB clusters) in prod (config environments) must set deletionProtection: true. The environment is the " +
        "resource's Environment tag, else the policy config `environment`.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            environments: environmentListSchema("Environments that require deletion protection.", RDS_DELETION_PROTECTION_DEFAULTS.environments),
            environment: environmentSchema,
        },
    },
    validateResource: validateTypes(RDS_STORAGE_TYPES, RDS_DELETION_PROTECTION_DEFAULTS, (r, config, report) => {
        const env = environmentOf(r.props, config);
        if (env === undefined || !config.environments.includes(env)) {
            return;
        }
        const v = r.props["deletionProtection"];
        if (!isUnknown(v) && asBool(v) !== true) {
            report(`${describe(r)} in ${env} has deletionProtection ${show(v)}: set deletionProtection: true.`);
        }
    }),
};
