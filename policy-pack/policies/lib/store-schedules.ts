/**
 * Stop/start schedules of stateful resources, as the pack sees them: EventBridge Scheduler schedules
 * (aws:scheduler/schedule:Schedule) whose universal target stops or starts an RDS instance or EC2
 * instances. The estimate bills a stopped RDS instance its storage only and a stopped EC2 instance
 * its EBS volumes only, for the hours these schedules keep them stopped.
 *
 * Targets are found from the schedule's input (`DbInstanceIdentifier`, `InstanceIds`) when it is
 * known, else from the `target` property's dependencies (during a first preview the instance ids
 * are not known yet, the dependencies are).
 */
import { CronError, HOURS_PER_WEEK, weeklyFirings, weeklyRun } from "./cron";
import { Props, asArray, asRecord, asString, isUnknown, rawProps } from "./props";
import { schedulerExpressionToCron } from "./scheduler-cron";
import { StackResource, linked } from "./stack";
import { AWS, describe } from "./types";

export const SCHEDULER_SCHEDULE = "aws:scheduler/schedule:Schedule";

/** Universal targets that stop (capacity 0) or start (capacity 1) a stateful resource, by the type they act on. */
const STOP_START_TARGETS: Record<string, { type: string; running: 0 | 1 }> = {
    "arn:aws:scheduler:::aws-sdk:rds:stopDBInstance": { type: AWS.rdsInstance, running: 0 },
    "arn:aws:scheduler:::aws-sdk:rds:startDBInstance": { type: AWS.rdsInstance, running: 1 },
    "arn:aws:scheduler:::aws-sdk:ec2:stopInstances": { type: AWS.ec2Instance, running: 0 },
    "arn:aws:scheduler:::aws-sdk:ec2:startInstances": { type: AWS.ec2Instance, running: 1 },
};

/** The weekly run of one stateful resource under its stop/start schedules. */
export interface StoreSchedule {
    resourceUrn: string;
    resourceName: string;
    resourceType: string;
    /** Unix crons (converted from the Scheduler expressions) that stop / start it. */
    stop: string[];
    start: string[];
    timeZone: string;
    runningHoursPerWeek: number;
    stoppedHoursPerWeek: number;
    /** Share of the week it runs (what its instance hours are billed at). */
    fraction: number;
    problems: string[];
}

/** Does this schedule stop or start a stateful resource? */
export function isStopStartSchedule(r: StackResource): boolean {
    return r.type === SCHEDULER_SCHEDULE && (asString(asRecord(r.props["target"])?.["arn"]) ?? "") in STOP_START_TARGETS;
}

/**
 * The schedule's input, when known. Read from the raw props: at a first preview the input holds ids
 * not known yet, and the targets are then found through the dependencies instead (not undecided).
 */
function parseInput(props: Props): Record<string, unknown> | undefined {
    const raw = rawProps(asRecord(rawProps(props)["target"]))["input"];
    const input = isUnknown(raw) ? undefined : asString(raw);
    if (input === undefined) {
        return undefined;
    }
    try {
        return asRecord(JSON.parse(input));
    } catch {
        return undefined;
    }
}

/** The resources a stop/start schedule acts on. */
export function scheduleTargets(schedule: StackResource, all: readonly StackResource[]): StackResource[] {
    const target = STOP_START_TARGETS[asString(asRecord(schedule.props["target"])?.["arn"]) ?? ""];
    if (target === undefined) {
        return [];
    }
    const input = parseInput(schedule.props);
    const ofType = (r: StackResource) => r.type === target.type;
    if (target.type === AWS.rdsInstance) {
        const identifier = asString(input?.["DbInstanceIdentifier"]);
        const byIdentifier = identifier === undefined ? [] : all.filter((r) => ofType(r) && asString(r.props["identifier"]) === identifier);
        return byIdentifier.length > 0 ? byIdentifier : linked(schedule, "target", identifier ? [identifier] : [], all, ofType);
    }
    const ids = asArray(input?.["InstanceIds"]).map(asString).filter((id): id is string => id !== undefined);
    return linked(schedule, "target", ids, all, ofType);
}

/** Weekly run of every stateful resource that a stop/start schedule targets, keyed by URN. */
export function storeSchedules(all: readonly StackResource[]): Map<string, StoreSchedule> {
    const events = new Map<string, { resource: StackResource; stop: string[]; start: string[]; zones: Set<string>; problems: string[] }>();
    for (const schedule of all.filter(isStopStartSchedule)) {
        const running = STOP_START_TARGETS[asString(asRecord(schedule.props["target"])?.["arn"]) as string].running;
        const targets = scheduleTargets(schedule, all);
        const expression = asString(schedule.props["scheduleExpression"]) ?? "";
        let cron: string | undefined;
        let problem: string | undefined;
        if (asString(schedule.props["state"]) === "DISABLED") {
            problem = `${describe(schedule)} is DISABLED: not counted`;
        } else {
            try {
                cron = schedulerExpressionToCron(expression);
                weeklyFirings(cron);
            } catch (e) {
                if (!(e instanceof CronError)) {
                    throw e;
                }
                cron = undefined;
                problem = `${describe(schedule)}: ${e.message}: not counted`;
            }
        }
        for (const resource of targets) {
            const entry = events.get(resource.urn) ?? { resource, stop: [], start: [], zones: new Set<string>(), problems: [] };
            if (cron !== undefined) {
                (running === 0 ? entry.stop : entry.start).push(cron);
                entry.zones.add(asString(schedule.props["scheduleExpressionTimezone"]) ?? "UTC");
            }
            if (problem !== undefined) {
                entry.problems.push(problem);
            }
            events.set(resource.urn, entry);
        }
    }
    const result = new Map<string, StoreSchedule>();
    for (const { resource, stop, start, zones, problems } of events.values()) {
        let run = { runningHoursPerWeek: HOURS_PER_WEEK, fraction: 1 };
        if (zones.size > 1) {
            problems.push(`its schedules use different time zones (${[...zones].join(", ")}): no saving counted`);
        } else if (stop.length > 0 && start.length === 0) {
            // Nothing brings it back; RDS would restart it after 7 days anyway. Claim nothing.
            problems.push("it is stopped but never started by a schedule: no saving counted");
        } else if (stop.length > 0) {
            const weekly = weeklyRun([...stop.map((recurrence) => ({ recurrence, capacity: 0 })), ...start.map((recurrence) => ({ recurrence, capacity: 1 }))], 1);
            run = { runningHoursPerWeek: weekly.runningHoursPerWeek, fraction: weekly.fraction };
        }
        result.set(resource.urn, {
            resourceUrn: resource.urn,
            resourceName: resource.name,
            resourceType: resource.type,
            stop,
            start,
            timeZone: [...zones][0] ?? "UTC",
            runningHoursPerWeek: run.runningHoursPerWeek,
            stoppedHoursPerWeek: HOURS_PER_WEEK - run.runningHoursPerWeek,
            fraction: run.fraction,
            problems,
        });
    }
    return result;
}

/** Invocations per month of every Scheduler schedule with a weekly cron (for the free-tier note). */
export function schedulerInvocationsPerMonth(all: readonly StackResource[], hoursPerMonth: number): number {
    let perWeek = 0;
    for (const schedule of all.filter((r) => r.type === SCHEDULER_SCHEDULE && asString(r.props["state"]) !== "DISABLED")) {
        try {
            perWeek += weeklyFirings(schedulerExpressionToCron(asString(schedule.props["scheduleExpression"]) ?? "")).length;
        } catch (e) {
            if (!(e instanceof CronError)) {
                throw e;
            }
        }
    }
    return Math.round((perWeek * hoursPerMonth) / HOURS_PER_WEEK);
}
