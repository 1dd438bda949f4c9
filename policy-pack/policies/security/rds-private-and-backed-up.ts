/** Security/reliability: RDS is not publicly accessible and keeps automated backups. */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { validateTypes } from "../lib/policy";
import { asBool, asNumber, isUnknown, show } from "../lib/props";
import { RDS_ENDPOINT_TYPES, RDS_STORAGE_TYPES, describe } from "../lib/types";

export interface RdsBaselineConfig {
    minBackupRetentionDays: number;
}

export const RDS_BASELINE_DEFAULTS: RdsBaselineConfig = { minBackupRetentionDays: 1 };

export const rdsPrivateAndBackedUp: ResourceValidationPolicy = {
    name: "rds-private-and-backed-up",
    description:
        "RDS instances and cluster instances must not be publicly accessible (publiclyAccessible false); RDS " +
        "instances and clusters must keep automated backups (backupRetentionPeriod set explicitly to at least " +
        "minBackupRetentionDays, default 1).",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            minBackupRetentionDays: {
                type: "integer",
                minimum: 1,
                maximum: 35,
                default: RDS_BASELINE_DEFAULTS.minBackupRetentionDays,
                description: "Lowest allowed backupRetentionPeriod in days.",
            },
        },
    },
    validateResource: validateTypes([...new Set([...RDS_ENDPOINT_TYPES, ...RDS_STORAGE_TYPES])], RDS_BASELINE_DEFAULTS, (r, config, report) => {
        const pub = r.props["publiclyAccessible"];
        if (RDS_ENDPOINT_TYPES.includes(r.type) && !isUnknown(pub) && asBool(pub) === true) {
            report(`${describe(r)} has publiclyAccessible true: set publiclyAccessible: false (reach it from the VPC only).`);
        }
        if (!RDS_STORAGE_TYPES.includes(r.type)) {
            return; // cluster instances take their backups from the cluster
        }
        const retention = r.props["backupRetentionPeriod"];
        const days = asNumber(retention);
        if (!isUnknown(retention) && (days === undefined || days < config.minBackupRetentionDays)) {
            report(
                `${describe(r)} has backupRetentionPeriod ${show(retention)}: set it to at least ${config.minBackupRetentionDays} day(s).`,
            );
        }
    }),
};
