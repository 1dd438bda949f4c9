import * as fs from "fs";
import * as path from "path";
import { Environment } from "./config";
import { SERVICE_TAG_VALUE } from "./tags";

/** The policy pack's per-environment config: the one source of each environment's budget. */
export const POLICY_CONFIG_DIR = path.join(__dirname, "..", "policy-pack", "config");

/** `monthly-cost-estimate.monthlyBudgetUsd` of policy-pack/config/<env>.json, read, never copied. */
export function policyBudgetUsd(environment: Environment): number {
    const file = path.join(POLICY_CONFIG_DIR, `${environment}.json`);
    const config = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, { monthlyBudgetUsd?: unknown }>;
    const budget = config["monthly-cost-estimate"]?.monthlyBudgetUsd;
    if (typeof budget !== "number" || !(budget > 0)) {
        throw new Error(`${file}: monthly-cost-estimate.monthlyBudgetUsd must be a positive number`);
    }
    return budget;
}

/** The budget limit: the stack's monthlyBudgetUsd, or (0 = default) the policy pack's number. */
export function budgetLimitUsd(environment: Environment, configured: number): number {
    return configured > 0 ? configured : policyBudgetUsd(environment);
}

/** Cost-allocation tags that select this deployment's spend (both must match). */
export function budgetTagFilters(environment: Environment): { key: string; values: string[] }[] {
    return [
        { key: "Service", values: [SERVICE_TAG_VALUE] },
        { key: "Environment", values: [environment] },
    ];
}

/**
 * How the budget aggregates spend. The provider documents `filterExpression` as "Conflicts with
 * `costFilter` and requires `metrics`": without it AWS stores a budget it cannot evaluate
 * ("Selected metrics cannot be null", terraform-provider-aws #46866). Unblended cost is the
 * on-demand price of each hour as it is billed, which is what the limit is set against: the policy
 * pack's monthly estimate prices the same resources at on-demand list prices (prices.json).
 */
export const BUDGET_METRIC = "UnblendedCost";

/** Notify at 80 % of actual spend and at 100 % of forecast spend. */
export const BUDGET_NOTIFICATIONS = [
    { threshold: 80, notificationType: "ACTUAL" },
    { threshold: 100, notificationType: "FORECASTED" },
] as const;
