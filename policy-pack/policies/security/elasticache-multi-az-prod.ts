/** Reliability: a prod cache survives the loss of a node or a zone. */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { environmentListSchema, environmentOf, environmentSchema } from "../lib/environment";
import { validateTypes } from "../lib/policy";
import { asBool, asNumber, isUnknown, show } from "../lib/props";
import { AWS, describe } from "../lib/types";

export interface ElastiCacheMultiAzConfig {
    environments: string[];
    environment?: string;
}

export const ELASTICACHE_MULTI_AZ_DEFAULTS: ElastiCacheMultiAzConfig = { environments: ["prod"] };

export const elasticacheMultiAzProd: ResourceValidationPolicy = {
    name: "elasticache-multi-az-prod",
    description:
        "ElastiCache replication groups in prod (config environments) must run Multi-AZ with automatic failover " +
        "(multiAzEnabled and automaticFailoverEnabled true) and at least one replica (numCacheClusters >= 2, or " +
        "replicasPerNodeGroup >= 1 with numNodeGroups). The environment is the resource's Environment tag, else the " +
        "policy config `environment`. Serverless caches replicate across zones by design.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            environments: environmentListSchema("Environments whose caches must be Multi-AZ with automatic failover.", ELASTICACHE_MULTI_AZ_DEFAULTS.environments),
            environment: environmentSchema,
        },
    },
    validateResource: validateTypes([AWS.elasticacheReplicationGroup], ELASTICACHE_MULTI_AZ_DEFAULTS, (r, config, report) => {
        const env = environmentOf(r.props, config);
        if (env === undefined || !config.environments.includes(env)) {
            return;
        }
        for (const key of ["multiAzEnabled", "automaticFailoverEnabled"]) {
            const value = r.props[key];
            if (!isUnknown(value) && asBool(value) !== true) {
                report(`${describe(r)} in ${env} has ${key} ${show(value)}: set ${key}: true.`);
            }
        }
        const sharded = r.props["numNodeGroups"] !== undefined || r.props["replicasPerNodeGroup"] !== undefined;
        const [key, minimum] = sharded ? ["replicasPerNodeGroup", 1] : ["numCacheClusters", 2];
        const count = r.props[key];
        const n = asNumber(count);
        if (!isUnknown(count) && (n === undefined || n < minimum)) {
            report(`${describe(r)} in ${env} has ${key} ${show(count)}: set it to at least ${minimum} so that a replica can take over.`);
        }
    }),
};
