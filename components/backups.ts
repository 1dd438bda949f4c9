import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { Environment } from "./config";
import { customerManagedKey } from "./kms-key";
import { resourceName, resourceTags, Tags } from "./tags";
import { BACKUP_RETENTION, BACKUP_SCHEDULES, BackupRetention, FAILED_BACKUP_JOB_STATES } from "./backup-retention";

export interface BackupsArgs {
    environment: Environment;
    /** Every data volume and database of the stack (ARNs). */
    resourceArns: pulumi.Input<string>[];
    /** The environment's alert topic (components/monitoring.ts): failed backup jobs go there. */
    alertTopicArn: pulumi.Input<string>;
    tags: Tags;
}

/** The EventBridge pattern of a backup job of this vault that did not complete. */
export function failedBackupJobPattern(vaultName: string): string {
    return JSON.stringify({
        source: ["aws.backup"],
        "detail-type": ["Backup Job State Change"],
        detail: { state: [...FAILED_BACKUP_JOB_STATES], backupVaultName: [vaultName] },
    });
}

/** Plan rules of an environment: daily, and monthly where the retention asks for it. */
export function backupRules(vaultName: pulumi.Input<string>, retention: BackupRetention, tags: Tags): aws.types.input.backup.PlanRule[] {
    const rule = (ruleName: string, schedule: string, deleteAfter: number): aws.types.input.backup.PlanRule => ({
        ruleName,
        targetVaultName: vaultName,
        schedule,
        scheduleExpressionTimezone: "Etc/UTC",
        startWindow: BACKUP_SCHEDULES.startWindowMinutes,
        completionWindow: BACKUP_SCHEDULES.completionWindowMinutes,
        lifecycle: { deleteAfter },
        recoveryPointTags: { ...tags, BackupRule: ruleName },
    });
    const rules = [rule("daily", BACKUP_SCHEDULES.daily, retention.dailyDays)];
    if (retention.monthlyDays !== undefined) {
        rules.push(rule("monthly", BACKUP_SCHEDULES.monthly, retention.monthlyDays));
    }
    return rules;
}

/**
 * AWS Backup for the environment (staging and prod): a vault encrypted with its own
 * customer-managed key, a plan with the environment's retention, a selection naming every
 * Qdrant data volume and the database, and an EventBridge rule that sends every backup job that
 * fails, aborts, expires or ends partial to the alert topic.
 */
export class Backups extends pulumi.ComponentResource {
    readonly vaultName: pulumi.Output<string>;
    readonly planId: pulumi.Output<string>;

    constructor(name: string, args: BackupsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("memory-spine:backup:Backups", name, {}, opts);
        const retention = BACKUP_RETENTION[args.environment];
        if (retention === undefined) {
            throw new Error(`AWS Backup is not configured for ${args.environment} (components/backup-retention.ts)`);
        }
        const parent = { parent: this };
        const base = resourceName(args.environment, "backup");
        const tags = (n: string) => resourceTags(args.tags, n);
        const isProd = args.environment === "prod";
        const partition = aws.getPartitionOutput({}, parent).partition;

        const key = customerManagedKey({ key: base, alias: `${base}-alias` }, {
            description: `Memory Spine ${args.environment} backup vault`,
            alias: `alias/${base}`,
            grants: [],
            tags: tags(base),
        }, { parent: this, protect: isProd });

        const vault = new aws.backup.Vault(base, {
            name: base,
            kmsKeyArn: key.arn,
            forceDestroy: !isProd,
            tags: tags(base),
        }, { parent: this, protect: isProd });

        const plan = new aws.backup.Plan(base, {
            name: base,
            rules: backupRules(vault.name, retention, args.tags),
            tags: tags(base),
        }, parent);

        const role = new aws.iam.Role(`${base}-role`, {
            namePrefix: `${base}-`,
            description: `AWS Backup for Memory Spine ${args.environment}`,
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" }],
            }),
            tags: tags(`${base}-role`),
        }, parent);
        for (const [short, policy] of [["backup", "AWSBackupServiceRolePolicyForBackup"], ["restore", "AWSBackupServiceRolePolicyForRestores"]] as const) {
            new aws.iam.RolePolicyAttachment(`${base}-${short}`, {
                role: role.name,
                policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/service-role/${policy}`,
            }, parent);
        }

        new aws.backup.Selection(base, {
            name: base,
            planId: plan.id,
            iamRoleArn: role.arn,
            resources: args.resourceArns,
        }, parent);

        const rule = new aws.cloudwatch.EventRule(`${base}-failed`, {
            name: `${base}-failed`,
            description: `Memory Spine ${args.environment}: an AWS Backup job failed, aborted, expired or completed partially`,
            eventPattern: vault.name.apply(failedBackupJobPattern),
            tags: tags(`${base}-failed`),
        }, parent);
        new aws.cloudwatch.EventTarget(`${base}-failed-alert`, {
            rule: rule.name,
            arn: args.alertTopicArn,
        }, parent);

        this.vaultName = vault.name;
        this.planId = plan.id;
        this.registerOutputs({ vaultName: this.vaultName, planId: this.planId });
    }
}
