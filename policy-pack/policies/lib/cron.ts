/**
 * 5-field cron (minute hour day-of-month month day-of-week), as used by Auto Scaling scheduled
 * actions, and the weekly on-hours of a group driven by scale-down/scale-up schedules.
 *
 * Supported per field: `*`, numbers, lists (`1,3,5`), ranges (`1-5`), steps (`*\/15`, `0-30/10`,
 * `5/15`), and names for months (JAN..DEC) and days of week (SUN..SAT; 0 and 7 are Sunday).
 * The weekly model needs day-of-month and month to be `*`; other expressions are rejected with a
 * CronError saying so, and the estimate then claims no saving for that schedule.
 */

export class CronError extends Error {
    constructor(
        readonly expression: string,
        reason: string,
    ) {
        super(`cron "${expression}": ${reason}`);
    }
}

export interface CronSpec {
    expression: string;
    minutes: number[];
    hours: number[];
    daysOfMonth: number[];
    months: number[];
    /** 0 = Sunday ... 6 = Saturday. */
    daysOfWeek: number[];
    dayOfMonthIsWildcard: boolean;
    monthIsWildcard: boolean;
    dayOfWeekIsWildcard: boolean;
}

const MONTH_NAMES = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface FieldSpec {
    name: string;
    min: number;
    max: number;
    names?: { list: string[]; offset: number };
}

const FIELDS: FieldSpec[] = [
    { name: "minute", min: 0, max: 59 },
    { name: "hour", min: 0, max: 23 },
    { name: "day-of-month", min: 1, max: 31 },
    { name: "month", min: 1, max: 12, names: { list: MONTH_NAMES, offset: 1 } },
    { name: "day-of-week", min: 0, max: 7, names: { list: DAY_NAMES, offset: 0 } },
];

function parseValue(expr: string, token: string, field: FieldSpec): number {
    const upper = token.toUpperCase();
    if (field.names) {
        const idx = field.names.list.indexOf(upper);
        if (idx >= 0) {
            return idx + field.names.offset;
        }
    }
    if (!/^\d+$/.test(token)) {
        throw new CronError(expr, `invalid ${field.name} value "${token}"`);
    }
    const n = Number(token);
    if (n < field.min || n > field.max) {
        throw new CronError(expr, `${field.name} value ${n} is outside ${field.min}-${field.max}`);
    }
    return n;
}

function parseField(expr: string, text: string, field: FieldSpec): number[] {
    const values = new Set<number>();
    for (const part of text.split(",")) {
        if (part === "") {
            throw new CronError(expr, `empty list item in ${field.name} field`);
        }
        const [rangeText, stepText, ...rest] = part.split("/");
        if (rest.length > 0) {
            throw new CronError(expr, `invalid step in ${field.name} field "${part}"`);
        }
        let step = 1;
        if (stepText !== undefined) {
            if (!/^\d+$/.test(stepText) || Number(stepText) === 0) {
                throw new CronError(expr, `invalid step "${stepText}" in ${field.name} field`);
            }
            step = Number(stepText);
        }
        let lo: number;
        let hi: number;
        if (rangeText === "*") {
            lo = field.min;
            hi = field.max;
        } else if (rangeText.includes("-")) {
            const [a, b, ...more] = rangeText.split("-");
            if (more.length > 0) {
                throw new CronError(expr, `invalid range "${rangeText}" in ${field.name} field`);
            }
            lo = parseValue(expr, a, field);
            hi = parseValue(expr, b, field);
            if (hi < lo) {
                throw new CronError(expr, `range "${rangeText}" in ${field.name} field runs backwards`);
            }
        } else {
            lo = parseValue(expr, rangeText, field);
            // "5/15" means "from 5 to the end, every 15".
            hi = stepText !== undefined ? field.max : lo;
        }
        for (let v = lo; v <= hi; v += step) {
            values.add(v);
        }
    }
    return [...values].sort((a, b) => a - b);
}

export function parseCron(expression: string): CronSpec {
    const fields = expression.trim().split(/\s+/);
    if (fields.length !== 5) {
        throw new CronError(expression, `expected 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`);
    }
    const [minutes, hours, daysOfMonth, months, dow] = fields.map((f, i) => parseField(expression, f, FIELDS[i]));
    const daysOfWeek = [...new Set(dow.map((d) => d % 7))].sort((a, b) => a - b);
    return {
        expression,
        minutes,
        hours,
        daysOfMonth,
        months,
        daysOfWeek,
        dayOfMonthIsWildcard: fields[2] === "*",
        monthIsWildcard: fields[3] === "*",
        dayOfWeekIsWildcard: fields[4] === "*",
    };
}

export const MINUTES_PER_WEEK = 7 * 24 * 60;
export const HOURS_PER_WEEK = 168;

/** Minutes since Sunday 00:00 at which the expression fires during one week (sorted). */
export function weeklyFirings(expression: string): number[] {
    const spec = parseCron(expression);
    if (!spec.dayOfMonthIsWildcard || !spec.monthIsWildcard) {
        throw new CronError(expression, "only weekly schedules (day-of-month and month both *) can be estimated");
    }
    const firings: number[] = [];
    for (const day of spec.daysOfWeek) {
        for (const hour of spec.hours) {
            for (const minute of spec.minutes) {
                firings.push(day * 1440 + hour * 60 + minute);
            }
        }
    }
    return firings.sort((a, b) => a - b);
}

/** A scheduled action: at every firing of `recurrence` the group's desired capacity becomes `capacity`. */
export interface CapacityEvent {
    recurrence: string;
    capacity: number;
}

export interface WeeklyRun {
    /** Hours per week during which the group has at least one instance. */
    runningHoursPerWeek: number;
    /** Instance-hours per week. */
    instanceHoursPerWeek: number;
    /** instanceHoursPerWeek / (168 x baseline capacity); 1 when there are no events. */
    fraction: number;
}

/**
 * Steady-state weekly run of a group: between two consecutive firings the group holds the capacity
 * set by the earlier one (the week wraps around). When several actions fire in the same minute the
 * larger capacity wins (the estimate errs on the expensive side). Time zones shift every firing by
 * the same offset and so do not change weekly totals.
 */
export function weeklyRun(events: readonly CapacityEvent[], baselineCapacity: number): WeeklyRun {
    const byMinute = new Map<number, number>();
    for (const e of events) {
        for (const minute of weeklyFirings(e.recurrence)) {
            const prev = byMinute.get(minute);
            byMinute.set(minute, prev === undefined ? e.capacity : Math.max(prev, e.capacity));
        }
    }
    if (byMinute.size === 0) {
        return {
            runningHoursPerWeek: baselineCapacity > 0 ? HOURS_PER_WEEK : 0,
            instanceHoursPerWeek: HOURS_PER_WEEK * baselineCapacity,
            fraction: 1,
        };
    }
    const timeline = [...byMinute.entries()].sort((a, b) => a[0] - b[0]);
    let runningMinutes = 0;
    let instanceMinutes = 0;
    timeline.forEach(([start, capacity], i) => {
        const end = i + 1 < timeline.length ? timeline[i + 1][0] : timeline[0][0] + MINUTES_PER_WEEK;
        const duration = end - start;
        if (capacity > 0) {
            runningMinutes += duration;
            instanceMinutes += duration * capacity;
        }
    });
    const instanceHoursPerWeek = instanceMinutes / 60;
    return {
        runningHoursPerWeek: runningMinutes / 60,
        instanceHoursPerWeek,
        fraction: baselineCapacity > 0 ? instanceHoursPerWeek / (HOURS_PER_WEEK * baselineCapacity) : 0,
    };
}
