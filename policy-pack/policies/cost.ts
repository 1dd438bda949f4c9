/** Cost guardrails. */
import { Policies } from "@pulumi/policy";
import { acceleratorsProdOnly } from "./cost/accelerators-prod-only";
import { blockedInstanceTypes } from "./cost/blocked-instance-types";
import { costEstimateReport } from "./cost/cost-estimate-report";
import { monthlyCostEstimate } from "./cost/monthly-cost-estimate";
import { nonprodScaleToZeroSchedule } from "./cost/nonprod-scale-to-zero-schedule";

export const costPolicies: Policies = [
    blockedInstanceTypes,
    acceleratorsProdOnly,
    costEstimateReport,
    monthlyCostEstimate,
    nonprodScaleToZeroSchedule,
];
