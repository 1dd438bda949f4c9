/**
 * Charges billed by use, which no stack definition can price: listed as unpriced, each with its
 * rate (policy-pack/data/prices.json "usage") and the usage figure that would price it.
 */
import { EstimateSink } from "./estimate-sink";
import { groupLaunchTemplate } from "./estimate";
import { PriceData, UsageRate } from "./prices";
import { asArray, asNumber, asString } from "./props";
import { StackResource } from "./stack";
import { AWS } from "./types";

export const USAGE_PRICED_TYPES = {
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    prometheusWorkspace: "aws:amp/workspace:Workspace",
    bucket: "aws:s3/bucket:Bucket",
    bucketV2: "aws:s3/bucketV2:BucketV2",
} as const;

/** T instances in unlimited mode (the default for t3, t3a, t4g) bill surplus CPU credits. */
const UNLIMITED_BURSTABLE = /^(db\.)?t(3|3a|4g)\./;

function rate(prices: PriceData, key: string): string {
    const r: UsageRate | undefined = prices.usage[key];
    return r === undefined ? "rate not in prices.json" : `$${r.usd.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 4 })} per ${r.unit}`;
}

export function listUsageCharges(sink: EstimateSink, resources: readonly StackResource[], prices: PriceData): void {
    for (const r of resources) {
        switch (r.type) {
            case AWS.natGateway:
                sink.unpriced(r, "NAT gateway data processing",
                    `${rate(prices, "natGatewayDataGb")}: price it with the GB a month the private subnets send out through it (image pulls, OS packages, AWS APIs without VPC endpoints)`, true);
                break;
            case USAGE_PRICED_TYPES.logGroup: {
                const days = asNumber(r.props["retentionInDays"]);
                sink.unpriced(r, `CloudWatch Logs ingestion and storage (${days === undefined || days === 0 ? "kept forever" : `${days} days`})`,
                    `${rate(prices, "cloudwatchLogsIngestedGb")} and ${rate(prices, "cloudwatchLogsStoredGbMonth")}: price it with the GB a month written to the group`, true);
                break;
            }
            case AWS.rdsInstance: {
                if (asArray(r.props["enabledCloudwatchLogsExports"]).length > 0) {
                    sink.unpriced(r, "database logs exported to CloudWatch Logs",
                        `${rate(prices, "cloudwatchLogsIngestedGb")} and ${rate(prices, "cloudwatchLogsStoredGbMonth")}: price it with the GB of PostgreSQL log a month`, true);
                }
                if ((asNumber(r.props["backupRetentionPeriod"]) ?? 0) > 0) {
                    sink.unpriced(r, "RDS backup storage",
                        `${rate(prices, "rdsBackupGbMonth")}: free up to the provisioned storage; price it with the changed GB a day times the retention days`, true);
                }
                burstable(sink, r, asString(r.props["instanceClass"]), "rdsCpuCreditVcpuHour", prices);
                break;
            }
            case AWS.autoscalingGroup:
                burstable(sink, r, asString(groupLaunchTemplate(r, resources)?.props["instanceType"]), "ec2CpuCreditVcpuHour", prices);
                break;
            case AWS.ec2Instance:
                burstable(sink, r, asString(r.props["instanceType"]), "ec2CpuCreditVcpuHour", prices);
                break;
            case AWS.backupPlan:
                sink.unpriced(r, "AWS Backup storage (recovery points)",
                    `${rate(prices, "backupEbsGbMonth")}: price it with the volumes' changed GB a day times the retention days (the first backup is a full copy)`, true);
                break;
            case USAGE_PRICED_TYPES.prometheusWorkspace:
                sink.unpriced(r, "Managed Prometheus samples, storage and queries",
                    `${rate(prices, "ampSamples10M")}: price it with active series x (seconds a month / scrape interval)`, true);
                break;
            case USAGE_PRICED_TYPES.bucket:
            case USAGE_PRICED_TYPES.bucketV2:
                sink.unpriced(r, "S3 storage and requests",
                    `${rate(prices, "s3StandardGbMonth")}: price it with the GB kept (bounded by the bucket's lifecycle expiry)`, true);
                break;
        }
    }
}

function burstable(sink: EstimateSink, r: StackResource, instanceType: string | undefined, key: string, prices: PriceData): void {
    if (instanceType !== undefined && UNLIMITED_BURSTABLE.test(instanceType)) {
        sink.unpriced(r, `${instanceType} surplus CPU credits`,
            `${rate(prices, key)}: $0 while average CPU stays under the type's baseline; price it with the vCPU-hours above it`, true);
    }
}
