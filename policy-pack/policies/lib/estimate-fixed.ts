/**
 * Resources with a fixed monthly price that are not compute or storage: KMS keys, Route 53 hosted
 * zones, CloudWatch alarms
 * and dashboards, Secrets Manager secrets (including the one RDS creates for a managed master
 * password), public IPv4 addresses (Elastic IPs, internet-facing balancer nodes), Managed Grafana
 * users, and EventBridge Scheduler invocations beyond the free tier.
 */
import { EstimateSink } from "./estimate-sink";
import { PriceData } from "./prices";
import { asArray, asBool, asNumber, asRecord, asString, isUnknown, rawProps } from "./props";
import { StackResource } from "./stack";
import { AWS, isLoadBalancer } from "./types";
import { schedulerInvocationsPerMonth, SCHEDULER_SCHEDULE } from "./store-schedules";

export const FIXED_PRICE_TYPES = {
    kmsKey: "aws:kms/key:Key",
    hostedZone: "aws:route53/zone:Zone",
    metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    compositeAlarm: "aws:cloudwatch/compositeAlarm:CompositeAlarm",
    dashboard: "aws:cloudwatch/dashboard:Dashboard",
    secret: "aws:secretsmanager/secret:Secret",
    eip: "aws:ec2/eip:Eip",
    grafanaWorkspace: "aws:grafana/workspace:Workspace",
    grafanaRoleAssociation: "aws:grafana/roleAssociation:RoleAssociation",
} as const;

/** CloudWatch bills an alarm per metric it watches; under 60 s periods at the high-resolution price. */
function alarmMetrics(alarm: StackResource): { metrics: number; highResolution: boolean } {
    const queries = asArray(alarm.props["metricQueries"]).map(asRecord).filter((q) => q !== undefined);
    const periods: number[] = [];
    let metrics = 1;
    if (queries.length > 0) {
        const withMetric = queries.map((q) => asRecord(q?.["metric"])).filter((m) => m !== undefined);
        metrics = Math.max(1, withMetric.length);
        periods.push(...withMetric.map((m) => asNumber(m?.["period"]) ?? 60));
    } else {
        periods.push(asNumber(alarm.props["period"]) ?? 60);
    }
    // An anomaly-detection alarm is billed as three metrics (the metric and its band's bounds).
    if (asString(alarm.props["thresholdMetricId"]) !== undefined) {
        metrics *= 3;
    }
    return { metrics, highResolution: periods.some((p) => p < 60) };
}

/**
 * The load balancer's public IPv4 addresses: one per subnet (zone) when internet-facing. At a first
 * preview the subnet ids are not known yet, but the subnets the list depends on are.
 */
function publicBalancerAddresses(lb: StackResource): number | undefined {
    if (asBool(lb.props["internal"]) === true) {
        return 0;
    }
    const raw = rawProps(lb.props);
    const known = (key: string) => (isUnknown(raw[key]) ? 0 : asArray(raw[key]).length);
    const dependencies = new Set([...(lb.propertyDependencies["subnets"] ?? []), ...(lb.propertyDependencies["subnetMappings"] ?? [])]).size;
    const count = Math.max(known("subnetMappings"), known("subnets"), dependencies);
    return count > 0 ? count : undefined;
}

export function estimateFixedPrices(sink: EstimateSink, resources: readonly StackResource[], prices: PriceData): void {
    const hours = prices.hoursPerMonth;
    const cw = prices.cloudwatchMonthly;
    for (const r of resources) {
        switch (r.type) {
            case FIXED_PRICE_TYPES.kmsKey:
                sink.line(r, "KMS customer managed key", "kms:key", "month", prices.kmsKeyMonthly, 1, 1);
                break;
            case FIXED_PRICE_TYPES.hostedZone:
                sink.line(r, "Route 53 hosted zone", "route53:hosted-zone", "month", prices.route53HostedZoneMonthly, 1, 1);
                break;
            case FIXED_PRICE_TYPES.metricAlarm: {
                const { metrics, highResolution } = alarmMetrics(r);
                const price = highResolution ? cw.highResolutionAlarmMetric : cw.standardAlarmMetric;
                const item = `CloudWatch alarm, ${metrics} ${highResolution ? "high-resolution" : "standard"} metric${metrics === 1 ? "" : "s"}`;
                sink.line(r, item, highResolution ? "cloudwatch:alarm-high-resolution" : "cloudwatch:alarm", "month", price, metrics, metrics);
                break;
            }
            case FIXED_PRICE_TYPES.compositeAlarm:
                sink.line(r, "CloudWatch composite alarm", "cloudwatch:composite-alarm", "month", cw.compositeAlarm, 1, 1);
                break;
            case FIXED_PRICE_TYPES.dashboard:
                sink.line(r, "CloudWatch dashboard", "cloudwatch:dashboard", "month", cw.dashboard, 1, 1);
                break;
            case FIXED_PRICE_TYPES.secret:
                sink.line(r, "Secrets Manager secret", "secretsmanager:secret", "month", prices.secretsManagerSecretMonthly, 1, 1);
                break;
            case FIXED_PRICE_TYPES.eip:
                sink.line(r, "public IPv4 address (Elastic IP)", "vpc:public-ipv4", "hour", prices.publicIpv4Hourly, hours, hours);
                break;
            case AWS.rdsInstance:
            case AWS.rdsCluster:
                if (asBool(r.props["manageMasterUserPassword"]) === true) {
                    sink.line(r, "Secrets Manager secret (RDS-managed master password)", "secretsmanager:secret", "month", prices.secretsManagerSecretMonthly, 1, 1);
                }
                break;
            case FIXED_PRICE_TYPES.grafanaWorkspace:
                sink.unpriced(r, "Managed Grafana active users",
                    `$${prices.grafanaActiveUserMonthly.editor.usd} per active editor or admin and $${prices.grafanaActiveUserMonthly.viewer.usd} per active viewer per month; ` +
                    "the workspace itself is free and the stack assigns no users (IAM Identity Center assignments are made outside it): price it with the number of people who sign in each month", true);
                break;
            case FIXED_PRICE_TYPES.grafanaRoleAssociation: {
                const role = asString(r.props["role"]) ?? "VIEWER";
                const users = asArray(r.props["userIds"]).length;
                const price = role === "VIEWER" ? prices.grafanaActiveUserMonthly.viewer : prices.grafanaActiveUserMonthly.editor;
                if (users > 0) {
                    sink.line(r, `Managed Grafana ${role.toLowerCase()} users x${users} (if active)`, `grafana:${role === "VIEWER" ? "viewer" : "editor"}`, "month", price, users, users);
                }
                if (asArray(r.props["groupIds"]).length > 0) {
                    sink.unpriced(r, `Managed Grafana ${role.toLowerCase()} groups`, `$${price.usd} per active member per month; the groups' sizes are not in the stack`, true);
                }
                break;
            }
            default:
                if (isLoadBalancer(r.type)) {
                    const addresses = publicBalancerAddresses(r);
                    if (addresses === undefined) {
                        addUnpricedAddresses(sink, r, prices);
                    } else if (addresses > 0) {
                        sink.line(r, `public IPv4 addresses x${addresses} (internet-facing balancer)`, "vpc:public-ipv4", "hour", prices.publicIpv4Hourly, hours * addresses, hours * addresses);
                    }
                }
        }
    }
    estimateSchedulerInvocations(sink, resources, prices);
}

function addUnpricedAddresses(sink: EstimateSink, lb: StackResource, prices: PriceData): void {
    sink.unpriced(lb, "public IPv4 addresses (internet-facing balancer)", `$${prices.publicIpv4Hourly.usd}/hour per zone the balancer spans; its subnets are not known`);
}

/** Scheduler bills invocations beyond a monthly free tier; a few off-hours schedules never leave it. */
function estimateSchedulerInvocations(sink: EstimateSink, resources: readonly StackResource[], prices: PriceData): void {
    const schedules = resources.filter((r) => r.type === SCHEDULER_SCHEDULE);
    if (schedules.length === 0) {
        return;
    }
    const invocations = schedulerInvocationsPerMonth(resources, prices.hoursPerMonth);
    const { perMillion, freePerMonth } = prices.schedulerInvocations;
    const billable = Math.max(0, invocations - freePerMonth);
    const item = `EventBridge Scheduler invocations (${schedules.length} schedules, about ${invocations.toLocaleString("en-US")}/month)`;
    if (billable === 0) {
        sink.unpriced(schedules[0], item,
            `within the free tier of ${freePerMonth.toLocaleString("en-US")} invocations per month (shared by the account), $${perMillion.usd.toFixed(2)} per million beyond it: $0.00`, true);
        return;
    }
    sink.line(schedules[0], item, "scheduler:invocations", "million invocations", perMillion, billable / 1e6, billable / 1e6);
}
