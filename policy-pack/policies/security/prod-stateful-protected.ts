/** Reliability: stateful resources (database, Qdrant data volume, Vault mount) are `protect`ed in prod. */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { environmentListSchema, environmentOf, environmentSchema } from "../lib/environment";
import { validateAny } from "../lib/policy";
import { describe } from "../lib/types";

export interface StatefulProtectedConfig {
    statefulTypes: string[];
    environments: string[];
    environment?: string;
}

export const STATEFUL_PROTECTED_DEFAULTS: StatefulProtectedConfig = {
    statefulTypes: ["aws:rds/instance:Instance", "aws:rds/cluster:Cluster", "aws:ebs/volume:Volume", "aws:elasticache/replicationGroup:ReplicationGroup", "aws:backup/vault:Vault", "vault:index/mount:Mount"],
    environments: ["prod"],
};

export const prodStatefulProtected: ResourceValidationPolicy = {
    name: "prod-stateful-protected",
    description:
        "In prod (config environments), stateful resources (config statefulTypes: RDS instances and clusters, EBS " +
        "volumes, ElastiCache replication groups, AWS Backup vaults, Vault mounts) must carry the `protect: true` resource option so that no update can delete them.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            statefulTypes: {
                type: "array",
                items: { type: "string" },
                default: STATEFUL_PROTECTED_DEFAULTS.statefulTypes,
                description: "Pulumi type tokens of stateful resources.",
            },
            environments: environmentListSchema("Environments in which stateful resources must be protected.", STATEFUL_PROTECTED_DEFAULTS.environments),
            environment: environmentSchema,
        },
    },
    validateResource: validateAny(STATEFUL_PROTECTED_DEFAULTS, (r, config, report, args) => {
        if (!config.statefulTypes.includes(r.type)) {
            args.notApplicable("Not a stateful resource type");
        }
        const env = environmentOf(r.props, config);
        if (env === undefined || !config.environments.includes(env)) {
            return;
        }
        if (args.opts.protect !== true) {
            report(`${describe(r)} in ${env} is not protected: set the resource option protect: true.`);
        }
    }),
};
