/**
 * Cost: the monthly estimate at desired capacity, after scheduled scale-downs, must stay within the
 * environment's budget (`monthlyBudgetUsd`, set per environment in policy-pack/config/<env>.json; the
 * same key feeds the AWS Budgets alarm).
 */
import { StackValidationPolicy } from "@pulumi/policy";
import { environmentSchema, stackEnvironment } from "../lib/environment";
import { CostLine, estimateMonthlyCost } from "../lib/estimate";
import { validateStackWith } from "../lib/policy";
import { loadPrices } from "../lib/prices";
import { usd } from "../lib/report";
import { albLcuCountSchema } from "./cost-estimate-report";

export interface MonthlyCostEstimateConfig {
    /** Monthly budget in USD; required. */
    monthlyBudgetUsd?: number;
    albLcuCount: number;
    environment?: string;
}

export const MONTHLY_COST_ESTIMATE_DEFAULTS: MonthlyCostEstimateConfig = { albLcuCount: 1 };

export const monthlyCostEstimate: StackValidationPolicy = {
    name: "monthly-cost-estimate",
    description:
        "Fails when the stack's estimated monthly cost at desired capacity, after scheduled scale-downs, exceeds the " +
        "environment's budget (monthlyBudgetUsd in policy-pack/config/<env>.json). Lower instanceCount or " +
        "instanceType, add scale-to-zero schedules, or raise the budget with the cost owner's approval.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            monthlyBudgetUsd: {
                type: "number",
                exclusiveMinimum: 0,
                description: "Monthly budget of the stack in USD (dev 400, staging 1500, prod 6000).",
            },
            albLcuCount: albLcuCountSchema,
            environment: environmentSchema,
        },
        required: ["monthlyBudgetUsd"],
    },
    validateStack: validateStackWith(MONTHLY_COST_ESTIMATE_DEFAULTS, (resources, config, report) => {
        const budget = config.monthlyBudgetUsd;
        if (budget === undefined) {
            report("No budget configured: set monthlyBudgetUsd in this policy's config (policy-pack/config/<env>.json).");
            return;
        }
        const estimate = estimateMonthlyCost(resources, loadPrices(), { albLcuCount: config.albLcuCount });
        const total = estimate.totals.withScheduleMonthlyUsd;
        if (total <= budget) {
            return;
        }
        const env = stackEnvironment(resources, config);
        const biggest = [...estimate.lines]
            .sort((a: CostLine, b: CostLine) => b.monthlyUsd.withSchedule - a.monthlyUsd.withSchedule)
            .slice(0, 3)
            .map((l) => `${l.item} for ${l.type} "${l.name}" ${usd(l.monthlyUsd.withSchedule)}`)
            .join("; ");
        const missing = estimate.unpriced.filter((u) => u.byUse !== true).length;
        const unpriced = missing > 0 ? ` (${missing} more item(s) could not be priced)` : "";
        report(
            `Estimated ${usd(total)}/month at desired capacity with schedules${unpriced} exceeds the ` +
                `${env ?? "stack"} budget of ${usd(budget)}/month (monthlyBudgetUsd) by ${usd(total - budget)}. ` +
                `Largest items: ${biggest}. Lower instanceCount or instanceType, add scale-to-zero schedules, or raise ` +
                `monthlyBudgetUsd in policy-pack/config/${env ?? "<env>"}.json.`,
        );
    }),
};
