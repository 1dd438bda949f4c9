/**
 * Load balancer baseline: invalid header fields dropped everywhere; deletion protection in prod;
 * access logs to S3 in staging and prod.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { environmentListSchema, environmentOf, environmentSchema } from "../lib/environment";
import { loadBalancerType } from "../lib/lb";
import { validateTypes } from "../lib/policy";
import { willBeSet } from "../lib/unknowns";
import { asBool, asRecord, isUnknown, show } from "../lib/props";
import { LOAD_BALANCER_TYPES, describe } from "../lib/types";

export interface EnvironmentsConfig {
    environments: string[];
    environment?: string;
}

export const lbDropInvalidHeaders: ResourceValidationPolicy = {
    name: "lb-drop-invalid-headers",
    description:
        "Application Load Balancers must drop HTTP headers with invalid fields (request smuggling defence): set " +
        "dropInvalidHeaderFields: true.",
    enforcementLevel: "mandatory",
    configSchema: { properties: {} },
    validateResource: validateTypes(LOAD_BALANCER_TYPES, {}, (r, _config, report) => {
        if (loadBalancerType(r.props) !== "application") {
            return;
        }
        const v = r.props["dropInvalidHeaderFields"];
        if (!isUnknown(v) && asBool(v) !== true) {
            report(`${describe(r)} has dropInvalidHeaderFields ${show(v)}: set dropInvalidHeaderFields: true.`);
        }
    }),
};

export const LB_DELETION_PROTECTION_DEFAULTS: EnvironmentsConfig = { environments: ["prod"] };

export const lbDeletionProtectionProd: ResourceValidationPolicy = {
    name: "lb-deletion-protection-prod",
    description:
        "Load balancers in prod (config environments) must set enableDeletionProtection: true. The environment is " +
        "the resource's Environment tag, else the policy config `environment`.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            environments: environmentListSchema("Environments that require deletion protection.", LB_DELETION_PROTECTION_DEFAULTS.environments),
            environment: environmentSchema,
        },
    },
    validateResource: validateTypes(LOAD_BALANCER_TYPES, LB_DELETION_PROTECTION_DEFAULTS, (r, config, report) => {
        const env = environmentOf(r.props, config);
        if (env === undefined || !config.environments.includes(env)) {
            return;
        }
        const v = r.props["enableDeletionProtection"];
        if (!isUnknown(v) && asBool(v) !== true) {
            report(`${describe(r)} in ${env} has enableDeletionProtection ${show(v)}: set enableDeletionProtection: true.`);
        }
    }),
};

export const LB_ACCESS_LOGS_DEFAULTS: EnvironmentsConfig = { environments: ["staging", "prod"] };

export const lbAccessLogs: ResourceValidationPolicy = {
    name: "lb-access-logs",
    description:
        "Application Load Balancers in staging and prod (config environments) must write access logs: accessLogs " +
        "{ enabled: true, bucket: <SSE-S3 log bucket> }.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            environments: environmentListSchema("Environments that require access logs.", LB_ACCESS_LOGS_DEFAULTS.environments),
            environment: environmentSchema,
        },
    },
    validateResource: validateTypes(LOAD_BALANCER_TYPES, LB_ACCESS_LOGS_DEFAULTS, (r, config, report) => {
        if (loadBalancerType(r.props) !== "application") {
            return;
        }
        const env = environmentOf(r.props, config);
        if (env === undefined || !config.environments.includes(env)) {
            return;
        }
        const raw = r.props["accessLogs"];
        if (isUnknown(raw)) {
            return;
        }
        const logs = asRecord(raw);
        const enabled = logs?.["enabled"];
        const enabledOk = isUnknown(enabled) || asBool(enabled) === true;
        // The log bucket's name is generated on create: unknown at a first preview, but set.
        const bucketOk = logs !== undefined && willBeSet(logs, "bucket");
        if (!enabledOk || !bucketOk) {
            report(
                `${describe(r)} in ${env} has accessLogs ${show(raw)}: set accessLogs { enabled: true, bucket: <log bucket> }.`,
            );
        }
    }),
};
