/**
 * The cost estimate as it travels in a policy message: a human summary, then one line
 * `estimate-json: {...}` carrying the whole CostEstimate (amounts rounded to cents) so that tools
 * (the offline plan) can render a table without re-implementing the estimate.
 */
import { CostEstimate, CostLine, roundUsd } from "./estimate";

export const ESTIMATE_JSON_PREFIX = "estimate-json: ";

export function usd(value: number): string {
    return `$${roundUsd(value).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** Copy with money rounded to cents and fractions to 4 decimals. */
export function roundEstimate(e: CostEstimate): CostEstimate {
    const roundLine = (l: CostLine): CostLine => ({
        ...l,
        quantityDesired: Math.round(l.quantityDesired * 1000) / 1000,
        quantityMax: Math.round(l.quantityMax * 1000) / 1000,
        scheduleFraction: Math.round(l.scheduleFraction * 10000) / 10000,
        monthlyUsd: {
            desired: roundUsd(l.monthlyUsd.desired),
            withSchedule: roundUsd(l.monthlyUsd.withSchedule),
            max: roundUsd(l.monthlyUsd.max),
        },
    });
    return {
        ...e,
        totals: {
            desiredMonthlyUsd: roundUsd(e.totals.desiredMonthlyUsd),
            withScheduleMonthlyUsd: roundUsd(e.totals.withScheduleMonthlyUsd),
            maxMonthlyUsd: roundUsd(e.totals.maxMonthlyUsd),
            scheduleSavingMonthlyUsd: roundUsd(e.totals.scheduleSavingMonthlyUsd),
        },
        lines: e.lines.map(roundLine),
        schedules: e.schedules.map((s) => ({
            ...s,
            runningHoursPerWeek: Math.round(s.runningHoursPerWeek * 100) / 100,
            fraction: Math.round(s.fraction * 10000) / 10000,
        })),
        storeSchedules: (e.storeSchedules ?? []).map((s) => ({
            ...s,
            runningHoursPerWeek: Math.round(s.runningHoursPerWeek * 100) / 100,
            stoppedHoursPerWeek: Math.round(s.stoppedHoursPerWeek * 100) / 100,
            fraction: Math.round(s.fraction * 10000) / 10000,
        })),
    };
}

export function summarizeEstimate(e: CostEstimate): string {
    const t = e.totals;
    const parts = [
        `estimate: ${usd(t.withScheduleMonthlyUsd)}/month at desired capacity with schedules`,
        `${usd(t.desiredMonthlyUsd)}/month at desired capacity without schedules`,
        `${usd(t.maxMonthlyUsd)}/month at max capacity`,
    ];
    let text = `${parts.join(", ")} (${e.region} on-demand, ${e.hoursPerMonth} h/month, ${e.albLcuCount} LCU per ALB).`;
    for (const s of e.schedules) {
        const saving = e.lines
            .filter((l) => l.urn === s.groupUrn)
            .reduce((acc, l) => acc + l.monthlyUsd.desired - l.monthlyUsd.withSchedule, 0);
        text += `\nschedule: ${s.groupName} runs ${Math.round(s.runningHoursPerWeek * 100) / 100} of 168 h/week (down ${s.scaleDown.join(" | ") || "-"}, up ${s.scaleUp.join(" | ") || "-"}, ${s.timeZone ?? "UTC"}), saving ${usd(saving)}/month.`;
        for (const p of s.problems) {
            text += `\nschedule problem: ${p}`;
        }
    }
    for (const s of e.storeSchedules ?? []) {
        text += `\nstopped off hours: ${s.resourceName} stopped ${Math.round(s.stoppedHoursPerWeek * 100) / 100} of 168 h/week (stop ${s.stop.join(" | ") || "-"}, start ${s.start.join(" | ") || "-"}, ${s.timeZone}).`;
        for (const p of s.problems) {
            text += `\nschedule problem: ${s.resourceName}: ${p}`;
        }
    }
    const missing = e.unpriced.filter((u) => u.byUse !== true);
    const byUse = e.unpriced.filter((u) => u.byUse === true);
    if (byUse.length > 0) {
        text += `\nbilled by use (not included in the totals): ${byUse.map((u) => `${u.item} (${u.name})`).join("; ")}.`;
    }
    if (missing.length > 0) {
        const list = missing.map((u) => `${u.item} (${u.type} "${u.name}": ${u.reason})`).join("; ");
        text += `\nunpriced (not included in the totals): ${list}.`;
    }
    return text;
}

/** The advisory message: summary lines, then the machine-readable line. */
export function formatEstimateReport(e: CostEstimate): string {
    return `${summarizeEstimate(e)}\n${ESTIMATE_JSON_PREFIX}${JSON.stringify(roundEstimate(e))}`;
}

/** Extracts the CostEstimate from a policy message (or undefined when there is none). */
export function parseEstimateReport(message: string): CostEstimate | undefined {
    for (const line of message.split("\n")) {
        if (line.startsWith(ESTIMATE_JSON_PREFIX)) {
            return JSON.parse(line.slice(ESTIMATE_JSON_PREFIX.length)) as CostEstimate;
        }
    }
    return undefined;
}
