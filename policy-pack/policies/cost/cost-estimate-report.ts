/**
 * Cost: always reports the stack's monthly estimate (advisory), as a summary plus a machine-readable
 * `estimate-json:` line (see lib/report.ts) that the offline plan renders as a table.
 */
import { StackValidationPolicy } from "@pulumi/policy";
import { estimateMonthlyCost } from "../lib/estimate";
import { validateStackWith } from "../lib/policy";
import { loadPrices } from "../lib/prices";
import { formatEstimateReport } from "../lib/report";

export interface CostEstimateReportConfig {
    /** Load balancer capacity units assumed per Application Load Balancer, around the clock. */
    albLcuCount: number;
}

export const COST_ESTIMATE_REPORT_DEFAULTS: CostEstimateReportConfig = { albLcuCount: 1 };

export const albLcuCountSchema = {
    type: "number" as const,
    minimum: 0,
    default: 1,
    description: "Load balancer capacity units assumed per Application Load Balancer, around the clock.",
};

export const costEstimateReport: StackValidationPolicy = {
    name: "cost-estimate-report",
    description:
        "Reports the stack's estimated monthly cost (us-east-1 on-demand, 730 h/month; prices and sources in " +
        "policy-pack/data/prices.json) at desired capacity, at max capacity and with the scale-to-zero schedules, and " +
        "lists what could not be priced. Informational: the budget is enforced by monthly-cost-estimate.",
    enforcementLevel: "advisory",
    configSchema: { properties: { albLcuCount: albLcuCountSchema } },
    validateStack: validateStackWith(COST_ESTIMATE_REPORT_DEFAULTS, (resources, config, report) => {
        const estimate = estimateMonthlyCost(resources, loadPrices(), { albLcuCount: config.albLcuCount });
        report(formatEstimateReport(estimate));
    }),
};
