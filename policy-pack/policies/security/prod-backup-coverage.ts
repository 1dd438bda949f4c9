/**
 * Reliability (stack): in prod every EBS volume and database of the stack is backed up, by an AWS
 * Backup selection or (databases) by its own automated backups.
 */
import { StackValidationPolicy } from "@pulumi/policy";
import { environmentListSchema, environmentSchema, stackEnvironment } from "../lib/environment";
import { validateStackWith } from "../lib/policy";
import { asArray, asNumber, asRecord, asString, asStringList, isUnknown } from "../lib/props";
import { StackResource, linked } from "../lib/stack";
import { readTags } from "../lib/tags";
import { AWS, describe } from "../lib/types";

export interface BackupCoverageConfig {
    environments: string[];
    environment?: string;
}

export const BACKUP_COVERAGE_DEFAULTS: BackupCoverageConfig = { environments: ["prod"] };

/** Resources that hold data a deployment must never lose. */
const BACKED_UP_TYPES: readonly string[] = [AWS.ebsVolume, AWS.rdsInstance, AWS.rdsCluster];

/** RDS keeps its own automated backups when the retention is at least a day (clusters always do). */
function hasAutomatedBackups(r: StackResource): boolean {
    const retention = r.props["backupRetentionPeriod"];
    if (isUnknown(retention)) {
        return true;
    }
    if (r.type === AWS.rdsCluster) {
        return retention === undefined || (asNumber(retention) ?? 0) >= 1;
    }
    return r.type === AWS.rdsInstance && (asNumber(retention) ?? 0) >= 1;
}

/** Does the selection pick the resource by one of its `selectionTags` (STRINGEQUALS key = value)? */
function selectedByTag(selection: StackResource, r: StackResource): boolean {
    const tags = readTags(r.props).values;
    return asArray(selection.props["selectionTags"]).some((entry) => {
        const tag = asRecord(entry);
        const key = asString(tag?.["key"]);
        return asString(tag?.["type"]) === "STRINGEQUALS" && key !== undefined && tags.get(key) === asString(tag?.["value"]);
    });
}

function covered(r: StackResource, selections: readonly StackResource[], all: readonly StackResource[]): boolean {
    return selections.some((selection) => {
        const named = asStringList(selection.props["resources"]);
        if (named.includes("*") || isUnknown(selection.props["resources"])) {
            return true;
        }
        // Link to every stored resource the selection names, then look for this one: when the engine
        // linked the selection to its resources, the ARNs unknown at preview do not matter.
        const selected = linked(selection, "resources", named, all, (c) => BACKED_UP_TYPES.includes(c.type));
        return selected.some((c) => c.urn === r.urn) || selectedByTag(selection, r);
    });
}

export const prodBackupCoverage: StackValidationPolicy = {
    name: "prod-backup-coverage",
    description:
        "In prod (config environments) every EBS volume and database of the stack must be backed up: named in an " +
        "aws.backup.Selection (resources, or selectionTags it carries), or, for RDS, with automated backups " +
        "(backupRetentionPeriod >= 1). The program's Backups component selects every Qdrant data volume and the database.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            environments: environmentListSchema("Environments in which every volume and database must be backed up.", BACKUP_COVERAGE_DEFAULTS.environments),
            environment: environmentSchema,
        },
    },
    validateStack: validateStackWith(BACKUP_COVERAGE_DEFAULTS, (resources, config, report) => {
        const stored = resources.filter((r) => BACKED_UP_TYPES.includes(r.type));
        const env = stackEnvironment(stored, config);
        if (stored.length === 0 || env === undefined || !config.environments.includes(env)) {
            return;
        }
        const selections = resources.filter((r) => r.type === AWS.backupSelection);
        for (const r of stored) {
            if (hasAutomatedBackups(r) || covered(r, selections, resources)) {
                continue;
            }
            report(
                `${describe(r)} in ${env} is not backed up: add its ARN to an aws.backup.Selection of the environment's ` +
                    `backup plan${r.type === AWS.ebsVolume ? "" : " or keep automated backups (backupRetentionPeriod >= 1)"}.`,
                r.urn,
            );
        }
    }),
};
