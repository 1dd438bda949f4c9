/** Loads and validates policy-pack/data/prices.json (unit prices with their sources). */
import * as fs from "fs";
import * as path from "path";

export interface PriceEntry {
    usd: number;
    /** Key into PriceData.sources. */
    source: string;
}

export interface PriceSource {
    title: string;
    url: string;
    retrieved: string;
}

export interface PriceData {
    description: string;
    region: string;
    currency: string;
    hoursPerMonth: number;
    sources: Record<string, PriceSource>;
    /** EC2 on-demand Linux, $/hour, by instance type. */
    ec2InstanceHourly: Record<string, PriceEntry>;
    /** RDS on-demand Single-AZ, $/hour, by engine then instance class (with `db.`). */
    rdsInstanceHourly: Record<string, Record<string, PriceEntry>>;
    /** EBS, $/GB-month, by volume type. */
    ebsGbMonth: Record<string, PriceEntry>;
    /** RDS storage Single-AZ, $/GB-month, by storage type. */
    rdsStorageGbMonth: Record<string, PriceEntry>;
    /** By load balancer type ("application"). */
    loadBalancer: Record<string, { hourly: PriceEntry; lcuHourly: PriceEntry }>;
    natGatewayHourly: PriceEntry;
    /** A public IPv4 address (Elastic IP, internet-facing balancer node), $/hour. */
    publicIpv4Hourly: PriceEntry;
    /** A customer managed KMS key, $/month. */
    kmsKeyMonthly: PriceEntry;
    /** A Route 53 hosted zone (public or private), $/month. */
    route53HostedZoneMonthly: PriceEntry;
    /** CloudWatch, $/month: per alarm metric by resolution, per composite alarm, per dashboard. */
    cloudwatchMonthly: { standardAlarmMetric: PriceEntry; highResolutionAlarmMetric: PriceEntry; compositeAlarm: PriceEntry; dashboard: PriceEntry };
    secretsManagerSecretMonthly: PriceEntry;
    /** Managed Grafana, $/active user/month by role (admins pay the editor price). */
    grafanaActiveUserMonthly: { editor: PriceEntry; viewer: PriceEntry };
    /** EventBridge Scheduler: $/million invocations beyond the monthly free tier. */
    schedulerInvocations: { perMillion: PriceEntry; freePerMonth: number };
    /** Charges by use the estimate cannot know; quoted with the usage that would price them. */
    usage: Record<string, UsageRate>;
    /** ElastiCache on-demand node, $/hour, by engine (valkey, redis) then node type (with `cache.`). */
    elasticacheNodeHourly: Record<string, Record<string, PriceEntry>>;
    notes: string[];
}

export interface UsageRate extends PriceEntry {
    /** What one unit is, e.g. "GB ingested into CloudWatch Logs". */
    unit: string;
}

export const PRICES_PATH = path.join(__dirname, "..", "..", "data", "prices.json");

function checkEntry(data: PriceData, where: string, entry: PriceEntry | undefined, errors: string[]): void {
    if (entry === undefined || typeof entry.usd !== "number" || !(entry.usd > 0)) {
        errors.push(`${where}: usd must be a positive number`);
        return;
    }
    if (!(entry.source in data.sources)) {
        errors.push(`${where}: source "${entry.source}" is not listed under "sources"`);
    }
}

/** Every price is positive and cites a listed source; returns the problems found. */
export function validatePriceData(data: PriceData): string[] {
    const errors: string[] = [];
    if (!(data.hoursPerMonth > 0)) {
        errors.push("hoursPerMonth must be positive");
    }
    for (const [k, v] of Object.entries(data.sources ?? {})) {
        if (!v.title || !v.url || !v.retrieved) {
            errors.push(`sources.${k}: title, url and retrieved are required`);
        }
    }
    for (const [k, v] of Object.entries(data.ec2InstanceHourly ?? {})) {
        checkEntry(data, `ec2InstanceHourly.${k}`, v, errors);
    }
    for (const [engine, classes] of Object.entries(data.rdsInstanceHourly ?? {})) {
        for (const [k, v] of Object.entries(classes)) {
            checkEntry(data, `rdsInstanceHourly.${engine}.${k}`, v, errors);
        }
    }
    for (const [k, v] of Object.entries(data.ebsGbMonth ?? {})) {
        checkEntry(data, `ebsGbMonth.${k}`, v, errors);
    }
    for (const [k, v] of Object.entries(data.rdsStorageGbMonth ?? {})) {
        checkEntry(data, `rdsStorageGbMonth.${k}`, v, errors);
    }
    for (const [k, v] of Object.entries(data.loadBalancer ?? {})) {
        checkEntry(data, `loadBalancer.${k}.hourly`, v.hourly, errors);
        checkEntry(data, `loadBalancer.${k}.lcuHourly`, v.lcuHourly, errors);
    }
    checkEntry(data, "natGatewayHourly", data.natGatewayHourly, errors);
    checkEntry(data, "publicIpv4Hourly", data.publicIpv4Hourly, errors);
    checkEntry(data, "kmsKeyMonthly", data.kmsKeyMonthly, errors);
    checkEntry(data, "route53HostedZoneMonthly", data.route53HostedZoneMonthly, errors);
    for (const key of ["standardAlarmMetric", "highResolutionAlarmMetric", "compositeAlarm", "dashboard"] as const) {
        checkEntry(data, `cloudwatchMonthly.${key}`, data.cloudwatchMonthly?.[key], errors);
    }
    checkEntry(data, "secretsManagerSecretMonthly", data.secretsManagerSecretMonthly, errors);
    checkEntry(data, "grafanaActiveUserMonthly.editor", data.grafanaActiveUserMonthly?.editor, errors);
    checkEntry(data, "grafanaActiveUserMonthly.viewer", data.grafanaActiveUserMonthly?.viewer, errors);
    checkEntry(data, "schedulerInvocations.perMillion", data.schedulerInvocations?.perMillion, errors);
    if (!(data.schedulerInvocations?.freePerMonth >= 0)) {
        errors.push("schedulerInvocations.freePerMonth must be a number >= 0");
    }
    for (const [k, v] of Object.entries(data.usage ?? {})) {
        checkEntry(data, `usage.${k}`, v, errors);
        if (typeof v?.unit !== "string" || v.unit === "") {
            errors.push(`usage.${k}: unit is required`);
        }
    }
    for (const [engine, nodeTypes] of Object.entries(data.elasticacheNodeHourly ?? {})) {
        for (const [k, v] of Object.entries(nodeTypes)) {
            checkEntry(data, `elasticacheNodeHourly.${engine}.${k}`, v, errors);
        }
    }
    return errors;
}

let cached: PriceData | undefined;

/** The pack's price file (read once per process); throws when it is inconsistent. */
export function loadPrices(file: string = PRICES_PATH): PriceData {
    if (file === PRICES_PATH && cached !== undefined) {
        return cached;
    }
    const data = JSON.parse(fs.readFileSync(file, "utf8")) as PriceData;
    const errors = validatePriceData(data);
    if (errors.length > 0) {
        throw new Error(`${file} is invalid:\n  ${errors.join("\n  ")}`);
    }
    if (file === PRICES_PATH) {
        cached = data;
    }
    return data;
}
