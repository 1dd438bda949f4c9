/**
 * EventBridge Scheduler expressions next to the 5-field cron of Auto Scaling scheduled actions.
 *
 * The two dialects differ: Scheduler's `cron(minute hour day-of-month month day-of-week year)` has
 * six fields, needs `?` in one of the two day fields, and numbers the days of the week 1-7 from
 * SUNDAY, where Auto Scaling (Unix cron) numbers them 0-6 (or 7) from Sunday. The program derives
 * the stores' stop/start expressions from the API group's crons with these helpers (shifted by a
 * margin, written with day NAMES so no numbering can be misread), and the cost estimate reads them
 * back to weekly run hours with the same parser as the Auto Scaling schedules (./cron).
 */
import { CronError, MINUTES_PER_WEEK, parseCron, weeklyFirings } from "./cron";

const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/** Scheduler day-of-week numbers (1 = SUN ... 7 = SAT) as Unix numbers (0 = Sunday ... 6 = Saturday). */
function schedulerDayToUnix(expression: string, token: string): string {
    return token.replace(/[0-9]+/g, (n) => {
        const day = Number(n);
        if (day < 1 || day > 7) {
            throw new CronError(expression, `day-of-week value ${day} is outside 1-7 (SUN-SAT)`);
        }
        return String(day - 1);
    });
}

/**
 * A Scheduler `cron(...)` expression as the equivalent 5-field Unix cron, for the weekly model.
 * `rate(...)`, `at(...)`, a year other than `*` and the L/W/# day operators are refused with a
 * CronError (the estimate then claims no saving for that schedule).
 */
export function schedulerExpressionToCron(expression: string): string {
    const match = /^cron\((.*)\)$/.exec(expression.trim());
    if (match === null) {
        throw new CronError(expression, "only cron(...) schedules can be estimated (rate(...) and at(...) are not weekly)");
    }
    const fields = match[1].trim().split(/\s+/);
    if (fields.length !== 6) {
        throw new CronError(expression, `expected 6 fields (minute hour day-of-month month day-of-week year), got ${fields.length}`);
    }
    const [minute, hour, dayOfMonth, month, dayOfWeek, year] = fields;
    if (year !== "*") {
        throw new CronError(expression, "only schedules that repeat every year (year *) can be estimated");
    }
    if (/[LW#]/i.test(`${dayOfMonth} ${dayOfWeek}`.replace(/WED/gi, ""))) {
        throw new CronError(expression, "the L, W and # day operators are not supported");
    }
    if (dayOfMonth !== "?" && dayOfWeek !== "?") {
        throw new CronError(expression, "one of day-of-month and day-of-week must be ?");
    }
    const unixDayOfMonth = dayOfMonth === "?" ? "*" : dayOfMonth;
    const unixDayOfWeek = dayOfWeek === "?" || dayOfWeek === "*" ? "*" : schedulerDayToUnix(expression, dayOfWeek);
    return [minute, hour, unixDayOfMonth, month, unixDayOfWeek].join(" ");
}

/** A weekly 5-field Unix cron as a Scheduler expression, e.g. "0 7 * * 1-5" -> "cron(0 7 ? * MON,TUE,WED,THU,FRI *)". */
export function cronToSchedulerExpression(cron: string): string {
    const spec = parseCron(cron);
    if (!spec.dayOfMonthIsWildcard || !spec.monthIsWildcard) {
        throw new CronError(cron, "only weekly schedules (day-of-month and month both *) can be converted");
    }
    const days = spec.daysOfWeek.length === 7 ? "*" : spec.daysOfWeek.map((d) => DAY_NAMES[d]).join(",");
    return `cron(${spec.minutes.join(",")} ${spec.hours.join(",")} ? * ${days} *)`;
}

/**
 * The weekly cron that fires `offsetMinutes` after (negative: before) every firing of `cron`.
 * Minutes that cross an hour or midnight move the hour and the day of the week with them. One cron
 * can only say "these minutes of these hours on these days", so a shift that breaks that shape
 * (e.g. "0,30 7 * * *" by -15 gives 06:45 and 07:15) is refused with a CronError.
 */
export function shiftWeeklyCron(cron: string, offsetMinutes: number): string {
    if (!Number.isInteger(offsetMinutes)) {
        throw new CronError(cron, `offset ${offsetMinutes} is not a whole number of minutes`);
    }
    const shifted = new Set(
        weeklyFirings(cron).map((m) => (((m + offsetMinutes) % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK),
    );
    const days = new Set<number>();
    const hours = new Set<number>();
    const minutes = new Set<number>();
    for (const m of shifted) {
        days.add(Math.floor(m / 1440));
        hours.add(Math.floor((m % 1440) / 60));
        minutes.add(m % 60);
    }
    const expressible = days.size * hours.size * minutes.size === shifted.size;
    if (!expressible) {
        throw new CronError(cron, `shifted by ${offsetMinutes} minutes it no longer fires at the same minutes of the same hours every chosen day`);
    }
    const sorted = (values: Set<number>) => [...values].sort((a, b) => a - b);
    const dayField = days.size === 7 ? "*" : sorted(days).join(",");
    return `${sorted(minutes).join(",")} ${sorted(hours).join(",")} * * ${dayField}`;
}

/**
 * The longest time in hours between two consecutive firings of a weekly cron (the week wraps).
 * For a stop schedule this bounds how long a resource that something else started (RDS restarts an
 * instance stopped for 7 days) can run before the schedule stops it again.
 */
export function longestGapHours(cron: string): number {
    const firings = weeklyFirings(cron);
    let longest = 0;
    firings.forEach((m, i) => {
        const next = i + 1 < firings.length ? firings[i + 1] : firings[0] + MINUTES_PER_WEEK;
        longest = Math.max(longest, next - m);
    });
    return longest / 60;
}
