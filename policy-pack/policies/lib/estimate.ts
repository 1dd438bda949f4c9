/**
 * Monthly cost estimate of a stack (pure: plain resources in, numbers out).
 *
 * Counted: Auto Scaling groups (instances and volumes of their launch template or launch
 * configuration, at desired capacity, at max size, and at desired capacity under the group's
 * scheduled actions), EC2 instances (+ root and EBS block devices), EBS volumes, RDS instances
 * (+ storage; Multi-AZ doubles both), RDS cluster instances, EKS managed node groups, Application
 * Load Balancers (hours + an assumed LCU count), NAT gateways and ElastiCache replication groups
 * (node-hours by engine and node type; a cache cannot stop, so it bills all month); RDS and EC2
 * instances that EventBridge Scheduler stops and starts (./store-schedules) bill their instance
 * hours only while running. Fixed monthly prices (KMS keys, alarms, dashboards, secrets, public
 * IPv4 addresses) come from ./estimate-fixed. A counted resource whose SKU has no price is listed
 * as unpriced, never counted as zero; so are the parts billed by use that the price file cannot
 * know (spot hours, Aurora storage and I/O, and the usage charges of ./estimate-usage, AWS Backup
 * storage among them).
 */
import { CronError, HOURS_PER_WEEK, weeklyRun } from "./cron";
import { CostUnit, EstimateSink } from "./estimate-sink";
import { estimateFixedPrices } from "./estimate-fixed";
import { listUsageCharges } from "./estimate-usage";
import { PriceData, PriceEntry } from "./prices";
import { Props, asArray, asBool, asNumber, asRecord, asString, getPath } from "./props";
import { StackResource, linked } from "./stack";
import { StoreSchedule, storeSchedules } from "./store-schedules";
import { AWS, describe, isListener, isLoadBalancer } from "./types";

export interface EstimateOptions {
    /** Load balancer capacity units assumed around the clock per Application Load Balancer. */
    albLcuCount: number;
}

export const DEFAULT_ESTIMATE_OPTIONS: EstimateOptions = { albLcuCount: 1 };

export interface MonthlyUsd {
    /** At desired capacity, all month. */
    desired: number;
    /** At desired capacity, with scheduled scale-down/scale-up applied. */
    withSchedule: number;
    /** At maximum capacity (Auto Scaling maxSize), all month. */
    max: number;
}

export interface CostLine {
    urn: string;
    name: string;
    type: string;
    /** Human description: "EC2 r6i.xlarge", "EBS gp3 root volume 50 GB". */
    item: string;
    /** Price key: "ec2:r6i.xlarge", "ebs:gp3", "alb:lcu". */
    sku: string;
    unit: CostUnit;
    unitPriceUsd: number;
    /** Units billed per month at desired capacity (instance-hours, GB, LCU-hours). */
    quantityDesired: number;
    /** Units billed per month at max capacity. */
    quantityMax: number;
    /** Share of the month the units run under the schedules (1 without schedules). */
    scheduleFraction: number;
    monthlyUsd: MonthlyUsd;
    source: string;
}

export interface UnpricedItem {
    urn: string;
    name: string;
    type: string;
    item: string;
    reason: string;
    /** Billed by use (data processed, logs, backups, users): the reason names the usage that would price it. */
    byUse?: boolean;
}

export interface ScheduleSummary {
    groupUrn: string;
    groupName: string;
    scaleDown: string[];
    scaleUp: string[];
    timeZone?: string;
    runningHoursPerWeek: number;
    /** Instance-hours under the schedules / instance-hours at desired capacity all week. */
    fraction: number;
    problems: string[];
}

export interface CostEstimate {
    region: string;
    currency: string;
    hoursPerMonth: number;
    albLcuCount: number;
    totals: {
        desiredMonthlyUsd: number;
        withScheduleMonthlyUsd: number;
        maxMonthlyUsd: number;
        scheduleSavingMonthlyUsd: number;
    };
    lines: CostLine[];
    unpriced: UnpricedItem[];
    schedules: ScheduleSummary[];
    /** Stateful resources that stop/start schedules stop off hours, with their stopped hours. */
    storeSchedules: StoreSchedule[];
    /** Source ids (keys of prices.json "sources") used by the lines. */
    sources: string[];
    notes: string[];
}

/**
 * Rounds to cents, half up, after removing binary noise: 1654.395 is computed as 1654.3949999999998
 * and must still give 1654.40.
 */
export function roundUsd(value: number): number {
    const cents = Number((value * 100).toFixed(6));
    return Math.round(cents) / 100;
}

interface Context {
    prices: PriceData;
    options: EstimateOptions;
    all: StackResource[];
    lines: CostLine[];
    unpriced: UnpricedItem[];
}

function addLine(
    ctx: Context,
    r: StackResource,
    item: string,
    sku: string,
    unit: CostUnit,
    price: PriceEntry,
    quantityDesired: number,
    quantityMax: number,
    scheduleFraction = 1,
): void {
    const desired = quantityDesired * price.usd;
    ctx.lines.push({
        urn: r.urn,
        name: r.name,
        type: r.type,
        item,
        sku,
        unit,
        unitPriceUsd: price.usd,
        quantityDesired,
        quantityMax,
        scheduleFraction,
        monthlyUsd: { desired, withSchedule: desired * scheduleFraction, max: quantityMax * price.usd },
        source: price.source,
    });
}

function addUnpriced(ctx: Context, r: StackResource, item: string, reason: string, byUse = false): void {
    ctx.unpriced.push({ urn: r.urn, name: r.name, type: r.type, item, reason, ...(byUse ? { byUse } : {}) });
}

interface Volume {
    label: string;
    sizeGb?: number;
    volumeType?: string;
}

/** Prices EBS volumes (per instance) for `countDesired`/`countMax` instances. */
function priceVolumes(ctx: Context, r: StackResource, volumes: Volume[], countDesired: number, countMax: number, fraction: number): void {
    for (const v of volumes) {
        const item = `EBS ${v.volumeType ?? "?"} ${v.label}${v.sizeGb !== undefined ? ` ${v.sizeGb} GB` : ""}`;
        if (v.sizeGb === undefined) {
            addUnpriced(ctx, r, item, "volume size not set (AMI or snapshot default)");
            continue;
        }
        if (v.volumeType === undefined) {
            addUnpriced(ctx, r, item, "volume type not set (AMI default); set volumeType, e.g. gp3");
            continue;
        }
        const price = ctx.prices.ebsGbMonth[v.volumeType];
        if (price === undefined) {
            addUnpriced(ctx, r, item, `no EBS price for volume type "${v.volumeType}" in prices.json`);
            continue;
        }
        addLine(ctx, r, item, `ebs:${v.volumeType}`, "GB-month", price, v.sizeGb * countDesired, v.sizeGb * countMax, fraction);
    }
}

function launchTemplateVolumes(lt: StackResource): Volume[] {
    return asArray(lt.props["blockDeviceMappings"]).flatMap((m): Volume[] => {
        const mapping = asRecord(m);
        const ebs = asRecord(mapping?.["ebs"]);
        if (mapping === undefined || ebs === undefined) {
            return [];
        }
        const device = asString(mapping["deviceName"]) ?? "block device";
        return [{ label: `volume ${device}`, sizeGb: asNumber(ebs["volumeSize"]), volumeType: asString(ebs["volumeType"]) }];
    });
}

function instanceVolumes(props: Props): Volume[] {
    const volumes: Volume[] = [];
    const root = asRecord(props["rootBlockDevice"]);
    if (root !== undefined) {
        volumes.push({ label: "root volume", sizeGb: asNumber(root["volumeSize"]), volumeType: asString(root["volumeType"]) });
    }
    for (const d of asArray(props["ebsBlockDevices"])) {
        const dev = asRecord(d);
        if (dev !== undefined) {
            volumes.push({
                label: `volume ${asString(dev["deviceName"]) ?? ""}`.trim(),
                sizeGb: asNumber(dev["volumeSize"]),
                volumeType: asString(dev["volumeType"]),
            });
        }
    }
    return volumes;
}

function priceInstanceHours(ctx: Context, r: StackResource, instanceType: string | undefined, countDesired: number, countMax: number, fraction: number, what: string): void {
    if (instanceType === undefined) {
        addUnpriced(ctx, r, `EC2 ${what}`, "instance type unknown");
        return;
    }
    const item = `EC2 ${instanceType}`;
    const price = ctx.prices.ec2InstanceHourly[instanceType];
    if (price === undefined) {
        addUnpriced(ctx, r, item, `no price for instance type "${instanceType}" in prices.json`);
        return;
    }
    const hours = ctx.prices.hoursPerMonth;
    addLine(ctx, r, item, `ec2:${instanceType}`, "hour", price, hours * countDesired, hours * countMax, fraction);
}

/** The launch template an Auto Scaling group launches from. */
export function groupLaunchTemplate(group: StackResource, all: readonly StackResource[]): StackResource | undefined {
    const isTemplate = (r: StackResource): boolean => r.type === AWS.launchTemplate;
    const direct = asRecord(group.props["launchTemplate"]);
    const spec = asRecord(getPath(group.props, "mixedInstancesPolicy.launchTemplate.launchTemplateSpecification"));
    const candidates = [
        ...linked(group, "launchTemplate", [direct?.["id"], direct?.["name"]].map(asString).filter((v): v is string => !!v), all, isTemplate),
        ...linked(
            group,
            "mixedInstancesPolicy",
            [spec?.["launchTemplateId"], spec?.["launchTemplateName"]].map(asString).filter((v): v is string => !!v),
            all,
            isTemplate,
        ),
    ];
    if (candidates.length > 0) {
        return candidates[0];
    }
    const templates = all.filter(isTemplate);
    return templates.length === 1 ? templates[0] : undefined;
}

/** The launch configuration a group launches from, when it names one. */
export function groupLaunchConfiguration(group: StackResource, all: readonly StackResource[]): StackResource | undefined {
    const name = asString(group.props["launchConfiguration"]);
    if (name === undefined && (group.propertyDependencies["launchConfiguration"] ?? []).length === 0) {
        return undefined;
    }
    return linked(group, "launchConfiguration", name ? [name] : [], all, (r) => r.type === AWS.launchConfiguration)[0];
}

/** Scheduled actions that target the group (by property dependency, name, or the only group). */
export function groupSchedules(group: StackResource, all: readonly StackResource[]): StackResource[] {
    const groups = all.filter((r) => r.type === AWS.autoscalingGroup);
    return all.filter((s) => {
        if (s.type !== AWS.autoscalingSchedule) {
            return false;
        }
        const target = asString(s.props["autoscalingGroupName"]);
        const targets = linked(s, "autoscalingGroupName", target ? [target] : [], all, (r) => r.type === AWS.autoscalingGroup);
        if (targets.length > 0) {
            return targets.some((t) => t.urn === group.urn);
        }
        return groups.length === 1 && groups[0].urn === group.urn;
    });
}

/** Desired capacity of a group (desiredCapacity, else minSize, else 0). */
export function groupCapacity(group: StackResource): { desired: number; max: number } {
    const min = asNumber(group.props["minSize"]);
    const desired = asNumber(group.props["desiredCapacity"]) ?? min ?? 0;
    const max = Math.max(asNumber(group.props["maxSize"]) ?? desired, desired);
    return { desired, max };
}

/** The capacity a scheduled action leaves the group at. */
export function scheduleCapacity(schedule: StackResource, baseline: number): number {
    const desired = asNumber(schedule.props["desiredCapacity"]);
    if (desired !== undefined) {
        return desired;
    }
    const max = asNumber(schedule.props["maxSize"]);
    if (max === 0) {
        return 0;
    }
    const min = asNumber(schedule.props["minSize"]);
    return Math.max(baseline, min ?? 0);
}

/** Weekly run of a group under its schedules. */
export function summarizeSchedules(group: StackResource, schedules: readonly StackResource[], baseline: number): ScheduleSummary {
    const problems: string[] = [];
    const events: { recurrence: string; capacity: number }[] = [];
    const scaleDown: string[] = [];
    const scaleUp: string[] = [];
    let timeZone: string | undefined;
    for (const s of schedules) {
        const recurrence = asString(s.props["recurrence"]);
        if (recurrence === undefined) {
            problems.push(`${describe(s)} has no recurrence (one-time action): not counted`);
            continue;
        }
        const capacity = scheduleCapacity(s, baseline);
        (capacity === 0 ? scaleDown : scaleUp).push(recurrence);
        timeZone = timeZone ?? asString(s.props["timeZone"]);
        events.push({ recurrence, capacity });
    }
    let run = { runningHoursPerWeek: 168, fraction: 1 };
    if (events.length > 0) {
        try {
            const weekly = weeklyRun(events, baseline);
            run = { runningHoursPerWeek: weekly.runningHoursPerWeek, fraction: weekly.fraction };
        } catch (e) {
            if (!(e instanceof CronError)) {
                throw e;
            }
            problems.push(`${e.message}: schedule saving not counted`);
        }
    }
    return {
        groupUrn: group.urn,
        groupName: group.name,
        scaleDown,
        scaleUp,
        timeZone: timeZone ?? (events.length > 0 ? "UTC" : undefined),
        runningHoursPerWeek: run.runningHoursPerWeek,
        fraction: run.fraction,
        problems,
    };
}

function estimateGroup(ctx: Context, group: StackResource, schedules: ScheduleSummary[]): void {
    const { desired, max } = groupCapacity(group);
    const groupSchedulesList = groupSchedules(group, ctx.all);
    const summary = summarizeSchedules(group, groupSchedulesList, desired);
    if (groupSchedulesList.length > 0) {
        schedules.push(summary);
    }
    const configuration = groupLaunchConfiguration(group, ctx.all);
    if (configuration !== undefined) {
        priceInstanceHours(ctx, group, asString(configuration.props["instanceType"]), desired, max, summary.fraction, `instances of ${describe(configuration)}`);
        priceVolumes(ctx, group, instanceVolumes(configuration.props), desired, max, summary.fraction);
        return;
    }
    const template = groupLaunchTemplate(group, ctx.all);
    if (template === undefined) {
        addUnpriced(ctx, group, `EC2 x${desired}`, "launch template not found in the stack");
        return;
    }
    const overrides = asArray(getPath(group.props, "mixedInstancesPolicy.launchTemplate.overrides"));
    const instanceType =
        asString(template.props["instanceType"]) ?? asString(asRecord(overrides[0])?.["instanceType"]);
    priceInstanceHours(ctx, group, instanceType, desired, max, summary.fraction, `instances of ${describe(template)}`);
    priceVolumes(ctx, group, launchTemplateVolumes(template), desired, max, summary.fraction);
}

/** Hours of an RDS instance (or cluster instance) by engine and class; `factor` 2 for Multi-AZ. */
function priceRdsHours(ctx: Context, r: StackResource, item: string, factor: number, fraction = 1): void {
    const instanceClass = asString(r.props["instanceClass"]);
    const engine = asString(r.props["engine"]);
    const price = engine && instanceClass ? ctx.prices.rdsInstanceHourly[engine]?.[instanceClass] : undefined;
    if (price === undefined) {
        addUnpriced(ctx, r, item, `no price for engine "${engine ?? "not set"}" and class "${instanceClass ?? "not set"}" in prices.json`);
        return;
    }
    const hours = ctx.prices.hoursPerMonth * factor;
    addLine(ctx, r, item, `rds:${engine}:${instanceClass}`, "hour", price, hours, hours, fraction);
}

function rdsLabel(r: StackResource): string {
    return `${asString(r.props["engine"]) ?? "?"} ${asString(r.props["instanceClass"]) ?? "?"}`;
}

/** A stopped instance bills its storage only: `fraction` applies to the instance hours. */
function estimateRds(ctx: Context, r: StackResource, fraction: number): void {
    const multiAz = asBool(r.props["multiAz"]) === true;
    const factor = multiAz ? 2 : 1;
    const az = multiAz ? "Multi-AZ" : "Single-AZ";
    priceRdsHours(ctx, r, `RDS ${rdsLabel(r)} ${az}`, factor, fraction);
    const size = asNumber(r.props["allocatedStorage"]);
    const storageType = asString(r.props["storageType"]);
    const storageItem = `RDS storage ${storageType ?? "?"} ${size ?? "?"} GB ${az}`;
    if (size === undefined) {
        addUnpriced(ctx, r, storageItem, "allocatedStorage not set");
    } else if (storageType === undefined) {
        addUnpriced(ctx, r, storageItem, "storageType not set (RDS default); set it, e.g. gp3");
    } else {
        const storagePrice = ctx.prices.rdsStorageGbMonth[storageType];
        if (storagePrice === undefined) {
            addUnpriced(ctx, r, storageItem, `no RDS storage price for "${storageType}" in prices.json`);
        } else {
            addLine(ctx, r, storageItem, `rds-storage:${storageType}`, "GB-month", storagePrice, size * factor, size * factor);
        }
    }
}

function estimateRdsCluster(ctx: Context, r: StackResource): void {
    const engine = asString(r.props["engine"]) ?? "?";
    const instanceClass = asString(r.props["dbClusterInstanceClass"]);
    if (instanceClass !== undefined) {
        addUnpriced(ctx, r, `RDS Multi-AZ DB cluster ${engine} ${instanceClass}`, "Multi-AZ DB cluster prices are not in prices.json");
    }
    // Cluster instances are priced on their own resources; the cluster's storage and I/O are billed by use.
    addUnpriced(ctx, r, `RDS cluster storage ${engine}`, "cluster storage and I/O are billed by use, not estimated");
}

function estimateNodeGroup(ctx: Context, r: StackResource): void {
    const scaling = asRecord(r.props["scalingConfig"]);
    const desired = asNumber(scaling?.["desiredSize"]) ?? 0;
    const max = Math.max(asNumber(scaling?.["maxSize"]) ?? desired, desired);
    const capacityType = asString(r.props["capacityType"]) ?? "ON_DEMAND";
    const instanceTypes = asArray(r.props["instanceTypes"]).map(asString);
    // EKS launches t3.medium when a node group names no instance type.
    const instanceType = instanceTypes.length > 0 ? instanceTypes[0] : "t3.medium";
    if (capacityType !== "ON_DEMAND") {
        addUnpriced(ctx, r, `EC2 ${instanceType ?? "?"} x${desired} (${capacityType})`, "spot prices vary and are not in prices.json");
    } else {
        priceInstanceHours(ctx, r, instanceType, desired, max, 1, "node group instances");
    }
    addUnpriced(ctx, r, `EBS node disks ${asNumber(r.props["diskSize"]) ?? 20} GB x${desired}`, "the disk type is chosen by the node group's AMI");
}

/**
 * Share of the week a balancer's targets serve: capacity units are billed by traffic, and a balancer
 * whose Auto Scaling groups are scaled to zero serves none. 1 unless every group behind it is known
 * and scheduled.
 */
function servingFraction(ctx: Context, lb: StackResource): number {
    const groups = ctx.all.filter((r) => r.type === AWS.autoscalingGroup);
    const balancers = ctx.all.filter((r) => isLoadBalancer(r.type));
    const listeners = ctx.all.filter((r) => isListener(r.type) && (r.propertyDependencies["loadBalancerArn"] ?? []).includes(lb.urn));
    const targetGroups = new Set(listeners.flatMap((l) => l.propertyDependencies["defaultActions"] ?? []));
    let serving = groups.filter((g) => (g.propertyDependencies["targetGroupArns"] ?? []).some((tg) => targetGroups.has(tg)));
    if (serving.length === 0 && groups.length === 1 && balancers.length === 1) {
        serving = groups;
    }
    if (serving.length === 0) {
        return 1;
    }
    const running = serving.map((g) => {
        const { desired } = groupCapacity(g);
        const schedules = groupSchedules(g, ctx.all);
        return schedules.length === 0 ? HOURS_PER_WEEK : summarizeSchedules(g, schedules, desired).runningHoursPerWeek;
    });
    return Math.max(...running) / HOURS_PER_WEEK;
}

/** Node-hours of an ElastiCache replication group: every primary and replica is a billed node. */
function estimateReplicationGroup(ctx: Context, r: StackResource): void {
    const engine = asString(r.props["engine"]) ?? "redis";
    const nodeType = asString(r.props["nodeType"]);
    const shards = asNumber(r.props["numNodeGroups"]);
    const nodes = shards !== undefined
        ? shards * ((asNumber(r.props["replicasPerNodeGroup"]) ?? 0) + 1)
        : asNumber(r.props["numCacheClusters"]) ?? 1;
    const item = `ElastiCache ${engine} ${nodeType ?? "?"} x${nodes}`;
    const price = nodeType ? ctx.prices.elasticacheNodeHourly[engine]?.[nodeType] : undefined;
    if (price === undefined) {
        addUnpriced(ctx, r, item, `no price for engine "${engine}" and node type "${nodeType ?? "not set"}" in prices.json`);
        return;
    }
    const hours = ctx.prices.hoursPerMonth * nodes;
    addLine(ctx, r, item, `elasticache:${engine}:${nodeType}`, "hour", price, hours, hours);
}

function estimateLoadBalancer(ctx: Context, r: StackResource): void {
    const lbType = asString(r.props["loadBalancerType"]) ?? "application";
    const price = ctx.prices.loadBalancer[lbType];
    if (price === undefined) {
        addUnpriced(ctx, r, `${lbType} load balancer`, `no price for load balancer type "${lbType}" in prices.json`);
        return;
    }
    const hours = ctx.prices.hoursPerMonth;
    addLine(ctx, r, `${lbType} load balancer hours`, `lb:${lbType}:hour`, "hour", price.hourly, hours, hours);
    const lcuHours = hours * ctx.options.albLcuCount;
    addLine(ctx, r, `${lbType} load balancer ${ctx.options.albLcuCount} LCU (assumed)`, `lb:${lbType}:lcu`, "LCU-hour", price.lcuHourly, lcuHours, lcuHours, servingFraction(ctx, r));
}

export function estimateMonthlyCost(
    resources: readonly StackResource[],
    prices: PriceData,
    options: EstimateOptions = DEFAULT_ESTIMATE_OPTIONS,
): CostEstimate {
    const ctx: Context = { prices, options, all: [...resources], lines: [], unpriced: [] };
    const schedules: ScheduleSummary[] = [];
    const stores = storeSchedules(ctx.all);
    const runningShare = (r: StackResource): number => stores.get(r.urn)?.fraction ?? 1;
    const hours = prices.hoursPerMonth;
    for (const r of resources) {
        if (r.type === AWS.autoscalingGroup) {
            estimateGroup(ctx, r, schedules);
        } else if (r.type === AWS.ec2Instance) {
            // A stopped instance bills its EBS volumes only.
            priceInstanceHours(ctx, r, asString(r.props["instanceType"]), 1, 1, runningShare(r), "instance");
            priceVolumes(ctx, r, instanceVolumes(r.props), 1, 1, 1);
        } else if (r.type === AWS.spotInstanceRequest) {
            addUnpriced(ctx, r, `EC2 spot ${asString(r.props["instanceType"]) ?? "?"}`, "spot prices vary and are not in prices.json");
            priceVolumes(ctx, r, instanceVolumes(r.props), 1, 1, 1);
        } else if (r.type === AWS.rdsClusterInstance) {
            priceRdsHours(ctx, r, `RDS cluster instance ${rdsLabel(r)}`, 1);
        } else if (r.type === AWS.rdsCluster) {
            estimateRdsCluster(ctx, r);
        } else if (r.type === AWS.eksNodeGroup) {
            estimateNodeGroup(ctx, r);
        } else if (r.type === AWS.ebsVolume) {
            priceVolumes(ctx, r, [{ label: "volume", sizeGb: asNumber(r.props["size"]), volumeType: asString(r.props["type"]) }], 1, 1, 1);
        } else if (r.type === AWS.rdsInstance) {
            estimateRds(ctx, r, runningShare(r));
        } else if (isLoadBalancer(r.type)) {
            estimateLoadBalancer(ctx, r);
        } else if (r.type === AWS.elasticacheReplicationGroup) {
            estimateReplicationGroup(ctx, r);
        } else if (r.type === AWS.elasticacheServerlessCache) {
            addUnpriced(ctx, r, `ElastiCache serverless ${asString(r.props["engine"]) ?? "?"}`, "serverless caches are billed by data stored and ECPUs used, not estimated");
        } else if (r.type === AWS.natGateway) {
            addLine(ctx, r, "NAT gateway hours", "nat:hour", "hour", prices.natGatewayHourly, hours, hours);
        }
    }
    const sink: EstimateSink = {
        line: (r, item, sku, unit, price, desired, max, fraction) => addLine(ctx, r, item, sku, unit, price, desired, max, fraction),
        unpriced: (r, item, reason, byUse) => addUnpriced(ctx, r, item, reason, byUse),
    };
    estimateFixedPrices(sink, ctx.all, prices);
    listUsageCharges(sink, ctx.all, prices);
    const sum = (pick: (l: CostLine) => number): number => ctx.lines.reduce((acc, l) => acc + pick(l), 0);
    const desired = sum((l) => l.monthlyUsd.desired);
    const withSchedule = sum((l) => l.monthlyUsd.withSchedule);
    return {
        region: prices.region,
        currency: prices.currency,
        hoursPerMonth: hours,
        albLcuCount: options.albLcuCount,
        totals: {
            desiredMonthlyUsd: desired,
            withScheduleMonthlyUsd: withSchedule,
            maxMonthlyUsd: sum((l) => l.monthlyUsd.max),
            scheduleSavingMonthlyUsd: desired - withSchedule,
        },
        lines: ctx.lines,
        unpriced: ctx.unpriced,
        schedules,
        storeSchedules: [...stores.values()],
        sources: [...new Set(ctx.lines.map((l) => l.source))].sort(),
        notes: prices.notes,
    };
}
