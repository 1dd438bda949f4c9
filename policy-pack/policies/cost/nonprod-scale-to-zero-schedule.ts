/**
 * Cost: outside prod every Auto Scaling group needs a scheduled action that scales it to zero
 * (desiredCapacity 0 and minSize 0, recurring) and one that brings it back (desiredCapacity > 0).
 * Stateful stores that EventBridge Scheduler stops off hours (RDS and EC2 stop/start targets) must
 * be started again by a schedule too, and the exempt environments (prod) never stop a store.
 */
import { StackValidationPolicy } from "@pulumi/policy";
import { CronError, parseCron } from "../lib/cron";
import { environmentListSchema, environmentOf, environmentSchema } from "../lib/environment";
import { groupSchedules } from "../lib/estimate";
import { validateStackWith } from "../lib/policy";
import { asNumber, asString } from "../lib/props";
import { StackResource } from "../lib/stack";
import { storeSchedules, isStopStartSchedule, scheduleTargets } from "../lib/store-schedules";
import { AWS, describe } from "../lib/types";

export interface ScaleToZeroConfig {
    /** Environments exempt from the rule. */
    exemptEnvironments: string[];
    environment?: string;
}

export const SCALE_TO_ZERO_DEFAULTS: ScaleToZeroConfig = { exemptEnvironments: ["prod"] };

function cronProblem(schedule: StackResource, recurrence: string): string | undefined {
    try {
        parseCron(recurrence);
        return undefined;
    } catch (e) {
        if (e instanceof CronError) {
            return `${describe(schedule)}: ${e.message}`;
        }
        throw e;
    }
}

export const nonprodScaleToZeroSchedule: StackValidationPolicy = {
    name: "nonprod-scale-to-zero-schedule",
    description:
        "Outside prod, every Auto Scaling group must have a recurring scheduled action (aws.autoscaling.Schedule) " +
        "that scales it to zero (desiredCapacity 0, minSize 0) and one that brings it back (desiredCapacity > 0), " +
        "e.g. down \"0 20 * * *\" and up \"0 7 * * 1-5\". Add both schedules (scaleDownCron/scaleUpCron). A store that an " +
        "EventBridge Scheduler schedule stops off hours must have a schedule that starts it again, and prod never stops a store.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            exemptEnvironments: environmentListSchema("Environments whose groups need no schedule.", SCALE_TO_ZERO_DEFAULTS.exemptEnvironments),
            environment: environmentSchema,
        },
    },
    validateStack: validateStackWith(SCALE_TO_ZERO_DEFAULTS, (resources, config, report) => {
        checkStoreSchedules(resources, config, report);
        const groups = resources.filter((r) => r.type === AWS.autoscalingGroup);
        if (groups.length === 0) {
            return;
        }
        for (const group of groups) {
            const env = environmentOf(group.props, config);
            if (env !== undefined && config.exemptEnvironments.includes(env)) {
                continue;
            }
            const schedules = groupSchedules(group, resources);
            const problems: string[] = [];
            let down = false;
            let up = false;
            for (const s of schedules) {
                const recurrence = asString(s.props["recurrence"]);
                if (recurrence === undefined) {
                    continue;
                }
                const problem = cronProblem(s, recurrence);
                if (problem !== undefined) {
                    problems.push(problem);
                    continue;
                }
                const desired = asNumber(s.props["desiredCapacity"]);
                const min = asNumber(s.props["minSize"]);
                if (desired === 0 && min === 0) {
                    down = true;
                } else if (desired === 0) {
                    problems.push(`${describe(s)} sets desiredCapacity 0 but minSize ${min ?? "not set"}: set minSize 0 too`);
                } else if (desired !== undefined && desired > 0) {
                    up = true;
                }
            }
            const missing = [
                ...(down ? [] : ["a recurring scale-down to zero (desiredCapacity 0, minSize 0)"]),
                ...(up ? [] : ["a recurring scale-up (desiredCapacity > 0)"]),
            ];
            if (missing.length === 0 && problems.length === 0) {
                continue;
            }
            const where = env === undefined ? "in an unknown environment" : `in ${env}`;
            report(
                `${describe(group)} ${where} lacks ${missing.length > 0 ? missing.join(" and ") : "valid schedules"}` +
                    `${problems.length > 0 ? ` (${problems.join("; ")})` : ""}. Add aws.autoscaling.Schedule resources for the ` +
                    `group, e.g. down "0 20 * * *" and up "0 7 * * 1-5".`,
                group.urn,
            );
        }
    }),
};

/** Stores stopped off hours come back on a schedule; exempt environments never stop a store. */
function checkStoreSchedules(resources: readonly StackResource[], config: ScaleToZeroConfig, report: (message: string, urn?: string) => void): void {
    for (const schedule of resources.filter(isStopStartSchedule)) {
        for (const target of scheduleTargets(schedule, resources)) {
            const env = environmentOf(target.props, config);
            if (env !== undefined && config.exemptEnvironments.includes(env)) {
                report(
                    `${describe(schedule)} stops or starts ${describe(target)} in ${env}, which never stops its stores. ` +
                        "Remove the schedule (offHoursStores: false / off_hours_stores = false in that environment).",
                    schedule.urn,
                );
            }
        }
    }
    for (const store of storeSchedules(resources).values()) {
        if (store.stop.length > 0 && store.start.length === 0) {
            report(
                `${store.resourceType} "${store.resourceName}" is stopped by a schedule (${store.stop.join(" | ")}) that no schedule undoes: ` +
                    "it stays down (RDS restarts an instance after 7 days, then stops it again). Add the matching start schedule.",
                store.resourceUrn,
            );
        }
    }
}
