// The analyzer client and the pack's metadata/config, over the real gRPC protocol.
import { expect } from "chai";
import { allPolicies } from "../../policy-pack/policies";
import { PolicyConfigError, PolicyPackConfigFile, parseUrn, startPolicyPack, toJson } from "../../tools/analyzer/client";
import { SECRET_SIG, T, UNKNOWN, compliantStack, envConfig, find, launchTemplateInputs, only, resource, secret, tags, usePack } from "./fixtures";

describe("policy pack: analyzer client", () => {
    const pack = usePack();

    describe("analyzer client: pack metadata and configuration", () => {
        it("GetAnalyzerInfo lists every policy with its enforcement level, type and config schema", async () => {
            const info = await pack.get().getAnalyzerInfo();
            expect(info).to.include({ name: "memory-spine-guardrails", version: "1.0.0", supportsConfig: true });
            expect(info.policies.map((p) => p.name)).to.deep.equal(allPolicies.map((p) => p.name));
            const levels = Object.fromEntries(info.policies.map((p) => [p.name, `${p.enforcementLevel}/${p.policyType}`]));
            expect(levels).to.deep.include({
                "blocked-instance-types": "mandatory/resource",
                "cost-estimate-report": "advisory/stack",
                "monthly-cost-estimate": "mandatory/stack",
                "no-open-ingress": "mandatory/stack",
                "required-tags": "mandatory/resource",
            });
            for (const p of info.policies) {
                expect(p.description.length, p.name).to.be.greaterThan(40);
                expect(p.configSchema, p.name).to.not.equal(undefined);
            }
            expect(info.policies.find((p) => p.name === "monthly-cost-estimate")?.configSchema?.required).to.deep.equal(["monthlyBudgetUsd"]);
        });

        it("the shipped config files are valid, set each environment and the budgets", async () => {
            const budgets = { dev: 400, staging: 1500, prod: 6000 };
            for (const env of ["dev", "staging", "prod"] as const) {
                const file = envConfig(env);
                const sent = await pack.get().configure(file);
                expect(sent["monthly-cost-estimate"].properties.monthlyBudgetUsd, env).to.equal(budgets[env]);
                for (const p of allPolicies) {
                    expect(Object.keys(file), env).to.include(p.name);
                    if (p.configSchema?.properties.environment !== undefined) {
                        expect(sent[p.name].properties.environment, `${env}: ${p.name}`).to.equal(env);
                    }
                }
            }
        });

        it("refuses bad config with every problem listed", async () => {
            const bad = {
                ...envConfig("dev"),
                "monthly-cost-estimate": { monthlyBudgetUsd: -5, environment: "qa" },
                "imdsv2-required": { maxHopLimit: "two" },
            } as unknown as PolicyPackConfigFile;
            let error: unknown;
            try {
                await pack.get().configure(bad);
            } catch (e) {
                error = e;
            }
            expect(error).to.be.instanceOf(PolicyConfigError);
            expect((error as PolicyConfigError).errors).to.deep.equal([
                "monthly-cost-estimate: monthlyBudgetUsd: -5 must be greater than 0",
                'monthly-cost-estimate: environment: "qa" is not one of "dev", "staging", "prod"',
                'imdsv2-required: maxHopLimit: expected integer, got string "two"',
            ]);
            let levelError: unknown;
            try {
                await pack.get().configure({ "required-tags": "strict" } as unknown as PolicyPackConfigFile);
            } catch (e) {
                levelError = e;
            }
            expect((levelError as Error).message).to.contain('required-tags: "strict" is not a valid enforcement level');
        });

        it("enforcement levels from the config reach the violations (advisory, disabled, 'all')", async () => {
            const lt = resource(T.lt, "gpu-lt", launchTemplateInputs("prod", "p5.48xlarge"));
            await pack.get().configure({ ...envConfig("prod"), "blocked-instance-types": "advisory" });
            expect(only(await pack.get().analyze(lt), "blocked-instance-types")[0].enforcementLevel).to.equal("advisory");
            await pack.get().configure({ ...envConfig("prod"), "blocked-instance-types": { enforcementLevel: "disabled" } });
            expect(only(await pack.get().analyze(lt), "blocked-instance-types")).to.deep.equal([]);
            await pack.get().configure({ all: "advisory", "monthly-cost-estimate": { monthlyBudgetUsd: 1 } });
            const levels = new Set((await pack.get().analyzeStack(compliantStack("prod"))).map((v) => v.enforcementLevel));
            expect([...levels]).to.deep.equal(["advisory"]);
            await pack.get().configure(envConfig("prod"));
        });
    });

    describe("analyzer client: wire format", () => {
        before(async () => pack.get().configure(envConfig("prod")));

        it("unwraps Pulumi secrets in inputs (the policy sees the value)", async () => {
            const lt = resource(T.lt, "gpu-lt", { ...launchTemplateInputs("prod", "t3.large"), instanceType: secret("p5.48xlarge") });
            expect(lt.inputs.instanceType).to.have.property("4dabf18193072939515e22adb298388d", SECRET_SIG["4dabf18193072939515e22adb298388d"]);
            expect(only(await pack.get().analyze(lt), "blocked-instance-types")).to.have.lengthOf(1);
        });

        it("sends resource references as ids and output values as their (secret) value, as the engine does", async () => {
            const ref = { "4dabf18193072939515e22adb298388d": "5cf8f73096256a8f31e491e813e4eb8e", urn: "urn:pulumi:test::memory-spine::aws:ec2/securityGroup:SecurityGroup::lb-sg", id: "sg-lb" };
            const out = (value: unknown, isSecret = false): Record<string, unknown> => ({ "4dabf18193072939515e22adb298388d": "d0e6a833031e9bbcd3f4e8bde6ca49a4", value, secret: isSecret });
            expect(toJson({ securityGroups: [ref], internal: out(false), name: out("x", true), later: { "4dabf18193072939515e22adb298388d": "d0e6a833031e9bbcd3f4e8bde6ca49a4" } })).to.deep.equal({
                securityGroups: ["sg-lb"],
                internal: false,
                name: { ...SECRET_SIG, value: "x" },
                later: UNKNOWN,
            });
            const lt = resource(T.lt, "gpu-lt", { ...launchTemplateInputs("prod", "t3.large"), instanceType: out("p5.48xlarge", true) });
            expect(only(await pack.get().analyze(lt), "blocked-instance-types")).to.have.lengthOf(1);
        });

        it("unknown values fail no policy: each policy that needed one says so as the CLI's advisory", async () => {
            const lt = resource(T.lt, "lt", { ...launchTemplateInputs("prod", "t3.large"), instanceType: UNKNOWN, networkInterfaces: UNKNOWN });
            const result = await pack.get().analyzeDetailed(lt);
            expect(result.violations.map((v) => [v.policyName, v.enforcementLevel, v.message])).to.deep.equal([
                ["blocked-instance-types", "advisory", "can't run policy 'blocked-instance-types' from policy pack 'memory-spine-guardrails@v1.0.0' during preview: value .instanceType can't be known during preview"],
                ["no-public-ip", "advisory", "can't run policy 'no-public-ip' from policy pack 'memory-spine-guardrails@v1.0.0' during preview: value .networkInterfaces can't be known during preview"],
            ]);
        });

        it("sends resource options and the provider; the stack analysis sees parents and property dependencies", async () => {
            const stack = compliantStack("prod");
            const volume = find(stack, "qdrant-data");
            expect(volume.options.provider).to.match(/::prov-id$/);
            expect(await pack.get().analyze(volume, { resources: stack })).to.deep.equal([]);
            const child = { ...volume, parent: "urn:pulumi:test::memory-spine::memory-spine:store:VectorStore::store", options: { ...volume.options, protect: false, ignoreChanges: ["tags"], deleteBeforeReplace: true, customTimeouts: { create: "10m" } } };
            expect(only(await pack.get().analyze(child, { resources: stack }), "prod-stateful-protected")).to.have.lengthOf(1);
            const violations = await pack.get().analyzeStack(stack);
            expect(violations.filter((v) => v.enforcementLevel !== "advisory")).to.deep.equal([]);
            expect(parseUrn("urn:pulumi:dev::memory-spine::memory-spine:cluster:Cluster$aws:lb/loadBalancer:LoadBalancer::api-lb")).to.deep.equal({
                type: "aws:lb/loadBalancer:LoadBalancer",
                name: "api-lb",
            });
        });

        it("resolves links by resolved ids when property dependencies are missing", async () => {
            const decoy = resource(T.lt, "other-lt", launchTemplateInputs("dev", "m6i.large"), {}, { id: "lt-999" });
            const stack = [...compliantStack("dev"), decoy].map((r) => ({ ...r, options: { ...r.options, propertyDependencies: {} } }));
            const violations = await pack.get().analyzeStack(stack);
            const [report] = only(violations, "cost-estimate-report");
            expect(report.detail).to.contain("schedule: api-asg runs 65 of 168 h/week");
            expect(report.detail).to.match(/^estimate: \$188\.18\/month/); // t3.large from lt-123, not m6i.large
            expect(only(violations, "nonprod-scale-to-zero-schedule")).to.deep.equal([]);
            const nat = find(stack, "nat-a");
            expect(nat.inputs.tags).to.deep.equal(tags("dev"));
        });

    });

    // The exact command the CLI's nodejs policy host runs. It type-checks the pack (~7 s), so a
    // developer's `npm test` skips it unless asked; CI (CI=true) always runs it.
    describe("analyzer client: CLI start mode", () => {
        it("serves the pack through @pulumi/pulumi/cmd/run-policy-pack (runs under CI=true or POLICY_PACK_CLI_MODE=1)", async function () {
            if (process.env.CI !== "true" && process.env.POLICY_PACK_CLI_MODE !== "1") {
                if (this.test) {
                    this.test.title += " [skipped: slow; set POLICY_PACK_CLI_MODE=1]";
                }
                this.skip();
            }
            this.timeout(60_000);
            const cli = await startPolicyPack({ mode: "cli" });
            try {
                expect((await cli.getAnalyzerInfo()).policies.map((p) => p.name)).to.deep.equal(allPolicies.map((p) => p.name));
                await cli.configure(envConfig("dev"));
                expect(only(await cli.analyzeStack(compliantStack("dev")), "cost-estimate-report")).to.have.lengthOf(1);
            } finally {
                await cli.close();
            }
        });
    });

    // Last: ends this file's pack (the root after hook's close() is then a no-op).
    describe("analyzer client: close", () => {
        it("close() ends the pack process", async () => {
            const pid = pack.get().pid;
            expect(pid).to.be.a("number");
            expect(() => process.kill(pid as number, 0)).to.not.throw();
            await pack.get().close();
            expect(() => process.kill(pid as number, 0)).to.throw();
        });
    });
});
