import { expect } from "chai";
import { runWith, shippedStack, SHIPPED_STACKS } from "../support/stacks";
import type { ProgramRun } from "../../tools/lib/mock-runtime";
import { hclText, loadTerraform, TerraformTree } from "./helpers/terraform";
import { COMPONENT_MODULES, TERRAFORM_MODULE_OVERRIDES, TERRAFORM_TYPES } from "./helpers/type-map";
import { alarmSpecs, kvAlarmSpecs } from "../../components/monitoring";
import type { MonitoringSettings } from "../../components/config";

/** Pulumi type tokens the program registers, grouped by the component that owns them. */
function typesByComponent(run: ProgramRun): Map<string, Set<string>> {
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    const result = new Map<string, Set<string>>();
    for (const resource of run.resources) {
        if (!resource.custom || resource.type.startsWith("pulumi:providers:")) {
            continue;
        }
        // The owning concern is the outermost memory-spine component above the resource.
        let owner: string | undefined;
        for (let parent = resource.parent; parent; parent = byUrn.get(parent)?.parent) {
            const type = byUrn.get(parent)?.type;
            if (type && type in COMPONENT_MODULES) {
                owner = type;
            }
        }
        expect(owner, `${resource.type} ${resource.name} belongs to no mapped component`).to.be.a("string");
        const types = result.get(owner as string) ?? new Set<string>();
        types.add(resource.type);
        result.set(owner as string, types);
    }
    return result;
}

function terraformTypesOf(tree: TerraformTree, moduleName: string): Set<string> {
    const module = tree.modules.get(moduleName);
    expect(module, `terraform/modules/${moduleName}`).to.not.equal(undefined);
    return new Set([...(module?.resources.keys() ?? [])].map((address) => address.split(".")[0]));
}

describe("resource parity: every Pulumi resource type has its Terraform counterpart in the matching module", () => {
    const runs: { label: string; run: () => Promise<ProgramRun> }[] = [
        ...SHIPPED_STACKS.map((stack) => ({ label: stack, run: () => shippedStack(stack) })),
        // Each stack exercises one vector store; cover the other engine in prod posture too.
        { label: "prod with pgvector", run: () => runWith({ stack: "prod", overrides: { vectorStoreEngine: "pgvector" } }) },
        { label: "staging with the key-value layer in cluster mode", run: () => runWith({ stack: "staging", overrides: { kvShards: 3 } }) },
        { label: "dev with existing VPC", run: () => runWith({ stack: "dev", overrides: { existingVpcId: "vpc-0123456789abcdef0", existingPublicSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"], existingPrivateSubnetIds: ["subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2"] } }) },
    ];
    for (const { label, run } of runs) {
        it(label, async () => {
            const [program, tree] = await Promise.all([run(), loadTerraform()]);
            expect(program.error).to.equal(undefined);
            for (const [component, types] of typesByComponent(program)) {
                for (const type of types) {
                    const terraformType = TERRAFORM_TYPES[type];
                    expect(terraformType, `no Terraform type mapped for ${type}`).to.be.a("string");
                    const moduleName = TERRAFORM_MODULE_OVERRIDES[terraformType]?.module ?? COMPONENT_MODULES[component];
                    const declared = terraformTypesOf(tree, moduleName);
                    expect([...declared], `${type} (${component}) -> ${terraformType} in terraform/modules/${moduleName}`).to.include(terraformType);
                }
            }
        });
    }

    it("the CloudWatch alarms are the same in both forms: metric, statistic, period, comparison, fixed thresholds and engine", async () => {
        const settings: MonitoringSettings = {
            alertEmails: [],
            alarmServerErrorCount: 7,
            alarmLatencyMs: 900,
            alarmCpuPercent: 70,
            alarmDbCpuPercent: 60,
            alarmDbFreeStorageGb: 20,
            alarmDbConnections: 40,
            enableGrafana: false,
            monthlyBudgetUsd: 0,
            budgetEmails: [],
        };
        const specsFor = (engine: "qdrant" | "pgvector") =>
            alarmSpecs({ environment: "staging", settings, vectorStoreEngine: engine, loadBalancerArnSuffix: "lb", targetGroupArnSuffix: "tg", autoScalingGroupName: "asg", nodeRoleName: "role", qdrantInstanceIds: ["i-1"], tags: {} });
        const qdrant = specsFor("qdrant");
        const pgvector = specsFor("pgvector");
        // Per-node Qdrant alarms (qdrant-<i>-<key>) are one template per key in Terraform.
        const perNode = /^qdrant-0-(.+)$/;
        const shared = [...qdrant, ...pgvector].filter((spec) => !perNode.test(spec.suffix));
        const all = new Map(shared.map((spec) => [spec.suffix, spec]));

        const monitoring = (await loadTerraform()).modules.get("monitoring");
        const terraform = monitoring?.locals.get("all_alarms") as Record<string, Record<string, unknown>>;
        expect(Object.keys(terraform).sort()).to.deep.equal([...all.keys()].sort());
        const compare = (alarm: Record<string, unknown>, spec: (typeof qdrant)[number], label: string) => {
            expect(alarm.statistic ?? undefined, label).to.equal(spec.statistic);
            expect(alarm.extended ?? undefined, label).to.equal(spec.extendedStatistic);
            expect(alarm.periods, label).to.equal(spec.evaluationPeriods);
            expect(alarm.operator, label).to.equal(spec.comparisonOperator);
            // Literals must match; references (config variables, the shared metric local) are checked where they are defined.
            for (const [field, value] of [["namespace", spec.namespace], ["metric", spec.metricName], ["period", spec.period], ["threshold", spec.threshold]] as const) {
                if (typeof alarm[field] !== "string" || !String(alarm[field]).startsWith("${")) {
                    expect(alarm[field], `${label}.${field}`).to.equal(value);
                }
            }
        };
        for (const [suffix, spec] of all) {
            compare(terraform[suffix], spec, suffix);
        }
        const nodeTemplates = monitoring?.locals.get("qdrant_node_alarms") as Record<string, Record<string, unknown>>;
        const nodeSpecs = qdrant.filter((spec) => perNode.test(spec.suffix));
        expect(Object.keys(nodeTemplates).sort()).to.deep.equal(nodeSpecs.map((spec) => (perNode.exec(spec.suffix) as RegExpExecArray)[1]).sort());
        for (const spec of nodeSpecs) {
            const key = (perNode.exec(spec.suffix) as RegExpExecArray)[1];
            compare({ ...nodeTemplates[key], extended: undefined }, spec, `qdrant-<i>-${key}`);
        }
        const onlyIn = (mine: typeof qdrant, other: typeof qdrant) => mine.map((s) => s.suffix).filter((x) => !other.some((o) => o.suffix === x) && !perNode.test(x));
        expect(monitoring?.locals.get("engine_alarms")).to.deep.equal({ pgvector: onlyIn(pgvector, qdrant), qdrant: onlyIn(qdrant, pgvector) });
    });

    it("per-node Qdrant alarms: one status-check and one disk alarm per node in both forms, with the same names and dimensions", async () => {
        const prod = await shippedStack("prod");
        const names = prod.resources.filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm" && /-qdrant-\d+-/.test(r.name)).map((r) => r.name).sort();
        expect(names).to.deep.equal([0, 1, 2].flatMap((i) => [`memspine-prod-qdrant-${i}-disk-used`, `memspine-prod-qdrant-${i}-status-check`]).sort());
        const monitoring = (await loadTerraform()).modules.get("monitoring");
        const status = monitoring?.resources.get("aws_cloudwatch_metric_alarm.qdrant_status_check");
        const disk = monitoring?.resources.get("aws_cloudwatch_metric_alarm.qdrant_disk_used");
        expect(status?.count).to.equal("${local.qdrant_nodes}");
        expect(status?.alarm_name).to.equal("${local.name}-qdrant-${count.index}-status-check");
        expect(status?.dimensions).to.deep.equal({ InstanceId: "${var.qdrant_instance_ids[count.index]}" });
        expect(disk?.alarm_name).to.equal("${local.name}-qdrant-${count.index}-disk-used");
        expect(disk?.dimensions).to.deep.equal({ Environment: "${var.environment}", Node: "qdrant-${count.index}" });
    });

    it("the key-value layer's per-node alarms are the same in both forms: metric, statistic, periods, threshold, comparison", async () => {
        const specs = kvAlarmSpecs({ replicationGroupId: "memspine-prod-kv", memberClusterIds: ["memspine-prod-kv-001"], replicas: 1 });
        const monitoring = (await loadTerraform()).modules.get("monitoring");
        const terraform = monitoring?.locals.get("kv_alarm_metrics") as Record<string, Record<string, unknown>>;
        expect(Object.keys(terraform).map((metric) => `kv-${metric}-001`).sort()).to.deep.equal(specs.map((s) => s.suffix).sort());
        for (const spec of specs) {
            const alarm = terraform[spec.suffix.replace(/^kv-/, "").replace(/-001$/, "")];
            expect(spec.namespace).to.equal("AWS/ElastiCache");
            expect(spec.dimensions).to.deep.equal({ CacheClusterId: "memspine-prod-kv-001" });
            expect({ metric: alarm.metric, statistic: alarm.statistic, period: alarm.period, periods: alarm.periods, threshold: alarm.threshold, operator: alarm.operator }, spec.suffix)
                .to.deep.equal({ metric: spec.metricName, statistic: spec.statistic, period: spec.period, periods: spec.evaluationPeriods, threshold: spec.threshold, operator: spec.comparisonOperator });
        }
        // Without replicas neither form watches replication lag (the kv_alarms filter and kvAlarmSpecs agree).
        expect(kvAlarmSpecs({ replicationGroupId: "g", memberClusterIds: ["g-001"], replicas: 0 }).map((s) => s.metricName)).to.not.include("ReplicationLag");
        expect(hclText(monitoring?.locals.get("kv_alarms"))).to.contain('if pair[1] != "replication-lag" || var.kv_replicas > 0');
    });

    it("the Vault provider is explicit in the root every environment applies, without a token", async () => {
        const tree = await loadTerraform();
        const vault = tree.root.providers.get("vault");
        expect(vault, 'provider "vault"').to.not.equal(undefined);
        expect(vault && "token" in vault, "vault token").to.equal(false);
    });
});
