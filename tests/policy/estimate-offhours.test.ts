// The estimate's view of off-hours schedules and of every fixed monthly price, on plain resources
// and on the shipped stacks as the program registers them (the pack module itself is never loaded).
import { expect } from "chai";
import { estimateMonthlyCost, roundUsd } from "../../policy-pack/policies/lib/estimate";
import { loadPrices } from "../../policy-pack/policies/lib/prices";
import { StackResource } from "../../policy-pack/policies/lib/stack";
import { plainValue } from "../../tools/lib/recorded-resource";
import { shippedStack } from "../support/stacks";

const prices = loadPrices();
const HOURS = 730;

function res(type: string, name: string, props: Record<string, unknown>, deps: Record<string, string[]> = {}): StackResource {
    return { type, name, urn: `urn:pulumi:t::p::${type}::${name}`, props, propertyDependencies: deps };
}

const DB = res("aws:rds/instance:Instance", "db", {
    identifier: "memspine-dev-pgvector", engine: "postgres", instanceClass: "db.t4g.small", allocatedStorage: 20, storageType: "gp3",
});
const QDRANT = res("aws:ec2/instance:Instance", "qdrant", {
    instanceType: "r6g.large", rootBlockDevice: { volumeSize: 30, volumeType: "gp3" }, id: "i-0123456789abcdef0",
});

function schedule(name: string, action: string, expression: string, input: unknown, extra: Record<string, unknown> = {}, deps: Record<string, string[]> = {}): StackResource {
    return res("aws:scheduler/schedule:Schedule", name, {
        scheduleExpression: expression,
        scheduleExpressionTimezone: "UTC",
        flexibleTimeWindow: { mode: "OFF" },
        target: { arn: `arn:aws:scheduler:::aws-sdk:${action}`, roleArn: "arn:aws:iam::123456789012:role/r", ...(input === undefined ? {} : { input: JSON.stringify(input) }) },
        ...extra,
    }, deps);
}

const DB_STOP = schedule("db-stop", "rds:stopDBInstance", "cron(15 20 ? * * *)", { DbInstanceIdentifier: "memspine-dev-pgvector" });
const DB_START = schedule("db-start", "rds:startDBInstance", "cron(45 6 ? * MON,TUE,WED,THU,FRI *)", { DbInstanceIdentifier: "memspine-dev-pgvector" });

describe("estimate: stores stopped off hours", () => {
    it("a stopped database bills its storage only: 67.5 of 168 h of db.t4g.small, all of its 20 GB", () => {
        const e = estimateMonthlyCost([DB, DB_STOP, DB_START], prices);
        expect(e.storeSchedules).to.have.lengthOf(1);
        expect(e.storeSchedules[0]).to.deep.include({
            resourceName: "db", runningHoursPerWeek: 67.5, stoppedHoursPerWeek: 100.5,
            stop: ["15 20 * * *"], start: ["45 6 * * MON,TUE,WED,THU,FRI"], timeZone: "UTC", problems: [],
        });
        const hours = e.lines.find((l) => l.sku === "rds:postgres:db.t4g.small");
        expect(hours?.monthlyUsd.desired).to.be.closeTo(0.032 * HOURS, 1e-9);
        expect(hours?.monthlyUsd.withSchedule).to.be.closeTo(0.032 * HOURS * (67.5 / 168), 1e-9);
        const storage = e.lines.find((l) => l.sku === "rds-storage:gp3");
        expect(storage?.monthlyUsd.withSchedule).to.be.closeTo(20 * 0.115, 1e-9);
    });

    it("a stopped EC2 instance bills its EBS volumes only, found by id or by the target's dependency when the id is unknown", () => {
        const byId = [schedule("i-stop", "ec2:stopInstances", "cron(15 20 ? * * *)", { InstanceIds: ["i-0123456789abcdef0"] }),
            schedule("i-start", "ec2:startInstances", "cron(45 6 ? * MON-FRI *)", { InstanceIds: ["i-0123456789abcdef0"] })];
        // During a first preview the input is not known yet; the engine still reports what it depends on.
        const byDependency = [schedule("i-stop", "ec2:stopInstances", "cron(15 20 ? * * *)", undefined, {}, { target: [QDRANT.urn] }),
            schedule("i-start", "ec2:startInstances", "cron(45 6 ? * 2-6 *)", undefined, {}, { target: [QDRANT.urn] })];
        for (const schedules of [byId, byDependency]) {
            const e = estimateMonthlyCost([QDRANT, ...schedules], prices);
            expect(e.storeSchedules.map((s) => [s.resourceName, s.stoppedHoursPerWeek])).to.deep.equal([["qdrant", 100.5]]);
            expect(e.lines.find((l) => l.sku === "ec2:r6g.large")?.scheduleFraction).to.be.closeTo(67.5 / 168, 1e-9);
            expect(e.lines.find((l) => l.sku === "ebs:gp3")?.scheduleFraction).to.equal(1);
        }
    });

    it("claims no saving for a disabled schedule, a stop without a start, or a rate() expression", () => {
        const cases: [StackResource[], RegExp][] = [
            [[DB, { ...DB_STOP, props: { ...DB_STOP.props, state: "DISABLED" } }, DB_START], /is DISABLED: not counted/],
            [[DB, DB_STOP], /stopped but never started by a schedule: no saving counted/],
            [[DB, { ...DB_STOP, props: { ...DB_STOP.props, scheduleExpression: "rate(1 day)" } }, DB_START], /only cron\(\.\.\.\) schedules can be estimated/],
        ];
        for (const [resources, problem] of cases) {
            const e = estimateMonthlyCost(resources, prices);
            expect(e.storeSchedules[0].fraction, String(problem)).to.equal(1);
            expect(e.storeSchedules[0].problems.join("; ")).to.match(problem);
            expect(e.totals.scheduleSavingMonthlyUsd).to.equal(0);
        }
    });

    it("counts Scheduler invocations against the free tier instead of as a price", () => {
        const e = estimateMonthlyCost([DB, DB_STOP, DB_START], prices);
        const note = e.unpriced.find((u) => u.item.startsWith("EventBridge Scheduler invocations"));
        // 7 stops + 5 starts a week.
        expect(note?.item).to.equal(`EventBridge Scheduler invocations (2 schedules, about ${Math.round((12 * HOURS) / 168)}/month)`);
        expect(note?.reason).to.contain("within the free tier of 14,000,000 invocations per month");
        expect(note?.byUse).to.equal(true);
    });
});

describe("estimate: fixed monthly prices", () => {
    it("prices KMS keys, alarms by metric and resolution, dashboards, secrets, Elastic IPs and an NLB", () => {
        const e = estimateMonthlyCost([
            res("aws:kms/key:Key", "key", { enableKeyRotation: true }),
            res("aws:cloudwatch/metricAlarm:MetricAlarm", "cpu", { metricName: "CPUUtilization", period: 300 }),
            res("aws:cloudwatch/metricAlarm:MetricAlarm", "fast", { metricName: "Errors", period: 10 }),
            res("aws:cloudwatch/metricAlarm:MetricAlarm", "ratio", { metricQueries: [{ id: "e", expression: "a/b" }, { id: "a", metric: { metricName: "A", period: 60 } }, { id: "b", metric: { metricName: "B", period: 60 } }] }),
            res("aws:cloudwatch/compositeAlarm:CompositeAlarm", "any", { alarmRule: "ALARM(cpu)" }),
            res("aws:cloudwatch/dashboard:Dashboard", "board", {}),
            res("aws:secretsmanager/secret:Secret", "secret", {}),
            res("aws:ec2/eip:Eip", "eip", { domain: "vpc" }),
            res("aws:lb/loadBalancer:LoadBalancer", "nlb", { loadBalancerType: "network", internal: true, subnets: ["s-1", "s-2"] }),
        ], prices);
        const line = (name: string) => e.lines.filter((l) => l.name === name).map((l) => [l.item, roundUsd(l.monthlyUsd.desired)]);
        expect(line("key")).to.deep.equal([["KMS customer managed key", 1]]);
        expect(line("cpu")).to.deep.equal([["CloudWatch alarm, 1 standard metric", 0.1]]);
        expect(line("fast")).to.deep.equal([["CloudWatch alarm, 1 high-resolution metric", 0.3]]);
        expect(line("ratio")).to.deep.equal([["CloudWatch alarm, 2 standard metrics", 0.2]]);
        expect(line("any")).to.deep.equal([["CloudWatch composite alarm", 0.5]]);
        expect(line("board")).to.deep.equal([["CloudWatch dashboard", 3]]);
        expect(line("secret")).to.deep.equal([["Secrets Manager secret", 0.4]]);
        expect(line("eip")).to.deep.equal([["public IPv4 address (Elastic IP)", 3.65]]);
        expect(line("nlb")).to.deep.equal([["network load balancer hours", 16.43], ["network load balancer 1 LCU (assumed)", 4.38]]);
        expect(e.unpriced.filter((u) => u.byUse !== true)).to.deep.equal([]);
        for (const l of e.lines) {
            expect(prices.sources, `${l.item} cites a listed source`).to.have.property(l.source);
        }
    });

    it("bills the public addresses of an internet-facing balancer per zone, and the RDS-managed password's secret", () => {
        const e = estimateMonthlyCost([
            res("aws:lb/loadBalancer:LoadBalancer", "public", { loadBalancerType: "application", internal: false, subnets: ["a", "b", "c"] }),
            res("aws:lb/loadBalancer:LoadBalancer", "private", { loadBalancerType: "application", internal: true, subnets: ["a", "b"] }),
            { ...DB, props: { ...DB.props, manageMasterUserPassword: true } },
        ], prices);
        expect(e.lines.filter((l) => l.sku === "vpc:public-ipv4").map((l) => [l.name, roundUsd(l.monthlyUsd.desired)])).to.deep.equal([["public", 10.95]]);
        expect(e.lines.find((l) => l.item === "Secrets Manager secret (RDS-managed master password)")?.monthlyUsd.desired).to.equal(0.4);
    });

    it("prices Grafana users it can count and lists the workspace's users and groups it cannot", () => {
        const e = estimateMonthlyCost([
            res("aws:grafana/workspace:Workspace", "grafana", { accountAccessType: "CURRENT_ACCOUNT" }),
            res("aws:grafana/roleAssociation:RoleAssociation", "admins", { role: "ADMIN", userIds: ["u1", "u2"], groupIds: ["g1"] }),
            res("aws:grafana/roleAssociation:RoleAssociation", "viewers", { role: "VIEWER", userIds: ["u3"] }),
        ], prices);
        expect(e.lines.map((l) => [l.item, l.monthlyUsd.desired])).to.deep.equal([
            ["Managed Grafana admin users x2 (if active)", 18],
            ["Managed Grafana viewer users x1 (if active)", 5],
        ]);
        expect(e.unpriced.map((u) => u.item)).to.deep.equal(["Managed Grafana active users", "Managed Grafana admin groups"]);
    });
});

describe("estimate: the shipped stacks", () => {
    async function estimateOf(stack: "dev" | "staging" | "prod") {
        const run = await shippedStack(stack);
        const resources = run.resources.map((r) => res(r.type, r.name, plainValue(r.inputs) as Record<string, unknown>, r.options.propertyDependencies ?? {}));
        return estimateMonthlyCost(resources.map((r, i) => ({ ...r, urn: run.resources[i].urn })), prices);
    }

    it("shows the stopped hours of every scheduled store: dev's database, staging's Qdrant node; prod none", async () => {
        const dev = await estimateOf("dev");
        expect(dev.storeSchedules.map((s) => [s.resourceType, s.resourceName, s.runningHoursPerWeek, s.stoppedHoursPerWeek])).to.deep.equal([
            ["aws:rds/instance:Instance", "memspine-dev-pgvector-db", 52.5, 115.5],
        ]);
        const staging = await estimateOf("staging");
        expect(staging.storeSchedules.map((s) => [s.resourceType, s.stoppedHoursPerWeek])).to.deep.equal(
            staging.storeSchedules.map(() => ["aws:ec2/instance:Instance", 100.5]),
        );
        expect(staging.storeSchedules.length).to.be.greaterThan(0);
        const prod = await estimateOf("prod");
        expect(prod.storeSchedules).to.deep.equal([]);
        expect(prod.totals.withScheduleMonthlyUsd).to.equal(prod.totals.desiredMonthlyUsd);
    });

    it("prices every fixed-monthly resource the stacks create: nothing is unpriced for want of a price", async () => {
        for (const stack of ["dev", "staging", "prod"] as const) {
            const e = await estimateOf(stack);
            expect(e.unpriced.filter((u) => u.byUse !== true), stack).to.deep.equal([]);
            const skus = new Set(e.lines.map((l) => l.sku));
            for (const sku of ["kms:key", "cloudwatch:alarm", "cloudwatch:dashboard", "vpc:public-ipv4", "nat:hour"]) {
                expect(skus.has(sku), `${stack} prices ${sku}`).to.equal(true);
            }
        }
    });

    it("prices the Qdrant cluster's private hosted zone in prod ($0.50 a month), and no zone where there is no cluster", async () => {
        const zones = (e: Awaited<ReturnType<typeof estimateOf>>) => e.lines.filter((l) => l.sku === "route53:hosted-zone");
        const prod = zones(await estimateOf("prod"));
        expect(prod.map((l) => [l.type, l.monthlyUsd.desired, l.monthlyUsd.withSchedule])).to.deep.equal([["aws:route53/zone:Zone", 0.5, 0.5]]);
        expect(prod[0]?.name).to.match(/qdrant/);
        expect(zones(await estimateOf("staging"))).to.deep.equal([]);
    });

    it("dev meets $100 and staging $300 a month with the schedule, the key-value layer included; the stores' schedules save money in dev and staging", async () => {
        for (const [stack, target] of [["dev", 100], ["staging", 300]] as const) {
            const estimate = await estimateOf(stack);
            expect(estimate.lines.some((l) => l.sku.startsWith("elasticache:")), `${stack}: the key-value layer is priced`).to.equal(true);
            expect(estimate.totals.withScheduleMonthlyUsd, `${stack} with its schedule`).to.be.at.most(target);
        }
        for (const stack of ["dev", "staging"] as const) {
            const e = await estimateOf(stack);
            const stores = new Set(e.storeSchedules.map((s) => s.resourceUrn));
            const saving = e.lines.filter((l) => stores.has(l.urn)).reduce((acc, l) => acc + l.monthlyUsd.desired - l.monthlyUsd.withSchedule, 0);
            expect(saving, `${stack}: stopped stores save`).to.be.greaterThan(10);
        }
    });
});
