// Tagging policies, through the real pack process and the analyzer gRPC protocol.
import { expect } from "chai";
import { T, UNKNOWN, analyzeAll, compliantStack, envConfig, failures, find, launchTemplateInputs, only, resource, tags, usePack } from "./fixtures";

describe("policy pack: tagging", () => {
    const pack = usePack();

    describe("tagging: required-tags", () => {
        before(async () => pack.get().configure(envConfig("dev")));

        it("passes every resource of the compliant stacks (maps, the ASG tag list, untaggable and non-AWS types)", async () => {
            for (const env of ["dev", "staging", "prod"] as const) {
                await pack.get().configure(envConfig(env));
                expect(failures(await analyzeAll(pack.get(), compliantStack(env))), env).to.deep.equal([]);
            }
            await pack.get().configure(envConfig("dev"));
        });

        it("refuses a resource without the Team tag", async () => {
            const lt = resource(T.lt, "api-lt", { ...launchTemplateInputs("dev", "t3.large"), tags: { Environment: "dev" } });
            const [v, ...rest] = only(await pack.get().analyze(lt), "required-tags");
            expect(rest).to.deep.equal([]);
            expect(v.enforcementLevel).to.equal("mandatory");
            expect(v.urn).to.equal(lt.urn);
            expect(v.detail).to.equal(
                'aws:ec2/launchTemplate:LaunchTemplate "api-lt" is missing required tag(s) Team (or their value is empty): add Team: "..." to its tags.',
            );
        });

        it("reads the Auto Scaling group's [{ key, value, propagateAtLaunch }] tags", async () => {
            const asg = find(compliantStack("dev"), "api-asg");
            expect(only(await pack.get().analyze(asg), "required-tags")).to.deep.equal([]);
            const noTeam = resource(T.asg, "api-asg", {
                ...asg.inputs,
                tags: [
                    { key: "Environment", value: "dev", propagateAtLaunch: true },
                    { key: "Team", value: "", propagateAtLaunch: true },
                ],
            });
            const [v] = only(await pack.get().analyze(noTeam), "required-tags");
            expect(v.detail).to.equal(
                'aws:autoscaling/group:Group "api-asg" is missing required tag(s) Team (or their value is empty): add { key: "Team", value: "...", propagateAtLaunch: true } to its tags list.',
            );
        });

        it("refuses an untagged taggable resource and ignores untaggable and non-AWS ones", async () => {
            const bucket = resource(T.bucket, "logs", { bucketPrefix: "logs-" });
            expect(only(await pack.get().analyze(bucket), "required-tags")[0].detail).to.contain("missing required tag(s) Environment, Team");
            for (const r of [
                resource(T.schedule, "down", { autoscalingGroupName: "g", scheduledActionName: "down", recurrence: "0 20 * * *" }),
                resource(T.vaultMount, "kv", { path: "secret/ai-providers", type: "kv-v2" }),
                resource(T.randomPassword, "pw", { length: 32 }),
                resource("pulumi:pulumi:Stack", "memory-spine-dev", {}, {}, { custom: false }),
            ]) {
                const result = await pack.get().analyzeDetailed(r);
                expect(only(result.violations, "required-tags"), r.type).to.deep.equal([]);
                expect(result.notApplicable.map((n) => n.policyName), r.type).to.include("required-tags");
            }
        });

        it("accepts tag values unknown during preview and uses the configured tag list", async () => {
            const lt = resource(T.lt, "api-lt", { ...launchTemplateInputs("dev", "t3.large"), tags: { Environment: "dev", Team: UNKNOWN } });
            expect(await pack.get().analyze(lt)).to.deep.equal([]);
            const config = envConfig("dev");
            config["required-tags"] = { requiredTags: ["Environment", "Team", "CostCenter", "Owner"] };
            await pack.get().configure(config);
            try {
                const [v] = only(await pack.get().analyze(find(compliantStack("dev"), "api-lt")), "required-tags");
                expect(v.detail).to.contain("missing required tag(s) Owner");
            } finally {
                await pack.get().configure(envConfig("dev"));
            }
        });
    });

    describe("tagging: environment-tag-value", () => {
        it("accepts dev/staging/prod and refuses anything else", async () => {
            await pack.get().configure(envConfig("dev"));
            expect(only(await pack.get().analyze(find(compliantStack("dev"), "nat-a")), "environment-tag-value")).to.deep.equal([]);
            const nat = resource(T.nat, "nat-a", { subnetId: "subnet-1", tags: tags("dev", { Environment: "qa" }) });
            const [v] = only(await pack.get().analyze(nat), "environment-tag-value");
            expect(v.enforcementLevel).to.equal("mandatory");
            expect(v.detail).to.equal('aws:ec2/natGateway:NatGateway "nat-a" has Environment="qa": use one of dev, staging, prod.');
        });
    });

    describe("tagging: environment-tag-consistent", () => {
        it("refuses a resource whose Environment differs from the stack's", async () => {
            await pack.get().configure(envConfig("dev"));
            const stack = compliantStack("dev");
            const nat = find(stack, "nat-a");
            nat.inputs = { ...nat.inputs, tags: tags("staging") };
            const [v, ...rest] = only(await pack.get().analyzeStack(stack), "environment-tag-consistent");
            expect(rest).to.deep.equal([]);
            expect(v.enforcementLevel).to.equal("mandatory");
            expect(v.urn).to.equal(nat.urn);
            expect(v.detail).to.equal(
                'aws:ec2/natGateway:NatGateway "nat-a" has Environment="staging" but the stack\'s environment is "dev" (the policy config `environment`): set Environment="dev" on it.',
            );
        });

        it("without a configured environment, the majority of the tags decides", async () => {
            const config = envConfig("dev");
            config["environment-tag-consistent"] = { enforcementLevel: "mandatory" };
            await pack.get().configure(config);
            try {
                const stack = compliantStack("prod");
                const lb = find(stack, "api-lb");
                lb.inputs = { ...lb.inputs, tags: tags("dev") };
                const [v, ...rest] = only(await pack.get().analyzeStack(stack), "environment-tag-consistent");
                expect(rest).to.deep.equal([]);
                expect(v.urn).to.equal(lb.urn);
                expect(v.detail).to.match(/has Environment="dev" but the stack's environment is "prod" \(\d+ of \d+ tagged resources\)/);
                expect(only(await pack.get().analyzeStack(compliantStack("prod")), "environment-tag-consistent")).to.deep.equal([]);
            } finally {
                await pack.get().configure(envConfig("dev"));
            }
        });
    });
});
