import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { Environment, ScaleSchedule } from "./config";
import { resourceName, resourceTags, Tags } from "./tags";
import { storeScheduleExpressions, StoreScheduleExpressions } from "./offhours-config";

/** EventBridge Scheduler's universal targets: `arn:aws:scheduler:::aws-sdk:<service>:<apiAction>`. */
export const STORE_ACTIONS = {
    stopDatabase: { target: "arn:aws:scheduler:::aws-sdk:rds:stopDBInstance", iamAction: "rds:StopDBInstance" },
    startDatabase: { target: "arn:aws:scheduler:::aws-sdk:rds:startDBInstance", iamAction: "rds:StartDBInstance" },
    stopInstances: { target: "arn:aws:scheduler:::aws-sdk:ec2:stopInstances", iamAction: "ec2:StopInstances" },
    startInstances: { target: "arn:aws:scheduler:::aws-sdk:ec2:startInstances", iamAction: "ec2:StartInstances" },
} as const;

/**
 * The role's policy: stop/start of exactly the given database and instances, and, for instances
 * whose volumes use customer managed keys, the grant EC2 needs to start them. Empty parts are left out.
 */
export function stopStartPolicy(databaseArn: string, instanceArns: readonly string[], volumeKeyArns: readonly string[]): object {
    return {
        Version: "2012-10-17",
        Statement: [
            ...(databaseArn === "" ? [] : [{
                Sid: "StopStartDatabase",
                Effect: "Allow",
                Action: [STORE_ACTIONS.stopDatabase.iamAction, STORE_ACTIONS.startDatabase.iamAction],
                Resource: databaseArn,
            }]),
            ...(instanceArns.length === 0 ? [] : [{
                Sid: "StopStartInstances",
                Effect: "Allow",
                Action: [STORE_ACTIONS.stopInstances.iamAction, STORE_ACTIONS.startInstances.iamAction],
                Resource: [...instanceArns],
            }]),
            ...(volumeKeyArns.length === 0 ? [] : [{
                Sid: "StartWithEncryptedVolumes",
                Effect: "Allow",
                Action: "kms:CreateGrant",
                Resource: [...volumeKeyArns],
                // Only grants EC2 makes for the volumes, not grants to arbitrary principals.
                Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
            }]),
        ],
    };
}

export interface OffHoursScheduleArgs {
    environment: Environment;
    /** The API group's off-hours crons and time zone (components/cluster.ts uses the same). */
    schedule: ScaleSchedule;
    /** Minutes between the stores and the API group: stores start this much earlier and stop this much later. */
    marginMinutes: number;
    /** The pgvector database, when the stack has one. */
    database?: { identifier: pulumi.Input<string>; arn: pulumi.Input<string> };
    /** EC2 instances that hold state and may stop (the Qdrant nodes); empty for none. */
    instanceIds: pulumi.Input<string>[];
    /**
     * Customer-managed KMS keys of the instances' EBS volumes: starting such an instance needs a
     * grant on the key for the caller (with the AWS-managed aws/ebs key it does not).
     */
    volumeKmsKeyArns?: pulumi.Input<pulumi.Input<string>[]>;
    tags: Tags;
}

/**
 * Off-hours for the stateful parts of a non-prod environment: EventBridge Scheduler schedules that
 * stop the database and the Qdrant instances after the API nodes scale down and start them before
 * the nodes scale up, through the universal AWS SDK targets and a role allowed exactly those
 * actions on exactly those resources.
 *
 * RDS starts an instance that has been stopped for 7 days on its own. The stop schedule repeats on
 * every day the scale-down cron fires (daily by default), so such a restart runs at most until the
 * next scale-down time; on days the database is already stopped the call fails harmlessly with
 * InvalidDBInstanceState (stopping an already stopped EC2 instance succeeds).
 */
export class OffHoursSchedule extends pulumi.ComponentResource {
    readonly scheduleGroupName: pulumi.Output<string>;
    readonly roleArn: pulumi.Output<string>;
    readonly expressions: StoreScheduleExpressions;

    constructor(name: string, args: OffHoursScheduleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("memory-spine:schedule:OffHoursSchedule", name, {}, opts);
        if (args.environment === "prod") {
            // Config validation refuses this first; the component holds the line on its own too.
            throw new Error("OffHoursSchedule: prod never stops its stores");
        }
        const parent = { parent: this };
        const base = resourceName(args.environment, "offhours");
        const tags = (resource: string) => resourceTags(args.tags, resource);
        this.expressions = storeScheduleExpressions(args.schedule, args.marginMinutes);

        const group = new aws.scheduler.ScheduleGroup(base, { name: base, tags: tags(base) }, parent);

        const account = aws.getCallerIdentityOutput({}, parent).accountId;
        const region = aws.getRegionOutput({}, parent).region;
        const partition = aws.getPartitionOutput({}, parent).partition;
        const role = new aws.iam.Role(`${base}-role`, {
            namePrefix: `${base}-`,
            description: `EventBridge Scheduler: stops and starts the Memory Spine ${args.environment} stores off hours`,
            assumeRolePolicy: account.apply((accountId) => JSON.stringify({
                Version: "2012-10-17",
                Statement: [{
                    Effect: "Allow",
                    Principal: { Service: "scheduler.amazonaws.com" },
                    Action: "sts:AssumeRole",
                    // Only schedules of this account may use the role (confused-deputy guard).
                    Condition: { StringEquals: { "aws:SourceAccount": accountId } },
                }],
            })),
            tags: tags(`${base}-role`),
        }, parent);

        const instanceIds = pulumi.all(args.instanceIds);
        const instanceArns = pulumi.all([partition, region, account, instanceIds]).apply(([p, r, a, ids]) =>
            ids.map((id) => `arn:${p}:ec2:${r}:${a}:instance/${id}`));
        const policy = pulumi
            .all([args.database?.arn ?? "", instanceArns, pulumi.output(args.volumeKmsKeyArns ?? [])])
            .apply(([databaseArn, instances, keys]) => JSON.stringify(stopStartPolicy(databaseArn, instances, keys)));
        const rolePolicy = new aws.iam.RolePolicy(`${base}-stop-start`, { role: role.id, policy }, parent);

        const schedule = (suffix: string, expression: string, action: { target: string }, input: pulumi.Input<string>, description: string) =>
            new aws.scheduler.Schedule(`${base}-${suffix}`, {
                name: `${base}-${suffix}`,
                groupName: group.name,
                description,
                scheduleExpression: expression,
                scheduleExpressionTimezone: args.schedule.timeZone,
                // The margin to the API group is the point: fire at the minute, not in a window.
                flexibleTimeWindow: { mode: "OFF" },
                state: "ENABLED",
                target: {
                    arn: action.target,
                    roleArn: role.arn,
                    input,
                    // A store still busy (backup, maintenance) gets retried for an hour, then the day is skipped.
                    retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 10 },
                },
            }, { parent: this, dependsOn: [rolePolicy] });

        if (args.database) {
            const identifier = pulumi.output(args.database.identifier);
            const input = identifier.apply((id) => JSON.stringify({ DbInstanceIdentifier: id }));
            schedule("db-stop", this.expressions.stop, STORE_ACTIONS.stopDatabase, input, `Stop the ${args.environment} database after the API scales down`);
            schedule("db-start", this.expressions.start, STORE_ACTIONS.startDatabase, input, `Start the ${args.environment} database before the API scales up`);
        }
        if (args.instanceIds.length > 0) {
            // One schedule per direction stops or starts every stateful instance in one call.
            const instancesInput = instanceIds.apply((ids) => JSON.stringify({ InstanceIds: ids }));
            schedule("instances-stop", this.expressions.stop, STORE_ACTIONS.stopInstances, instancesInput, `Stop the ${args.environment} Qdrant instances after the API scales down`);
            schedule("instances-start", this.expressions.start, STORE_ACTIONS.startInstances, instancesInput, `Start the ${args.environment} Qdrant instances before the API scales up`);
        }

        this.scheduleGroupName = group.name;
        this.roleArn = role.arn;
        this.registerOutputs({ scheduleGroupName: this.scheduleGroupName, roleArn: this.roleArn });
    }
}
