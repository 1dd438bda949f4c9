// Cost policies, through the real pack process and the analyzer gRPC protocol.
import { expect } from "chai";
import { parseEstimateReport } from "../../policy-pack/policies/lib/report";
import { PolicyConfigError, RecordedResource } from "../../tools/analyzer/client";
import { T, clone, compliantStack, envConfig, find, launchTemplateInputs, only, resource, tags, usePack } from "./fixtures";

describe("policy pack: cost", () => {
    const pack = usePack();

    function withoutSchedules(resources: RecordedResource[]): RecordedResource[] {
        return resources.filter((r) => r.type !== T.schedule);
    }

    describe("cost: blocked-instance-types", () => {
        before(async () => pack.get().configure(envConfig("prod")));

        it("passes the compliant stack's launch template", async () => {
            const lt = find(compliantStack("prod"), "api-lt");
            expect(only(await pack.get().analyze(lt), "blocked-instance-types")).to.deep.equal([]);
        });

        it("refuses p5.48xlarge on a launch template, even with the approval tag", async () => {
            const lt = resource(T.lt, "gpu-lt", { ...launchTemplateInputs("prod", "p5.48xlarge"), tags: tags("prod", { CostApproval: "FIN-42" }) });
            const [v, ...rest] = only(await pack.get().analyze(lt), "blocked-instance-types");
            expect(rest).to.deep.equal([]);
            expect(v.enforcementLevel).to.equal("mandatory");
            expect(v.policyPackName).to.equal("memory-spine-guardrails");
            expect(v.urn).to.equal(lt.urn);
            expect(v.detail).to.equal(
                'aws:ec2/launchTemplate:LaunchTemplate "gpu-lt" sets instanceType = "p5.48xlarge": p5.48xlarge is never allowed. Choose a smaller instance type.',
            );
        });

        it("refuses p4d.24xlarge without the CostApproval tag and allows it with one", async () => {
            const inputs = { ami: "ami-1", instanceType: "p4d.24xlarge", tags: tags("prod") };
            const refused = only(await pack.get().analyze(resource(T.instance, "trainer", inputs)), "blocked-instance-types");
            expect(refused).to.have.lengthOf(1);
            expect(refused[0].enforcementLevel).to.equal("mandatory");
            expect(refused[0].detail).to.contain('aws:ec2/instance:Instance "trainer" sets instanceType = "p4d.24xlarge"');
            expect(refused[0].detail).to.contain("Add the tag CostApproval=<approval ticket> to the resource");

            const approved = resource(T.instance, "trainer", { ...inputs, tags: tags("prod", { CostApproval: "FIN-1234" }) });
            expect(only(await pack.get().analyze(approved), "blocked-instance-types")).to.deep.equal([]);
            const blank = resource(T.instance, "trainer", { ...inputs, tags: tags("prod", { CostApproval: " " }) });
            expect(only(await pack.get().analyze(blank), "blocked-instance-types")).to.have.lengthOf(1);
        });

        it("strips db. from RDS classes and reads Auto Scaling overrides", async () => {
            const db = resource(T.rds, "big-db", { engine: "postgres", instanceClass: "db.p4d.24xlarge", tags: tags("prod") });
            const [v] = only(await pack.get().analyze(db), "blocked-instance-types");
            expect(v.detail).to.contain('sets instanceClass = "db.p4d.24xlarge": p4d.24xlarge needs a cost approval');
            const asg = resource(T.asg, "mixed", {
                minSize: 1,
                maxSize: 2,
                mixedInstancesPolicy: { launchTemplate: { launchTemplateSpecification: { launchTemplateId: "lt-1" }, overrides: [{ instanceType: "m6i.large" }, { instanceType: "p5.48xlarge" }] } },
                tags: [{ key: "Environment", value: "prod", propagateAtLaunch: true }],
            });
            const [o] = only(await pack.get().analyze(asg), "blocked-instance-types");
            expect(o.detail).to.contain('mixedInstancesPolicy.launchTemplate.overrides[1].instanceType = "p5.48xlarge"');
        });

        it("reads every resource that names an instance type: spot requests, launch configurations, EKS node groups, RDS clusters", async () => {
            const cases: [RecordedResource, string][] = [
                [resource(T.spotInstance, "spot", { ami: "ami-1", instanceType: "p5.48xlarge", tags: tags("prod") }), 'instanceType = "p5.48xlarge"'],
                [resource(T.launchConfiguration, "lc", { imageId: "ami-1", instanceType: "p5.48xlarge" }), 'instanceType = "p5.48xlarge"'],
                [resource(T.nodeGroup, "gpu-nodes", { clusterName: "eks", instanceTypes: ["m6i.large", "p5.48xlarge"], tags: tags("prod") }), 'instanceTypes[1] = "p5.48xlarge"'],
                [resource(T.rdsClusterInstance, "aurora-1", { clusterIdentifier: "c", engine: "aurora-postgresql", instanceClass: "db.p5.48xlarge" }), 'instanceClass = "db.p5.48xlarge"'],
                [resource(T.rdsCluster, "maz", { engine: "postgres", dbClusterInstanceClass: "db.p5.48xlarge", storageEncrypted: true }), 'dbClusterInstanceClass = "db.p5.48xlarge"'],
            ];
            for (const [r, expected] of cases) {
                const found = only(await pack.get().analyze(r), "blocked-instance-types");
                expect(found, r.type).to.have.lengthOf(1);
                expect(found[0].detail).to.contain(`${r.type} "${r.name}" sets ${expected}`);
            }
            const fine = resource(T.nodeGroup, "nodes", { clusterName: "eks", instanceTypes: ["m6i.large"], tags: tags("prod") });
            expect(only(await pack.get().analyze(fine), "blocked-instance-types")).to.deep.equal([]);
        });

        it("takes its lists and tag key from the policy config", async () => {
            const config = envConfig("prod");
            config["blocked-instance-types"] = { approvalRequired: ["r6i.2xlarge"], neverAllowed: [], approvalTagKey: "FinOpsTicket" };
            await pack.get().configure(config);
            try {
                const lt = find(compliantStack("prod"), "api-lt");
                const [v] = only(await pack.get().analyze(lt), "blocked-instance-types");
                expect(v.detail).to.contain("Add the tag FinOpsTicket=<approval ticket>");
            } finally {
                await pack.get().configure(envConfig("prod"));
            }
        });
    });

    describe("cost: accelerators-prod-only", () => {
        const g5 = (env: "dev" | "prod" | undefined): RecordedResource => {
            const inputs = launchTemplateInputs("dev", "g5.xlarge");
            inputs.tags = env === undefined ? { Team: "ml" } : tags(env);
            return resource(T.lt, "gpu-lt", inputs);
        };

        it("refuses g5.xlarge in dev (Environment tag)", async () => {
            await pack.get().configure(envConfig("prod"));
            const [v, ...rest] = only(await pack.get().analyze(g5("dev")), "accelerators-prod-only");
            expect(rest).to.deep.equal([]);
            expect(v.enforcementLevel).to.equal("mandatory");
            expect(v.detail).to.equal(
                'aws:ec2/launchTemplate:LaunchTemplate "gpu-lt" sets instanceType = "g5.xlarge", a GPU/accelerator type (family "g"), in environment "dev": ' +
                    "accelerator instances are allowed only in prod. Choose a non-accelerator type such as r6i.xlarge or m6i.large.",
            );
        });

        it("allows g5.xlarge in prod", async () => {
            await pack.get().configure(envConfig("dev"));
            expect(only(await pack.get().analyze(g5("prod")), "accelerators-prod-only")).to.deep.equal([]);
        });

        it("falls back on the policy config environment when the resource has no Environment tag", async () => {
            await pack.get().configure(envConfig("dev"));
            expect(only(await pack.get().analyze(g5(undefined)), "accelerators-prod-only")).to.have.lengthOf(1);
            await pack.get().configure(envConfig("prod"));
            expect(only(await pack.get().analyze(g5(undefined)), "accelerators-prod-only")).to.deep.equal([]);
        });

        it("refuses a GPU EKS node group and a GPU spot request in dev", async () => {
            await pack.get().configure(envConfig("dev"));
            const nodes = resource(T.nodeGroup, "gpu-nodes", { clusterName: "eks", instanceTypes: ["g5.2xlarge"], tags: tags("dev") });
            expect(only(await pack.get().analyze(nodes), "accelerators-prod-only")[0]?.detail).to.contain('sets instanceTypes[0] = "g5.2xlarge"');
            const spot = resource(T.spotInstance, "spot", { ami: "ami-1", instanceType: "inf2.xlarge", tags: tags("dev") });
            expect(only(await pack.get().analyze(spot), "accelerators-prod-only")[0]?.detail).to.contain('(family "inf")');
        });

        it("does not mistake Graviton m6g for the g family", async () => {
            await pack.get().configure(envConfig("dev"));
            const lt = resource(T.lt, "arm-lt", launchTemplateInputs("dev", "m6g.large"));
            expect(only(await pack.get().analyze(lt), "accelerators-prod-only")).to.deep.equal([]);
        });
    });

    describe("cost: cost-estimate-report and monthly-cost-estimate", () => {
        before(async () => pack.get().configure(envConfig("dev")));

        it("reports the estimate as an advisory with a machine-readable payload", async () => {
            const violations = await pack.get().analyzeStack(compliantStack("dev"));
            const [report] = only(violations, "cost-estimate-report");
            expect(report.enforcementLevel).to.equal("advisory");
            expect(report.urn).to.equal(undefined);
            expect(report.detail).to.match(/^estimate: \$188\.18\/month at desired capacity with schedules, \$231\.45\/month at desired capacity without schedules/);
            expect(report.detail).to.contain("schedule: api-asg runs 65 of 168 h/week (down 0 20 * * *, up 0 7 * * 1-5, UTC)");
            const estimate = parseEstimateReport(report.message);
            expect(estimate?.totals).to.deep.equal({
                desiredMonthlyUsd: 231.45,
                withScheduleMonthlyUsd: 188.18,
                maxMonthlyUsd: 360.92,
                scheduleSavingMonthlyUsd: 43.27,
            });
            expect(estimate?.unpriced.filter((u) => u.byUse !== true)).to.deep.equal([]);
            expect(estimate?.unpriced.map((u) => `${u.name}: ${u.item}`)).to.deep.equal([
                "api-asg: t3.large surplus CPU credits",
                "vector-db: RDS backup storage",
                "vector-db: db.t3.large surplus CPU credits",
                "nat-a: NAT gateway data processing",
            ]);
            expect(report.detail).to.contain("billed by use (not included in the totals): t3.large surplus CPU credits (api-asg);");
            expect(only(violations, "monthly-cost-estimate")).to.deep.equal([]);
        });

        it("lists an unpriced instance type as unpriced, not as $0", async () => {
            const stack = compliantStack("dev");
            (find(stack, "api-lt").inputs as { instanceType: string }).instanceType = "x2iedn.xlarge";
            const [report] = only(await pack.get().analyzeStack(stack), "cost-estimate-report");
            expect(report.detail).to.contain(
                'unpriced (not included in the totals): EC2 x2iedn.xlarge (aws:autoscaling/group:Group "api-asg": no price for instance type "x2iedn.xlarge" in prices.json)',
            );
            const estimate = parseEstimateReport(report.message);
            expect(estimate?.unpriced.filter((u) => u.byUse !== true).map((u) => u.item)).to.deep.equal(["EC2 x2iedn.xlarge"]);
            expect(estimate?.lines.some((l) => l.sku.startsWith("ec2:"))).to.equal(false);
        });

        it("prices a group launched from a launch configuration and an on-demand EKS node group", async () => {
            const stack = compliantStack("dev").filter((r) => r.type !== T.lt);
            const lc = resource(T.launchConfiguration, "api-lc", {
                name: "memspine-dev-lc",
                imageId: "ami-1",
                instanceType: "t3.xlarge",
                rootBlockDevice: { volumeSize: 40, volumeType: "gp3", encrypted: true },
            });
            const group = find(stack, "api-asg");
            group.inputs = { ...group.inputs, launchTemplate: undefined, launchConfiguration: "memspine-dev-lc" };
            group.options = { ...group.options, propertyDependencies: {}, dependencies: [] };
            const nodes = resource(T.nodeGroup, "nodes", { clusterName: "eks", instanceTypes: ["m6i.large"], scalingConfig: { desiredSize: 2, minSize: 1, maxSize: 4 }, tags: tags("dev") });
            const [report] = only(await pack.get().analyzeStack([...withoutSchedules(stack), lc, nodes]), "cost-estimate-report");
            const estimate = parseEstimateReport(report.message);
            const line = (item: string, name: string) => estimate?.lines.find((l) => l.item === item && l.name === name);
            // api-asg runs 1 node: 730 h x 0.1664; 40 GB x 0.08. The node group: 2 x 730 h x 0.096, max 4.
            expect(line("EC2 t3.xlarge", "api-asg")?.monthlyUsd).to.deep.equal({ desired: 121.47, withSchedule: 121.47, max: 364.42 });
            expect(line("EBS gp3 root volume 40 GB", "api-asg")?.monthlyUsd.desired).to.be.closeTo(3.2, 1e-9);
            expect(line("EC2 m6i.large", "nodes")?.monthlyUsd).to.deep.equal({ desired: 140.16, withSchedule: 140.16, max: 280.32 });
            expect(estimate?.unpriced.filter((u) => u.byUse !== true).map((u) => `${u.name}: ${u.item}`)).to.deep.equal(["nodes: EBS node disks 20 GB x2"]);
        });

        it("lists spot hours, Aurora instances without a price and Aurora storage as unpriced", async () => {
            const stack = [
                ...compliantStack("dev"),
                resource(T.spotInstance, "spot", { ami: "ami-1", instanceType: "m6i.large", rootBlockDevice: { volumeSize: 30, volumeType: "gp3", encrypted: true }, tags: tags("dev") }),
                resource(T.rdsCluster, "aurora", { engine: "aurora-postgresql", storageEncrypted: true, tags: tags("dev") }),
                resource(T.rdsClusterInstance, "aurora-1", { clusterIdentifier: "aurora", engine: "aurora-postgresql", instanceClass: "db.r6g.large", tags: tags("dev") }),
            ];
            const [report] = only(await pack.get().analyzeStack(stack), "cost-estimate-report");
            const estimate = parseEstimateReport(report.message);
            expect(estimate?.unpriced.filter((u) => u.byUse !== true).map((u) => `${u.name}: ${u.item}`)).to.deep.equal([
                "spot: EC2 spot m6i.large",
                "aurora: RDS cluster storage aurora-postgresql",
                "aurora-1: RDS cluster instance aurora-postgresql db.r6g.large",
            ]);
            expect(estimate?.lines.find((l) => l.name === "spot")?.item).to.equal("EBS gp3 root volume 30 GB");
        });

        it("refuses a stack whose estimate exceeds the environment budget", async () => {
            const stack = compliantStack("dev");
            (find(stack, "api-lt").inputs as { instanceType: string }).instanceType = "r6i.2xlarge";
            Object.assign(find(stack, "api-asg").inputs, { desiredCapacity: 4, maxSize: 12 });
            const [v, ...rest] = only(await pack.get().analyzeStack(withoutSchedules(stack)), "monthly-cost-estimate");
            expect(rest).to.deep.equal([]);
            expect(v.enforcementLevel).to.equal("mandatory");
            // 4 x r6i.2xlarge 1471.68 + 4 x 50 GB 16 + ALB 22.265 + NAT 32.85 + RDS 105.85 + 5.75
            expect(v.detail).to.match(/^Estimated \$1,654\.40\/month at desired capacity with schedules exceeds the dev budget of \$400\.00\/month \(monthlyBudgetUsd\) by \$1,254\.40\./);
            expect(v.detail).to.contain('Largest items: EC2 r6i.2xlarge for aws:autoscaling/group:Group "api-asg" $1,471.68');
            expect(v.detail).to.contain("raise monthlyBudgetUsd in policy-pack/config/dev.json");
        });

        it("counts the scale-to-zero schedule against the budget", async () => {
            const stack = compliantStack("dev");
            (find(stack, "api-lt").inputs as { instanceType: string }).instanceType = "r6i.xlarge";
            Object.assign(find(stack, "api-asg").inputs, { desiredCapacity: 2, maxSize: 6 });
            // Without the schedules: 2 x 183.96 + 8 + 166.715 = 542.64 > 400; with them 65/168 of the nodes: 312.16.
            expect(only(await pack.get().analyzeStack(withoutSchedules(stack)), "monthly-cost-estimate")).to.have.lengthOf(1);
            expect(only(await pack.get().analyzeStack(stack), "monthly-cost-estimate")).to.deep.equal([]);
        });

        it("requires monthlyBudgetUsd in the config", async () => {
            const config = envConfig("dev");
            config["monthly-cost-estimate"] = { environment: "dev" };
            let error: unknown;
            try {
                await pack.get().configure(config);
            } catch (e) {
                error = e;
            }
            expect(error).to.be.instanceOf(PolicyConfigError);
            expect((error as PolicyConfigError).errors).to.deep.equal(["monthly-cost-estimate: monthlyBudgetUsd is required"]);
            await pack.get().configure(envConfig("dev"));
        });
    });

    describe("cost: nonprod-scale-to-zero-schedule", () => {
        it("passes non-prod groups with a scale-down and a scale-up schedule, and prod groups without", async () => {
            await pack.get().configure(envConfig("staging"));
            expect(only(await pack.get().analyzeStack(compliantStack("staging")), "nonprod-scale-to-zero-schedule")).to.deep.equal([]);
            await pack.get().configure(envConfig("prod"));
            expect(only(await pack.get().analyzeStack(compliantStack("prod")), "nonprod-scale-to-zero-schedule")).to.deep.equal([]);
        });

        it("refuses a non-prod Auto Scaling group without schedules", async () => {
            await pack.get().configure(envConfig("dev"));
            const stack = withoutSchedules(compliantStack("dev"));
            const [v, ...rest] = only(await pack.get().analyzeStack(stack), "nonprod-scale-to-zero-schedule");
            expect(rest).to.deep.equal([]);
            expect(v.enforcementLevel).to.equal("mandatory");
            expect(v.urn).to.equal(find(stack, "api-asg").urn);
            expect(v.detail).to.equal(
                'aws:autoscaling/group:Group "api-asg" in dev lacks a recurring scale-down to zero (desiredCapacity 0, minSize 0) and a recurring ' +
                    'scale-up (desiredCapacity > 0). Add aws.autoscaling.Schedule resources for the group, e.g. down "0 20 * * *" and up "0 7 * * 1-5".',
            );
        });

        const storeSchedule = (name: string, action: string, expression: string, target: RecordedResource): RecordedResource =>
            resource("aws:scheduler/schedule:Schedule", name, {
                scheduleExpression: expression,
                flexibleTimeWindow: { mode: "OFF" },
                target: { arn: `arn:aws:scheduler:::aws-sdk:${action}`, roleArn: "arn:aws:iam::123456789012:role/offhours" },
            }, { propertyDependencies: { target: [target.urn] } });

        it("passes a non-prod store stopped and started off hours; refuses one that is stopped but never started", async () => {
            await pack.get().configure(envConfig("dev"));
            const stack = compliantStack("dev");
            const db = find(stack, "vector-db");
            const stop = storeSchedule("db-stop", "rds:stopDBInstance", "cron(15 20 ? * * *)", db);
            const start = storeSchedule("db-start", "rds:startDBInstance", "cron(45 6 ? * MON-FRI *)", db);
            expect(only(await pack.get().analyzeStack([...stack, stop, start]), "nonprod-scale-to-zero-schedule")).to.deep.equal([]);
            const [v, ...rest] = only(await pack.get().analyzeStack([...stack, stop]), "nonprod-scale-to-zero-schedule");
            expect(rest).to.deep.equal([]);
            expect(v.urn).to.equal(db.urn);
            expect(v.detail).to.equal(
                'aws:rds/instance:Instance "vector-db" is stopped by a schedule (15 20 * * *) that no schedule undoes: it stays down ' +
                    "(RDS restarts an instance after 7 days, then stops it again). Add the matching start schedule.",
            );
        });

        it("refuses any store stop/start schedule in prod, which never stops its stores", async () => {
            await pack.get().configure(envConfig("prod"));
            const stack = compliantStack("prod");
            const qdrant = find(stack, "qdrant");
            const stop = storeSchedule("qdrant-stop", "ec2:stopInstances", "cron(15 20 ? * * *)", qdrant);
            const start = storeSchedule("qdrant-start", "ec2:startInstances", "cron(45 6 ? * MON-FRI *)", qdrant);
            const found = only(await pack.get().analyzeStack([...stack, stop, start]), "nonprod-scale-to-zero-schedule");
            expect(found.map((v) => v.urn)).to.deep.equal([stop.urn, start.urn]);
            expect(found[0].enforcementLevel).to.equal("mandatory");
            expect(found[0].detail).to.contain('stops or starts aws:ec2/instance:Instance "qdrant" in prod, which never stops its stores');
        });

        it("refuses a scale-down that leaves minSize above zero or a broken cron", async () => {
            await pack.get().configure(envConfig("dev"));
            const stack = clone(compliantStack("dev"));
            Object.assign(find(stack, "api-scale-down").inputs, { minSize: 1 });
            Object.assign(find(stack, "api-scale-up").inputs, { recurrence: "0 7 * *" });
            const [v] = only(await pack.get().analyzeStack(stack), "nonprod-scale-to-zero-schedule");
            expect(v.detail).to.contain('aws:autoscaling/schedule:Schedule "api-scale-down" sets desiredCapacity 0 but minSize 1: set minSize 0 too');
            expect(v.detail).to.contain('cron "0 7 * *": expected 5 fields');
        });
    });
});
