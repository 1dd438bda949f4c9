import { expect } from "chai";
import { CronError, MINUTES_PER_WEEK, weeklyFirings, weeklyRun } from "../policy-pack/policies/lib/cron";
import { cronToSchedulerExpression, longestGapHours, schedulerExpressionToCron, shiftWeeklyCron } from "../policy-pack/policies/lib/scheduler-cron";
import { CONFIG_DEFAULTS } from "../components/config";
import { storeScheduleExpressions, utcOffsets } from "../components/offhours-config";
import { STORE_ACTIONS, stopStartPolicy } from "../components/offhours-schedule";
import { onlyResource, outputOf, resourcesOfType, runWith, shippedStack } from "./support/stacks";

const SCHEDULE = "aws:scheduler/schedule:Schedule";
const ASG_SCHEDULE = "aws:autoscaling/schedule:Schedule";
const DEFAULT_SCHEDULE = { scaleDownCron: CONFIG_DEFAULTS.scaleDownCron, scaleUpCron: CONFIG_DEFAULTS.scaleUpCron, timeZone: "UTC" };

describe("EventBridge Scheduler cron expressions", () => {
    it("writes a weekly Unix cron in Scheduler's dialect with day names (Scheduler counts 1 = SUN)", () => {
        expect(cronToSchedulerExpression("0 7 * * 1-5")).to.equal("cron(0 7 ? * MON,TUE,WED,THU,FRI *)");
        expect(cronToSchedulerExpression("15 20 * * *")).to.equal("cron(15 20 ? * * *)");
        expect(cronToSchedulerExpression("0 9 * * 0,6")).to.equal("cron(0 9 ? * SUN,SAT *)");
        expect(() => cronToSchedulerExpression("0 7 1 * *")).to.throw(CronError, /only weekly/);
    });

    it("reads Scheduler expressions back as Unix crons with the same firings", () => {
        expect(schedulerExpressionToCron("cron(45 6 ? * MON-FRI *)")).to.equal("45 6 * * MON-FRI");
        // Scheduler's 2-6 is Monday to Friday; Unix calls them 1-5.
        expect(weeklyFirings(schedulerExpressionToCron("cron(0 7 ? * 2-6 *)"))).to.deep.equal(weeklyFirings("0 7 * * 1-5"));
        expect(schedulerExpressionToCron("cron(0 12 * * ? *)")).to.equal("0 12 * * *");
        for (const cron of ["0 7 * * 1-5", "15 20 * * *", "30 23 * * 0,6"]) {
            expect(weeklyFirings(schedulerExpressionToCron(cronToSchedulerExpression(cron))), cron).to.deep.equal(weeklyFirings(cron));
        }
        expect(() => schedulerExpressionToCron("rate(1 hour)")).to.throw(CronError, /only cron/);
        expect(() => schedulerExpressionToCron("cron(0 7 ? * 2#1 *)")).to.throw(CronError, /L, W and #/);
        expect(() => schedulerExpressionToCron("cron(0 7 ? * WED 2027)")).to.throw(CronError, /year/);
        expect(() => schedulerExpressionToCron("cron(0 7 * * MON *)")).to.throw(CronError, /must be \?/);
        expect(() => schedulerExpressionToCron("cron(0 7 ? * 8 *)")).to.throw(CronError, /outside 1-7/);
    });

    it("shifts a cron across hours, midnight and the week's end, moving the days with it", () => {
        expect(shiftWeeklyCron("0 7 * * 1-5", -15)).to.equal("45 6 * * 1,2,3,4,5");
        expect(shiftWeeklyCron("0 20 * * *", 15)).to.equal("15 20 * * *");
        expect(shiftWeeklyCron("0 0 * * 1-5", -15)).to.equal("45 23 * * 0,1,2,3,4");
        expect(shiftWeeklyCron("50 23 * * 6", 20)).to.equal("10 0 * * 0");
        expect(() => shiftWeeklyCron("0,30 7 * * *", -15)).to.throw(CronError, /no longer fires at the same minutes/);
    });

    it("measures the longest gap between firings (how long a database RDS restarted can run)", () => {
        expect(longestGapHours("15 20 * * *")).to.equal(24);
        expect(longestGapHours("15 20 * * 1-5")).to.equal(72);
    });
});

describe("OffHoursSchedule: the stores follow the API group's schedule outside prod", () => {
    it("derives the stores' expressions from the group's crons: stop 15 min after scale-down, start 15 min before scale-up", () => {
        expect(storeScheduleExpressions(DEFAULT_SCHEDULE, 15)).to.deep.equal({
            stop: "cron(15 20 ? * * *)",
            start: "cron(45 6 ? * MON,TUE,WED,THU,FRI *)",
        });
    });

    it("dev: stops and starts the pgvector database through the universal RDS targets", async () => {
        const run = await shippedStack("dev");
        const db = onlyResource(run, "aws:rds/instance:Instance");
        const group = onlyResource(run, "aws:scheduler/scheduleGroup:ScheduleGroup");
        expect(group.props.tags).to.include({ Environment: "dev", Team: "platform-engineering", Name: "memspine-dev-offhours" });
        const schedules = resourcesOfType(run, SCHEDULE);
        expect(schedules.map((s) => s.name).sort()).to.deep.equal(["memspine-dev-offhours-db-start", "memspine-dev-offhours-db-stop"]);
        const stop = onlyResource(run, SCHEDULE, "db-stop");
        const start = onlyResource(run, SCHEDULE, "db-start");
        for (const s of [stop, start]) {
            expect(s.props.groupName).to.equal(outputOf(group, "name"));
            expect(s.props.scheduleExpressionTimezone).to.equal("UTC");
            expect(s.props.flexibleTimeWindow).to.deep.equal({ mode: "OFF" });
            expect(s.props.state).to.equal("ENABLED");
            expect(JSON.parse(s.props.target.input)).to.deep.equal({ DbInstanceIdentifier: db.props.identifier });
            expect(s.props.target.retryPolicy).to.deep.equal({ maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 10 });
        }
        expect(stop.props.target.arn).to.equal("arn:aws:scheduler:::aws-sdk:rds:stopDBInstance");
        expect(start.props.target.arn).to.equal("arn:aws:scheduler:::aws-sdk:rds:startDBInstance");
        // Pulumi.dev.yaml: the API nodes run 08:00-18:00 on weekdays; the database 15 minutes longer each side.
        expect(stop.props.scheduleExpression).to.equal("cron(15 18 ? * * *)");
        expect(start.props.scheduleExpression).to.equal("cron(45 7 ? * MON,TUE,WED,THU,FRI *)");
    });

    it("the role is assumable by Scheduler of this account only and may stop/start exactly that database", async () => {
        const run = await shippedStack("dev");
        const db = onlyResource(run, "aws:rds/instance:Instance");
        const role = onlyResource(run, "aws:iam/role:Role", "offhours-role");
        expect(JSON.parse(role.props.assumeRolePolicy)).to.deep.equal({
            Version: "2012-10-17",
            Statement: [{
                Effect: "Allow",
                Principal: { Service: "scheduler.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
            }],
        });
        const policy = onlyResource(run, "aws:iam/rolePolicy:RolePolicy", "offhours-stop-start");
        expect(policy.props.role).to.equal(outputOf(role, "id"));
        expect(JSON.parse(policy.props.policy).Statement).to.deep.equal([{
            Sid: "StopStartDatabase",
            Effect: "Allow",
            Action: ["rds:StopDBInstance", "rds:StartDBInstance"],
            Resource: outputOf(db, "arn"),
        }]);
        expect(outputOf(db, "arn")).to.equal("arn:aws:rds:us-east-1:123456789012:db:memspine-dev-pgvector");
        for (const s of resourcesOfType(run, SCHEDULE)) {
            expect(s.props.target.roleArn).to.equal(outputOf(role, "arn"));
            expect(s.options.dependencies, "the role may act before the first firing").to.include(policy.urn);
        }
    });

    it("staging: stops and starts every Qdrant instance in one call each, allowed on exactly those instances", async () => {
        const run = await shippedStack("staging");
        const qdrant = resourcesOfType(run, "aws:ec2/instance:Instance");
        expect(qdrant.length).to.be.greaterThan(0);
        const ids = qdrant.map((q) => outputOf(q, "id"));
        const stop = onlyResource(run, SCHEDULE, "instances-stop");
        const start = onlyResource(run, SCHEDULE, "instances-start");
        expect(stop.props.target.arn).to.equal(STORE_ACTIONS.stopInstances.target);
        expect(start.props.target.arn).to.equal(STORE_ACTIONS.startInstances.target);
        expect(JSON.parse(stop.props.target.input)).to.deep.equal({ InstanceIds: ids });
        expect(JSON.parse(start.props.target.input)).to.deep.equal({ InstanceIds: ids });
        const policy = onlyResource(run, "aws:iam/rolePolicy:RolePolicy", "offhours-stop-start");
        expect(JSON.parse(policy.props.policy).Statement).to.deep.equal([{
            Sid: "StopStartInstances",
            Effect: "Allow",
            Action: ["ec2:StopInstances", "ec2:StartInstances"],
            Resource: ids.map((id) => `arn:aws:ec2:us-east-1:123456789012:instance/${id}`),
        }]);
        expect(resourcesOfType(run, SCHEDULE).filter((s) => s.name.includes("-db-"))).to.deep.equal([]);
    });

    it("instances on customer managed keys also get the grant EC2 needs to start them, for AWS resources only", () => {
        const policy = stopStartPolicy("", ["arn:aws:ec2:us-east-1:123456789012:instance/i-1"], ["arn:aws:kms:us-east-1:123456789012:key/k-1"]) as { Statement: unknown[] };
        expect(policy.Statement).to.deep.equal([
            { Sid: "StopStartInstances", Effect: "Allow", Action: ["ec2:StopInstances", "ec2:StartInstances"], Resource: ["arn:aws:ec2:us-east-1:123456789012:instance/i-1"] },
            { Sid: "StartWithEncryptedVolumes", Effect: "Allow", Action: "kms:CreateGrant", Resource: ["arn:aws:kms:us-east-1:123456789012:key/k-1"], Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } } },
        ]);
    });

    it("prod never stops: no store schedules, and offHoursStores true is refused there", async () => {
        const run = await shippedStack("prod");
        expect(resourcesOfType(run, SCHEDULE)).to.deep.equal([]);
        expect(resourcesOfType(run, "aws:scheduler/scheduleGroup:ScheduleGroup")).to.deep.equal([]);
        const refused = await runWith({ stack: "prod", overrides: { offHoursStores: true } });
        expect(refused.error?.name).to.equal("ConfigError");
        expect(refused.error?.message).to.contain("memory-spine:offHoursStores = \"true\": prod never stops its stores");
        expect(refused.resources).to.deep.equal([]);
    });

    it("offHoursStores false keeps the stores running outside prod", async () => {
        const run = await runWith({ stack: "dev", overrides: { offHoursStores: false } });
        expect(run.error).to.equal(undefined);
        expect(resourcesOfType(run, SCHEDULE)).to.deep.equal([]);
        expect(resourcesOfType(run, ASG_SCHEDULE)).to.have.lengthOf(2);
    });

    it("refuses a bad margin, a non-boolean switch and a cron the margin cannot move, before any resource", async () => {
        const run = await runWith({ stack: "dev", overrides: { offHoursStores: "sometimes", offHoursStoreMarginMinutes: 0 } });
        expect(run.error?.name).to.equal("ConfigError");
        expect(run.error?.message).to.contain("memory-spine:offHoursStores = \"sometimes\": must be true or false");
        expect(run.error?.message).to.contain("memory-spine:offHoursStoreMarginMinutes = \"0\": must be a whole number from 5 to 120 (minutes)");
        expect(run.resources).to.deep.equal([]);
        const unshiftable = await runWith({ stack: "staging", overrides: { scaleUpCron: "0,30 7 * * 1-5" } });
        expect(unshiftable.error?.message).to.contain("memory-spine:scaleUpCron = \"0,30 7 * * 1-5\": the stores' schedule is this cron moved by -15 minutes");
        const tooLong = await runWith({ stack: "dev", overrides: { offHoursStoreMarginMinutes: 121 } });
        expect(tooLong.error?.message).to.contain("memory-spine:offHoursStoreMarginMinutes = \"121\"");
    });

    it("stores start before the API group scales up and stop after it scales down, every firing of the week", async () => {
        for (const stack of ["dev", "staging"] as const) {
            const run = await shippedStack(stack);
            const groupActions = resourcesOfType(run, ASG_SCHEDULE);
            const up = groupActions.find((a) => a.props.desiredCapacity > 0)?.props.recurrence as string;
            const down = groupActions.find((a) => a.props.desiredCapacity === 0)?.props.recurrence as string;
            const storeStops = resourcesOfType(run, SCHEDULE).filter((s) => s.name.endsWith("-stop"));
            const storeStarts = resourcesOfType(run, SCHEDULE).filter((s) => s.name.endsWith("-start"));
            for (const s of storeStarts) {
                const starts = weeklyFirings(schedulerExpressionToCron(s.props.scheduleExpression));
                expect(starts.map((m) => m + 15), `${stack} ${s.name}`).to.deep.equal(weeklyFirings(up));
            }
            for (const s of storeStops) {
                const stops = weeklyFirings(schedulerExpressionToCron(s.props.scheduleExpression));
                expect(stops.map((m) => (m - 15 + MINUTES_PER_WEEK) % MINUTES_PER_WEEK), `${stack} ${s.name}`).to.deep.equal(weeklyFirings(down));
            }
        }
    });

    it("covers weekends and RDS's 7-day restart: stopped Friday night to Monday morning, re-stopped within a day", async () => {
        const run = await shippedStack("dev");
        const stop = schedulerExpressionToCron(onlyResource(run, SCHEDULE, "db-stop").props.scheduleExpression);
        const start = schedulerExpressionToCron(onlyResource(run, SCHEDULE, "db-start").props.scheduleExpression);
        const week = weeklyRun([{ recurrence: stop, capacity: 0 }, { recurrence: start, capacity: 1 }], 1);
        // Monday to Friday 07:45-18:15 = 5 x 10.5 h running; Saturday and Sunday stopped throughout.
        expect(week.runningHoursPerWeek).to.equal(52.5);
        // The longest stop is Friday 18:15 to Monday 07:45 (61.5 h), far below RDS's 7 days, so RDS
        // never restarts it in a normal week; when it does (start schedule disabled for a holiday),
        // the daily stop stops it again within 24 h.
        expect(longestGapHours(start)).to.equal(72);
        expect(longestGapHours(stop)).to.equal(24);
    });

    it("dev's database backs up and takes maintenance while it runs (RDS backs up no stopped instance)", async () => {
        const run = await shippedStack("dev");
        const db = onlyResource(run, "aws:rds/instance:Instance");
        expect(db.props).to.include({ backupWindow: "12:00-12:30", maintenanceWindow: "wed:12:30-wed:13:00" });
    });

    it("refuses database windows that fall into the stopped hours, under summer and winter time, or overlap", async () => {
        const refused = await runWith({ stack: "dev", overrides: { dbBackupWindow: "03:00-04:00", dbMaintenanceWindow: "sun:04:30-sun:05:30" } });
        expect(refused.error?.message).to.contain("memory-spine:dbBackupWindow = \"03:00-04:00\": falls outside the hours the database runs on some day (e.g. the database runs 07:45-18:15 UTC): RDS takes no automated backup of a stopped instance");
        expect(refused.error?.message).to.contain("memory-spine:dbMaintenanceWindow = \"sun:04:30-sun:05:30\": falls outside the hours the database runs");
        expect(refused.resources).to.deep.equal([]);
        // Europe/Berlin with the default day: the stores run 06:45-20:15 local, 05:45-19:15 UTC in
        // winter but 04:45-18:15 UTC in summer.
        expect(utcOffsets("Europe/Berlin")).to.deep.equal([60, 120]);
        const berlin = { scheduleTimeZone: "Europe/Berlin", scaleUpCron: "0 7 * * 1-5", scaleDownCron: "0 20 * * *", dbMaintenanceWindow: "wed:12:30-wed:13:00" };
        expect((await runWith({ stack: "dev", overrides: { ...berlin, dbBackupWindow: "05:50-06:20" } })).error).to.equal(undefined);
        const summer = await runWith({ stack: "dev", overrides: { ...berlin, dbBackupWindow: "18:30-19:00" } });
        expect(summer.error?.message).to.contain("memory-spine:dbBackupWindow = \"18:30-19:00\": falls outside the hours the database runs on some day (e.g. the database runs 04:45-18:15 UTC at UTC+2)");
        const overlap = await runWith({ stack: "dev", overrides: { dbMaintenanceWindow: "wed:12:15-wed:12:45" } });
        expect(overlap.error?.message).to.contain("memory-spine:dbMaintenanceWindow = \"wed:12:15-wed:12:45\": must not overlap dbBackupWindow");
        const malformed = await runWith({ stack: "dev", overrides: { dbBackupWindow: "noon", dbMaintenanceWindow: "wed:12:30-wed:12:40" } });
        expect(malformed.error?.message).to.contain("memory-spine:dbBackupWindow = \"noon\": must be a daily UTC window of at least 30 minutes");
        expect(malformed.error?.message).to.contain("memory-spine:dbMaintenanceWindow = \"wed:12:30-wed:12:40\": must be a weekly UTC window of at least 30 minutes");
        // Without the store schedule any well-formed window is fine.
        expect((await runWith({ stack: "dev", overrides: { offHoursStores: false, dbBackupWindow: "03:00-04:00", dbMaintenanceWindow: "sun:04:30-sun:05:30" } })).error).to.equal(undefined);
    });
});
