/**
 * The off-hours keys of the stack config (`offHoursStores`, `offHoursStoreMarginMinutes`) and the
 * stores' schedule expressions derived from the API group's crons. Pure: config validation uses it
 * before any resource exists, the OffHoursSchedule component to build its schedules.
 */
import type { Environment, ScaleSchedule } from "./config";
import { CronError, MINUTES_PER_WEEK, weeklyFirings } from "../policy-pack/policies/lib/cron";
import { cronToSchedulerExpression, schedulerExpressionToCron, shiftWeeklyCron } from "../policy-pack/policies/lib/scheduler-cron";

/** Whether (and how) the stateful stores follow the off-hours schedule. */
export interface OffHoursSettings {
    /** Outside prod: stop the database and the Qdrant instances with the API group. Always false in prod. */
    stopStores: boolean;
    /** Stores start this many minutes before the API group scales up and stop this many after it scales down. */
    marginMinutes: number;
}

/** When the stores stop and start, as EventBridge Scheduler expressions. */
export interface StoreScheduleExpressions {
    /** `marginMinutes` after every scale-down of the API group. */
    stop: string;
    /** `marginMinutes` before every scale-up of the API group. */
    start: string;
}

/**
 * Stop after the API nodes are gone, start before they come back: a node never boots against a
 * store that is down, and no store idles under a running API. Throws a CronError when a cron cannot
 * be shifted into one expression.
 */
export function storeScheduleExpressions(schedule: ScaleSchedule, marginMinutes: number): StoreScheduleExpressions {
    return {
        stop: cronToSchedulerExpression(shiftWeeklyCron(schedule.scaleDownCron, marginMinutes)),
        start: cronToSchedulerExpression(shiftWeeklyCron(schedule.scaleUpCron, -marginMinutes)),
    };
}

export const OFF_HOURS_MARGIN_RANGE = { min: 5, max: 120 } as const;

/**
 * Validates the off-hours keys; `stopStores` and `marginMinutes` arrive parsed (undefined = not a
 * boolean / not a whole number). Reports through `problem` like every other check.
 */
export function checkOffHours(
    stopStores: boolean | undefined,
    marginMinutes: number | undefined,
    environment: Environment | undefined,
    schedule: ScaleSchedule | undefined,
    problem: (key: string, allowed: string) => void,
): OffHoursSettings {
    if (stopStores === undefined) {
        problem("offHoursStores", "must be true or false");
    } else if (stopStores && environment === "prod") {
        problem("offHoursStores", "prod never stops its stores: leave it out of the prod stack (prod's default is false) or set it to false");
    }
    const { min, max } = OFF_HOURS_MARGIN_RANGE;
    if (marginMinutes === undefined || marginMinutes < min || marginMinutes > max) {
        problem("offHoursStoreMarginMinutes", `must be a whole number from ${min} to ${max} (minutes)`);
    } else if (stopStores && environment !== "prod" && schedule !== undefined) {
        for (const [key, cron, offset] of [["scaleDownCron", schedule.scaleDownCron, marginMinutes], ["scaleUpCron", schedule.scaleUpCron, -marginMinutes]] as const) {
            try {
                shiftWeeklyCron(cron, offset);
            } catch (e) {
                if (!(e instanceof CronError)) {
                    throw e;
                }
                problem(key, `the stores' schedule is this cron moved by ${offset} minutes (offHoursStoreMarginMinutes), which fails: ${e.message}. ` +
                    "Use a weekly cron (day-of-month and month *) with one minute value, or set offHoursStores to false");
            }
        }
    }
    return { stopStores: stopStores === true && environment !== "prod", marginMinutes: marginMinutes ?? 0 };
}

/** RDS windows: daily backups "hh24:mi-hh24:mi", weekly maintenance "ddd:hh24:mi-ddd:hh24:mi", both UTC. */
const BACKUP_WINDOW_PATTERN = /^([01][0-9]|2[0-3]):([0-5][0-9])-([01][0-9]|2[0-3]):([0-5][0-9])$/;
const MAINTENANCE_WINDOW_PATTERN = /^(sun|mon|tue|wed|thu|fri|sat):([01][0-9]|2[0-3]):([0-5][0-9])-(sun|mon|tue|wed|thu|fri|sat):([01][0-9]|2[0-3]):([0-5][0-9])$/;
const WEEK_DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const MINUTES_PER_DAY = 1440;

/** A window as [start, end) minutes; `daily` windows repeat every day, weekly ones are minutes of the week. */
interface Window {
    start: number;
    end: number;
    daily: boolean;
}

/** Parses a backup (daily) or maintenance (weekly) window; undefined when malformed or shorter than 30 minutes. */
export function parseRdsWindow(text: string, kind: "backup" | "maintenance"): Window | undefined {
    let start: number;
    let end: number;
    if (kind === "backup") {
        const m = BACKUP_WINDOW_PATTERN.exec(text);
        if (m === null) {
            return undefined;
        }
        start = Number(m[1]) * 60 + Number(m[2]);
        end = Number(m[3]) * 60 + Number(m[4]);
        end = end <= start ? end + MINUTES_PER_DAY : end;
    } else {
        const m = MAINTENANCE_WINDOW_PATTERN.exec(text);
        if (m === null) {
            return undefined;
        }
        start = WEEK_DAYS.indexOf(m[1]) * MINUTES_PER_DAY + Number(m[2]) * 60 + Number(m[3]);
        end = WEEK_DAYS.indexOf(m[4]) * MINUTES_PER_DAY + Number(m[5]) * 60 + Number(m[6]);
        end = end <= start ? end + MINUTES_PER_WEEK : end;
    }
    return end - start >= 30 ? { start, end, daily: kind === "backup" } : undefined;
}

/** The zone's UTC offsets in minutes over a year (winter and summer in either hemisphere). */
export function utcOffsets(timeZone: string): number[] {
    const offsetAt = (utc: number): number => {
        const parts = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" })
            .formatToParts(new Date(utc))
            .reduce<Record<string, number>>((acc, p) => (p.type === "literal" ? acc : { ...acc, [p.type]: Number(p.value) }), {});
        return (Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute) - utc) / 60000;
    };
    return [...new Set([offsetAt(Date.UTC(2026, 0, 15)), offsetAt(Date.UTC(2026, 6, 15))])];
}

/**
 * The stores' running periods in UTC minutes of the week, for one UTC offset of the schedule's zone:
 * from each start firing to the next stop firing (local crons, shifted by the offset).
 */
function runningPeriodsUtc(expressions: StoreScheduleExpressions, offsetMinutes: number): [number, number][] {
    const events = [
        ...weeklyFirings(schedulerExpressionToCron(expressions.start)).map((m) => ({ m, running: true })),
        ...weeklyFirings(schedulerExpressionToCron(expressions.stop)).map((m) => ({ m, running: false })),
    ].sort((a, b) => a.m - b.m);
    const periods: [number, number][] = [];
    events.forEach((e, i) => {
        if (!e.running) {
            return;
        }
        // The period lasts until the next stop, wrapping around the week.
        const after = [...events.slice(i + 1), ...events.slice(0, i + 1).map((x) => ({ ...x, m: x.m + MINUTES_PER_WEEK }))];
        const stop = after.find((x) => !x.running);
        if (stop !== undefined && (periods.length === 0 || periods[periods.length - 1][1] !== stop.m - offsetMinutes)) {
            periods.push([e.m - offsetMinutes, stop.m - offsetMinutes]);
        }
    });
    return periods;
}

function contains(period: [number, number], start: number, end: number): boolean {
    // Compare in every week-shift so that periods and windows that wrap the week still match.
    return [-MINUTES_PER_WEEK, 0, MINUTES_PER_WEEK].some((shift) => period[0] <= start + shift && end + shift <= period[1]);
}

/**
 * Why an RDS window cannot do its job while the database follows the schedule, or undefined when
 * it can. RDS takes no automated backup while an instance is stopped and drops pending maintenance
 * when it stops, so every running period must hold a whole backup window, and some running period
 * the whole maintenance window, under each of the zone's UTC offsets (summer and winter time).
 */
export function rdsWindowProblem(window: Window, expressions: StoreScheduleExpressions, timeZone: string): string | undefined {
    for (const offset of utcOffsets(timeZone)) {
        const periods = runningPeriodsUtc(expressions, offset);
        const fits = window.daily
            ? periods.every((p) => [...Array(8).keys()].some((day) => contains(p, (day - 1) * MINUTES_PER_DAY + window.start, (day - 1) * MINUTES_PER_DAY + window.end)))
            : periods.some((p) => contains(p, window.start, window.end));
        if (!fits) {
            const hours = (m: number) => `${String(Math.floor((((m % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY) / 60)).padStart(2, "0")}:${String((((m % 60) + 60) % 60)).padStart(2, "0")}`;
            const example = periods[0] === undefined ? "" : ` (e.g. the database runs ${hours(periods[0][0])}-${hours(periods[0][1])} UTC${offset === 0 ? "" : ` at UTC${offset > 0 ? "+" : ""}${offset / 60}`})`;
            return window.daily
                ? `falls outside the hours the database runs on some day${example}: RDS takes no automated backup of a stopped instance. Choose a UTC window inside the running hours of every running day`
                : `falls outside the hours the database runs${example}: RDS drops pending maintenance when the instance stops. Choose a UTC window inside the running hours`;
        }
    }
    return undefined;
}

/**
 * Validates the pgvector database's backup and maintenance windows (`dbBackupWindow`,
 * `dbMaintenanceWindow`): their form always, and, when the database follows the off-hours
 * schedule, that they fall inside its running hours.
 */
export function checkDatabaseWindows(
    backupWindow: string,
    maintenanceWindow: string,
    followsSchedule: { schedule: ScaleSchedule; marginMinutes: number } | undefined,
    problem: (key: string, allowed: string) => void,
): void {
    const windows = [
        ["dbBackupWindow", parseRdsWindow(backupWindow, "backup"), "must be a daily UTC window of at least 30 minutes, hh24:mi-hh24:mi, e.g. 12:00-12:30"],
        ["dbMaintenanceWindow", parseRdsWindow(maintenanceWindow, "maintenance"), "must be a weekly UTC window of at least 30 minutes, ddd:hh24:mi-ddd:hh24:mi, e.g. wed:12:30-wed:13:00"],
    ] as const;
    for (const [key, window, allowed] of windows) {
        if (window === undefined) {
            problem(key, allowed);
        } else if (followsSchedule !== undefined) {
            let expressions: StoreScheduleExpressions;
            try {
                expressions = storeScheduleExpressions(followsSchedule.schedule, followsSchedule.marginMinutes);
            } catch (e) {
                if (e instanceof CronError) {
                    continue; // reported on the cron keys
                }
                throw e;
            }
            const why = rdsWindowProblem(window, expressions, followsSchedule.schedule.timeZone);
            if (why !== undefined) {
                problem(key, `${why}, or set offHoursStores to false`);
            }
        }
    }
    const backup = parseRdsWindow(backupWindow, "backup");
    const maintenance = parseRdsWindow(maintenanceWindow, "maintenance");
    if (backup !== undefined && maintenance !== undefined) {
        const overlaps = [...Array(7).keys()].some((day) => {
            const start = day * 1440 + backup.start;
            const end = day * 1440 + backup.end;
            return [-MINUTES_PER_WEEK, 0, MINUTES_PER_WEEK].some((shift) => start + shift < maintenance.end && maintenance.start < end + shift);
        });
        if (overlaps) {
            problem("dbMaintenanceWindow", "must not overlap dbBackupWindow (RDS refuses overlapping windows)");
        }
    }
}
