/**
 * How long each environment keeps its backups, said once: AWS Backup's plan rules and the
 * lifecycle of the Qdrant snapshot bucket both read it (and the Terraform twin holds the same
 * numbers, tests/terraform/backup-parity.test.ts).
 */
import type { Environment } from "./config";

export interface BackupRetention {
    /** Days a daily recovery point / snapshot is kept. */
    dailyDays: number;
    /** Days a monthly recovery point / snapshot is kept; absent = no monthly backups. */
    monthlyDays?: number;
}

/** AWS Backup runs in staging and prod only; dev rebuilds from scratch. */
export const BACKUP_RETENTION: Record<Environment, BackupRetention | undefined> = {
    dev: undefined,
    staging: { dailyDays: 7 },
    prod: { dailyDays: 35, monthlyDays: 365 },
};

/** Qdrant snapshots are kept as long as the environment's backups; dev (when it runs Qdrant) a week. */
export function snapshotRetention(environment: Environment): BackupRetention {
    return BACKUP_RETENTION[environment] ?? { dailyDays: 7 };
}

/** AWS Backup schedules (UTC): daily after the nightly snapshots, monthly on the 1st. */
export const BACKUP_SCHEDULES = {
    daily: "cron(0 3 * * ? *)",
    monthly: "cron(0 4 1 * ? *)",
    /** Minutes a job may wait to start, and to complete, before AWS Backup fails it (and we alert). */
    startWindowMinutes: 60,
    completionWindowMinutes: 360,
} as const;

/** Backup job states that mean the job did not produce a complete recovery point. */
export const FAILED_BACKUP_JOB_STATES = ["FAILED", "ABORTED", "EXPIRED", "PARTIAL"] as const;
