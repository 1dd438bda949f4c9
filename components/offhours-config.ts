/**
 * The off-hours keys of the stack config (`offHoursStores`, `offHoursStoreMarginMinutes`) and the
 * stores' schedule expressions derived from the API group's crons. Pure: config validation uses it
 * before any resource exists, the OffHoursSchedule component to build its schedules.
 */
import type { Environment, ScaleSchedule } from "./config";
import { CronError } from "../policy-pack/policies/lib/cron";
import { cronToSchedulerExpression, shiftWeeklyCron } from "../policy-pack/policies/lib/scheduler-cron";

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
        problem("offHoursStores", "prod never stops its stores: set it to false in the prod stack (memory-spine:offHoursStores: false)");
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
