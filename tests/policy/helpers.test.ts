// Unit tests of the pack's pure helpers (imported directly; the PolicyPack module is never loaded here).
import * as fs from "fs";
import { expect } from "chai";
import { CronError, parseCron, weeklyFirings, weeklyRun } from "../../policy-pack/policies/lib/cron";
import { estimateMonthlyCost, roundUsd } from "../../policy-pack/policies/lib/estimate";
import { isAcceleratorType, parseInstanceType, stripDbPrefix } from "../../policy-pack/policies/lib/instance-types";
import { loadPrices, validatePriceData } from "../../policy-pack/policies/lib/prices";
import { asBool, asNumber, isUnknown, rawProps } from "../../policy-pack/policies/lib/props";
import { ESTIMATE_JSON_PREFIX, formatEstimateReport, parseEstimateReport } from "../../policy-pack/policies/lib/report";
import { StackResource } from "../../policy-pack/policies/lib/stack";
import { readTags } from "../../policy-pack/policies/lib/tags";
import { isTaggable } from "../../policy-pack/policies/lib/taggable";
import {
    TAGGABLE_TYPES_PATH,
    buildTaggableTypesFile,
    renderTaggableTypesFile,
} from "../../policy-pack/scripts/generate-taggable-types";
import { ACCELERATORS_DEFAULTS } from "../../policy-pack/policies/cost/accelerators-prod-only";
import { reconcilePolicyConfig, validateJsonSchema } from "../../tools/analyzer/config";
import { UNKNOWN, compliantStack, tags } from "./fixtures";

const prices = loadPrices();

function stackRes(type: string, name: string, props: Record<string, unknown>, deps: Record<string, string[]> = {}): StackResource {
    return { type, name, urn: `urn:pulumi:t::p::${type}::${name}`, props, propertyDependencies: deps };
}

describe("policy helpers: cron", () => {
    it("parses wildcards, lists, ranges, steps and names", () => {
        const spec = parseCron("*/15 7,19 * * MON-FRI");
        expect(spec.minutes).to.deep.equal([0, 15, 30, 45]);
        expect(spec.hours).to.deep.equal([7, 19]);
        expect(spec.daysOfWeek).to.deep.equal([1, 2, 3, 4, 5]);
        expect(parseCron("0 0 * * 7").daysOfWeek).to.deep.equal([0]);
        expect(parseCron("5/20 * * * *").minutes).to.deep.equal([5, 25, 45]);
    });

    it("rejects malformed expressions with the reason", () => {
        expect(() => parseCron("0 25 * * *")).to.throw(CronError, /hour value 25 is outside 0-23/);
        expect(() => parseCron("0 7 * *")).to.throw(CronError, /expected 5 fields/);
        expect(() => parseCron("0 7 * * 5-1")).to.throw(CronError, /runs backwards/);
        expect(() => weeklyFirings("0 7 1 * *")).to.throw(CronError, /only weekly schedules/);
    });

    it("down 0 20 * * * + up 0 7 * * 1-5 runs 65 h/week", () => {
        const run = weeklyRun([{ recurrence: "0 20 * * *", capacity: 0 }, { recurrence: "0 7 * * 1-5", capacity: 2 }], 2);
        expect(run.runningHoursPerWeek).to.equal(65);
        expect(run.instanceHoursPerWeek).to.equal(130);
        expect(run.fraction).to.be.closeTo(65 / 168, 1e-12);
    });

    it("handles lists and every-day schedules, and no events at all", () => {
        expect(weeklyRun([{ recurrence: "0 19 * * *", capacity: 0 }, { recurrence: "30 8 * * *", capacity: 1 }], 1).runningHoursPerWeek).to.equal(7 * 10.5);
        expect(weeklyRun([{ recurrence: "0 18 * * 1,3", capacity: 0 }, { recurrence: "0 8 * * 1,3", capacity: 1 }], 1).runningHoursPerWeek).to.equal(20);
        expect(weeklyRun([], 3)).to.deep.equal({ runningHoursPerWeek: 168, instanceHoursPerWeek: 504, fraction: 1 });
    });
});

describe("policy helpers: instance families", () => {
    it("takes the family letters before the generation digit", () => {
        expect(parseInstanceType("g4dn.xlarge")).to.include({ series: "g", generation: 4, attributes: "dn", size: "xlarge" });
        expect(parseInstanceType("db.p4d.24xlarge")).to.include({ type: "p4d.24xlarge", series: "p" });
        expect(parseInstanceType("trn1n.32xlarge")).to.include({ series: "trn", attributes: "n" });
        expect(stripDbPrefix("db.t3.large")).to.equal("t3.large");
    });

    it("matches g4dn/g5/g6/p5/inf2/trn1/dl1 but not m6g, r6gd, t4g", () => {
        const prefixes = ACCELERATORS_DEFAULTS.acceleratorFamilyPrefixes;
        for (const t of ["g4dn.xlarge", "g5.xlarge", "g6.2xlarge", "p5.48xlarge", "inf2.xlarge", "trn1.2xlarge", "dl1.24xlarge", "db.p4d.24xlarge"]) {
            expect(isAcceleratorType(t, prefixes), t).to.equal(true);
        }
        for (const t of ["m6g.large", "r6gd.xlarge", "t4g.medium", "r6i.xlarge", "c7gn.large", "db.t3.large", "garbage"]) {
            expect(isAcceleratorType(t, prefixes), t).to.equal(false);
        }
    });
});

describe("policy helpers: props and tags", () => {
    it("reads launch-template string booleans and numeric strings; recognises unknowns", () => {
        expect(asBool("true")).to.equal(true);
        expect(asBool("false")).to.equal(false);
        expect(asBool(false)).to.equal(false);
        expect(asBool(undefined)).to.equal(undefined);
        expect(asNumber("3")).to.equal(3);
        expect(asNumber(UNKNOWN)).to.equal(undefined);
        expect(isUnknown(UNKNOWN)).to.equal(true);
        expect(rawProps({ a: 1 })).to.deep.equal({ a: 1 });
    });

    it("reads tag maps and the Auto Scaling group's tag list", () => {
        expect([...readTags({ tags: tags("dev") }).values.keys()]).to.include.members(["Environment", "Team"]);
        const list = readTags({ tags: [{ key: "Environment", value: "dev", propagateAtLaunch: true }, { key: "Team", value: UNKNOWN, propagateAtLaunch: true }] });
        expect(list.values.get("Environment")).to.equal("dev");
        expect([...list.unknownKeys]).to.deep.equal(["Team"]);
    });
});

describe("policy helpers: taggable types", () => {
    it("regenerating policy-pack/data/taggable-types.json from @pulumi/aws yields the committed file", function () {
        this.timeout(20_000);
        const regenerated = renderTaggableTypesFile(buildTaggableTypesFile());
        expect(regenerated === fs.readFileSync(TAGGABLE_TYPES_PATH, "utf8"), "taggable-types.json is stale: run policy-pack/scripts/generate-taggable-types.ts").to.equal(true);
    });

    it("knows which types take tags (maps and the Auto Scaling group's list) and ignores non-AWS types", () => {
        expect(isTaggable("aws:ec2/launchTemplate:LaunchTemplate")).to.equal(true);
        expect(isTaggable("aws:autoscaling/group:Group")).to.equal(true);
        expect(isTaggable("aws:lb/listener:Listener")).to.equal(true);
        expect(isTaggable("aws:autoscaling/schedule:Schedule")).to.equal(false);
        expect(isTaggable("aws:ec2/securityGroupRule:SecurityGroupRule")).to.equal(false);
        expect(isTaggable("aws:devopsguru/resourceCollection:ResourceCollection")).to.equal(false);
        expect(isTaggable("vault:index/mount:Mount")).to.equal(false);
    });
});

describe("policy helpers: prices and estimate arithmetic", () => {
    it("every price is positive and cites a listed source", () => {
        expect(validatePriceData(prices)).to.deep.equal([]);
        expect(prices.ec2InstanceHourly["p4d.24xlarge"].usd).to.equal(21.957642);
        expect(prices.hoursPerMonth).to.equal(730);
    });

    it("prices the dev stack exactly (t3.large x1, 50 GB gp3, ALB + 1 LCU, NAT, db.t3.large + 50 GB gp3)", () => {
        const resources = compliantStack("dev").map((r) => stackRes(r.type, r.name, r.inputs, r.options.propertyDependencies ?? {}));
        const e = estimateMonthlyCost(resources, prices, { albLcuCount: 1 });
        const ec2 = 0.0832 * 730; // 60.736
        const root = 50 * 0.08; // 4
        const alb = 0.0225 * 730; // 16.425
        const lcu = 0.008 * 730; // 5.84, billed while the group serves (65 of 168 h with the schedule)
        const nat = 0.045 * 730; // 32.85
        const rds = 0.145 * 730 + 50 * 0.115; // 105.85 + 5.75
        expect(roundUsd(e.totals.desiredMonthlyUsd)).to.equal(231.45);
        expect(e.totals.desiredMonthlyUsd).to.be.closeTo(ec2 + root + alb + lcu + nat + rds, 1e-9);
        expect(e.totals.withScheduleMonthlyUsd).to.be.closeTo((ec2 + root + lcu) * (65 / 168) + alb + nat + rds, 1e-9);
        expect(roundUsd(e.totals.withScheduleMonthlyUsd)).to.equal(188.18);
        expect(roundUsd(e.totals.maxMonthlyUsd)).to.equal(roundUsd(3 * (ec2 + root) + alb + lcu + nat + rds));
        expect(e.unpriced.filter((u) => u.byUse !== true)).to.deep.equal([]);
        expect(e.schedules[0]).to.include({ runningHoursPerWeek: 65, timeZone: "UTC" });
    });

    it("doubles Multi-AZ RDS instance and storage, and prices prod's 4 x r6i.2xlarge", () => {
        const rds = stackRes("aws:rds/instance:Instance", "db", {
            engine: "postgres",
            instanceClass: "db.t3.large",
            multiAz: true,
            allocatedStorage: 100,
            storageType: "gp3",
        });
        expect(roundUsd(estimateMonthlyCost([rds], prices).totals.desiredMonthlyUsd)).to.equal(roundUsd(2 * (105.85 + 11.5)));
        const prod = compliantStack("prod").map((r) => stackRes(r.type, r.name, r.inputs, r.options.propertyDependencies ?? {}));
        const e = estimateMonthlyCost(prod, prices);
        const ec2Line = e.lines.find((l) => l.sku === "ec2:r6i.2xlarge");
        expect(ec2Line?.quantityDesired).to.equal(4 * 730);
        expect(roundUsd(ec2Line?.monthlyUsd.desired ?? 0)).to.equal(1471.68);
        expect(roundUsd(ec2Line?.monthlyUsd.max ?? 0)).to.equal(roundUsd(12 * 0.504 * 730));
    });

    it("lists unknown SKUs as unpriced instead of counting zero", () => {
        const e = estimateMonthlyCost(
            [
                stackRes("aws:ec2/instance:Instance", "odd", { instanceType: "x2iedn.32xlarge", rootBlockDevice: { volumeSize: 8, volumeType: "io2" } }),
                stackRes("aws:lb/loadBalancer:LoadBalancer", "gwlb", { loadBalancerType: "gateway", internal: true }),
            ],
            prices,
        );
        expect(e.totals.desiredMonthlyUsd).to.equal(0);
        expect(e.unpriced.map((u) => u.item)).to.deep.equal(["EC2 x2iedn.32xlarge", "EBS io2 root volume 8 GB", "gateway load balancer"]);
        expect(e.unpriced[0].reason).to.match(/no price for instance type "x2iedn.32xlarge"/);
    });

    it("prices a Network Load Balancer (hours + one assumed NLCU) and lists AWS Backup storage as unpriced usage", () => {
        const e = estimateMonthlyCost(
            [
                stackRes("aws:lb/loadBalancer:LoadBalancer", "qdrant-lb", { loadBalancerType: "network", internal: true }),
                stackRes("aws:backup/plan:Plan", "backup", { name: "memspine-prod-backup" }),
            ],
            prices,
        );
        expect(e.lines.map((l) => [l.sku, roundUsd(l.monthlyUsd.desired)])).to.deep.equal([["lb:network:hour", roundUsd(0.0225 * 730)], ["lb:network:lcu", roundUsd(0.006 * 730)]]);
        expect(e.lines[0].source).to.equal("aws-elb-pricing-nlb");
        expect(e.unpriced.map((u) => u.item)).to.deep.equal(["AWS Backup storage (recovery points)"]);
    });

    it("round-trips the report through the estimate-json line", () => {
        const e = estimateMonthlyCost(compliantStack("staging").map((r) => stackRes(r.type, r.name, r.inputs, r.options.propertyDependencies ?? {})), prices);
        const message = formatEstimateReport(e);
        expect(message.split("\n").some((l) => l.startsWith(ESTIMATE_JSON_PREFIX))).to.equal(true);
        const parsed = parseEstimateReport(`description line\n${message}`);
        expect(parsed?.totals.desiredMonthlyUsd).to.equal(roundUsd(e.totals.desiredMonthlyUsd));
        expect(parsed?.lines.length).to.equal(e.lines.length);
    });
});

describe("analyzer config reconciliation (CLI semantics)", () => {
    const policies = [
        {
            name: "p1",
            enforcementLevel: "advisory" as const,
            configSchema: { properties: { n: { type: "number", default: 1 }, env: { type: "string", enum: ["dev", "prod"] } }, required: ["env"] },
        },
        { name: "p2", enforcementLevel: "mandatory" as const },
    ];

    it("applies schema defaults, 'all', then per-policy values", () => {
        const r = reconcilePolicyConfig(policies, { all: "disabled", p1: { enforcementLevel: "mandatory", env: "dev" } });
        expect(r.errors).to.deep.equal([]);
        expect(r.config.p1).to.deep.equal({ enforcementLevel: "mandatory", properties: { n: 1, env: "dev" } });
        expect(r.config.p2.enforcementLevel).to.equal("disabled");
    });

    it("reports every schema problem and unknown policy names", () => {
        const r = reconcilePolicyConfig(policies, { p1: { n: "x", env: "qa" }, typo: "advisory" });
        expect(r.errors).to.deep.equal(['p1: n: expected number, got string "x"', 'p1: env: "qa" is not one of "dev", "prod"']);
        expect(r.warnings).to.deep.equal(["typo: no policy of this name in the pack"]);
        expect(reconcilePolicyConfig(policies, {}).errors).to.deep.equal(["p1: env is required"]);
        expect(validateJsonSchema([1, 2], { type: "array", items: { type: "integer", maximum: 1 } }, "x")).to.deep.equal(["x[1]: 2 is greater than the maximum 1"]);
    });
});
