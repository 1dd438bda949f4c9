import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { onlyResource, outputOf, resourcesOfType, runWith, shippedStack, ShippedStack, SHIPPED_STACKS } from "./support/stacks";
import type { ProgramRun } from "../tools/lib/mock-runtime";
import { prometheusRules, alertManagerDefinition, PUBLISHING_SERVICES } from "../components/monitoring";
import { CONFIG_DEFAULTS, MonitoringSettings } from "../components/config";
import { QDRANT_DISK_METRIC } from "../components/qdrant-metrics";
import { KV_ALARMS } from "../components/kv-metrics";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const TOPIC = "aws:sns/topic:Topic";

/** Key-value layer alarms per cache node (001 = primary at creation); replication lag only with replicas. */
function kvAlarms(nodes: string[], replicas: boolean): Record<string, number> {
    return Object.fromEntries(nodes.flatMap((node) => [
        [`kv-engine-cpu-${node}`, KV_ALARMS.engineCpuPercent],
        [`kv-memory-${node}`, KV_ALARMS.memoryPercent],
        [`kv-evictions-${node}`, KV_ALARMS.evictionsPer5Min],
        ...(replicas ? [[`kv-replication-lag-${node}`, KV_ALARMS.replicationLagSeconds]] : []),
    ]));
}

/** Alarm thresholds each shipped stack configures (Pulumi.<env>.yaml over the defaults). */
const EXPECTED: Record<ShippedStack, Record<string, number>> = {
    dev: { "target-5xx": 50, "elb-5xx": 50, "unhealthy-hosts": 0, "p95-latency": 2, "cpu-high": 90, "db-cpu": 80, "db-free-storage": 10 * 1024 ** 3, "db-connections": 50, ...kvAlarms(["001"], false) },
    staging: { "target-5xx": 20, "elb-5xx": 20, "unhealthy-hosts": 0, "p95-latency": 1.5, "cpu-high": 85, "qdrant-0-status-check": 0, "qdrant-0-disk-used": 80, ...kvAlarms(["001", "002"], true) },
    // Three Qdrant nodes: every node has its own status-check and data-volume alarm.
    prod: {
        "target-5xx": 5, "elb-5xx": 5, "unhealthy-hosts": 0, "p95-latency": 0.5, "cpu-high": 75,
        "qdrant-0-status-check": 0, "qdrant-0-disk-used": 80, "qdrant-1-status-check": 0, "qdrant-1-disk-used": 80, "qdrant-2-status-check": 0, "qdrant-2-disk-used": 80,
        ...kvAlarms(["001", "002", "003"], true),
    },
};

function topicArn(run: ProgramRun): string {
    return outputOf(onlyResource(run, TOPIC), "arn") as string;
}

for (const stack of SHIPPED_STACKS) {
    describe(`Monitoring (${stack} stack)`, function () {
        let run: ProgramRun;
        before(async function () {
            run = await shippedStack(stack);
        });

        it("registers the component with the token the parity map expects", function () {
            expect(run.resources.some((r) => r.type === "memory-spine:monitoring:Monitoring")).to.equal(true);
        });

        it("encrypts the alarm topic with a customer managed key the alerting services may use", function () {
            const topic = onlyResource(run, TOPIC);
            const key = onlyResource(run, "aws:kms/key:Key", "-alerts-key");
            expect(topic.props.name).to.equal(`memspine-${stack}-alerts`);
            expect(topic.props.kmsMasterKeyId).to.equal(outputOf(key, "arn"));
            expect(key.props.enableKeyRotation).to.equal(true);
            const statements = JSON.parse(key.props.policy).Statement as { Principal: { Service?: string[] }; Action: string[] }[];
            const services = statements.flatMap((s) => s.Principal.Service ?? []);
            expect(services).to.have.members([...PUBLISHING_SERVICES]);
            const topicPolicy = JSON.parse(onlyResource(run, "aws:sns/topicPolicy:TopicPolicy").props.policy);
            expect(topicPolicy.Statement[0].Principal.Service).to.have.members([...PUBLISHING_SERVICES]);
            expect(topicPolicy.Statement[0].Action).to.equal("sns:Publish");
            expect(topicPolicy.Statement[0].Resource).to.equal(topicArn(run));
        });

        it("creates the alarms with the configured thresholds, alarm and ok actions to the topic, and tags", function () {
            const alarms = resourcesOfType(run, ALARM);
            const byName = new Map(alarms.map((a) => [a.props.name as string, a]));
            expect([...byName.keys()].sort()).to.deep.equal(Object.keys(EXPECTED[stack]).map((s) => `memspine-${stack}-${s}`).sort());
            for (const [suffix, threshold] of Object.entries(EXPECTED[stack])) {
                const alarm = byName.get(`memspine-${stack}-${suffix}`);
                expect(alarm?.props.threshold, suffix).to.equal(threshold);
                expect(alarm?.props.alarmActions, suffix).to.deep.equal([topicArn(run)]);
                expect(alarm?.props.okActions, suffix).to.deep.equal([topicArn(run)]);
                expect(alarm?.props.tags, suffix).to.include({ Environment: stack, Team: "platform-engineering", Service: "memory-spine" });
            }
            const latency = byName.get(`memspine-${stack}-p95-latency`);
            expect(latency?.props.extendedStatistic).to.equal("p95");
            expect(latency?.props.statistic).to.equal(undefined);
        });

        it("points the alarms at the real balancer, target group and Auto Scaling group", function () {
            const lb = outputOf(onlyResource(run, "aws:lb/loadBalancer:LoadBalancer", "-alb"), "arnSuffix");
            const tg = outputOf(onlyResource(run, "aws:lb/targetGroup:TargetGroup", "-tg"), "arnSuffix");
            const asg = outputOf(onlyResource(run, "aws:autoscaling/group:Group"), "name");
            const alarm = (s: string) => resourcesOfType(run, ALARM).find((a) => a.props.name === `memspine-${stack}-${s}`);
            expect(alarm("target-5xx")?.props.dimensions).to.deep.equal({ LoadBalancer: lb, TargetGroup: tg });
            expect(alarm("elb-5xx")?.props.dimensions).to.deep.equal({ LoadBalancer: lb });
            expect(alarm("cpu-high")?.props.dimensions).to.deep.equal({ AutoScalingGroupName: asg });
        });

        it("builds a dashboard whose body is valid JSON naming the real balancer, target group and group", function () {
            const dashboard = onlyResource(run, "aws:cloudwatch/dashboard:Dashboard");
            expect(dashboard.props.dashboardName).to.equal(`memspine-${stack}`);
            const body = JSON.parse(dashboard.props.dashboardBody) as { widgets: { properties: { metrics: unknown[][]; region: string } }[] };
            const metrics = JSON.stringify(body.widgets.map((w) => w.properties.metrics));
            for (const [resourceType, attribute, suffix] of [["aws:lb/loadBalancer:LoadBalancer", "arnSuffix", "-alb"], ["aws:lb/targetGroup:TargetGroup", "arnSuffix", "-tg"], ["aws:autoscaling/group:Group", "name", ""]]) {
                const value = outputOf(onlyResource(run, resourceType, suffix), attribute) as string;
                expect(value, `${resourceType}.${attribute}`).to.be.a("string").and.not.equal("");
                expect(metrics).to.contain(JSON.stringify(value));
            }
            for (const metric of ["RequestCount", "HTTPCode_Target_5XX_Count", "TargetResponseTime", "HealthyHostCount", "CPUUtilization"]) {
                expect(metrics).to.contain(metric);
            }
            expect(body.widgets.every((w) => w.properties.region === "us-east-1")).to.equal(true);
            if (stack === "dev") {
                expect(metrics).to.contain("memspine-dev-pgvector");
            } else {
                const nodes = resourcesOfType(run, "aws:ec2/instance:Instance").filter((i) => i.name.includes("-qdrant-node-"));
                expect(nodes).to.have.lengthOf(stack === "prod" ? 3 : 1);
                nodes.forEach((node, index) => {
                    const label = `qdrant-${node.name.split("-").pop()}`;
                    expect(metrics).to.contain(JSON.stringify(["AWS/EC2", "StatusCheckFailed", "InstanceId", outputOf(node, "id"), { stat: "Maximum", yAxis: "right", label: `${label} status check failed` }]));
                    expect(metrics, `node ${index}`).to.contain(JSON.stringify([QDRANT_DISK_METRIC.namespace, QDRANT_DISK_METRIC.metricName, "Environment", stack, "Node", label]).slice(0, -1));
                });
            }
        });

        it("creates a Prometheus workspace with recording and alerting rules and an alert manager routed to the topic", function () {
            const workspace = onlyResource(run, "aws:amp/workspace:Workspace");
            expect(workspace.props.tags).to.include({ Environment: stack });
            const rules = onlyResource(run, "aws:amp/ruleGroupNamespace:RuleGroupNamespace");
            expect(rules.props.workspaceId).to.equal(workspace.id);
            const groups = (parse(rules.props.data) as { groups: { rules: { record?: string; alert?: string; labels?: Record<string, string> }[] }[] }).groups;
            const all = groups.flatMap((g) => g.rules);
            expect(all.some((r) => r.record)).to.equal(true);
            expect(all.some((r) => r.alert)).to.equal(true);
            expect(all.filter((r) => r.alert).every((r) => r.labels?.severity === (stack === "prod" ? "page" : "notify"))).to.equal(true);
            const manager = onlyResource(run, "aws:amp/alertManagerDefinition:AlertManagerDefinition");
            const inner = parse((parse(manager.props.definition) as { alertmanager_config: string }).alertmanager_config);
            expect(inner.receivers[0].sns_configs[0].topic_arn).to.equal(topicArn(run));
            expect(inner.route.receiver).to.equal("sns");
        });

        it("lets the API nodes' role remote-write to the Prometheus workspace only", function () {
            const workspace = onlyResource(run, "aws:amp/workspace:Workspace");
            const policy = onlyResource(run, "aws:iam/rolePolicy:RolePolicy", "-node-prometheus-write");
            expect(policy.props.role).to.equal(outputOf(onlyResource(run, "aws:iam/role:Role", "-node-role"), "name"));
            expect(JSON.parse(policy.props.policy).Statement).to.deep.equal([
                { Effect: "Allow", Action: "aps:RemoteWrite", Resource: outputOf(workspace, "arn") },
                { Effect: "Allow", Action: "aps:ListWorkspaces", Resource: "*" },
            ]);
        });

        it(stack === "prod" ? "creates the Managed Grafana workspace (enabled in prod)" : "creates no Grafana workspace outside prod", function () {
            expect(resourcesOfType(run, "aws:grafana/workspace:Workspace")).to.have.lengthOf(stack === "prod" ? 1 : 0);
        });

        it("subscribes the configured e-mail addresses", function () {
            const emails = resourcesOfType(run, "aws:sns/topicSubscription:TopicSubscription").filter((s) => s.props.protocol === "email").map((s) => s.props.endpoint);
            const expected = { dev: [], staging: ["platform-engineering@chaozcode.com"], prod: ["platform-oncall@chaozcode.com"] }[stack];
            expect(emails).to.have.members(expected);
        });
    });
}

describe("Monitoring options", function () {
    it("pages through an https pager endpoint and subscribes every e-mail address", async function () {
        const run = await runWith({ stack: "prod", overrides: { pagerEndpoint: "https://events.pagerduty.com/integration/abc/enqueue", alertEmails: ["a@example.com", "b@example.com"] } });
        expect(run.error).to.equal(undefined);
        const subs = resourcesOfType(run, "aws:sns/topicSubscription:TopicSubscription");
        expect(subs.filter((s) => s.props.protocol === "https").map((s) => s.props.endpoint)).to.deep.equal(["https://events.pagerduty.com/integration/abc/enqueue"]);
        expect(subs.filter((s) => s.props.protocol === "email")).to.have.lengthOf(2);
    });

    it("alarms on each Qdrant node's status checks and data volume with the metric the node publishes, which only the nodes may write", async function () {
        const prod = await shippedStack("prod");
        const nodes = resourcesOfType(prod, "aws:ec2/instance:Instance").filter((i) => i.name.includes("-qdrant-node-"));
        expect(nodes).to.have.lengthOf(3);
        for (const node of nodes) {
            const index = Number(node.name.split("-").pop());
            const status = resourcesOfType(prod, ALARM).find((a) => a.props.name === `memspine-prod-qdrant-${index}-status-check`);
            expect(status?.props.dimensions, `node ${index}`).to.deep.equal({ InstanceId: outputOf(node, "id") });
            const disk = resourcesOfType(prod, ALARM).find((a) => a.props.name === `memspine-prod-qdrant-${index}-disk-used`);
            expect(disk?.props.dimensions).to.deep.equal({ Environment: "prod", Node: `qdrant-${index}` });
            expect(node.props.userData).to.contain(`NODE_LABEL='qdrant-${index}'`);
        }
        const run = await shippedStack("staging");
        const alarm = resourcesOfType(run, ALARM).find((a) => a.props.name === "memspine-staging-qdrant-0-disk-used");
        expect(alarm?.props).to.include({
            namespace: QDRANT_DISK_METRIC.namespace,
            metricName: QDRANT_DISK_METRIC.metricName,
            statistic: "Maximum",
            period: QDRANT_DISK_METRIC.intervalSeconds,
            threshold: QDRANT_DISK_METRIC.alarmPercent,
            comparisonOperator: "GreaterThanThreshold",
        });
        expect(alarm?.props.dimensions).to.deep.equal({ Environment: "staging", Node: "qdrant-0" });
        const script = onlyResource(run, "aws:ec2/instance:Instance", "-qdrant-node-0").props.userData as string;
        expect(script).to.contain(`DISK_METRIC_NAMESPACE='${QDRANT_DISK_METRIC.namespace}'`);
        expect(script).to.contain(`DISK_METRIC_NAME='${QDRANT_DISK_METRIC.metricName}'`);
        expect(script).to.contain(`DISK_METRIC_INTERVAL='${QDRANT_DISK_METRIC.intervalSeconds}'`);
        expect(script).to.contain('--dimensions "Environment=${ENVIRONMENT},Node=${NODE_LABEL}"');
        expect(script).to.contain("systemctl enable --now qdrant-data-volume.timer");
        expect(script, "a raised qdrantVolumeSizeGb reaches the file system").to.contain('resize2fs "$(findmnt -no SOURCE "${DATA_DIR}")"');
        const policy = JSON.parse(onlyResource(run, "aws:iam/rolePolicy:RolePolicy", "-qdrant-put-disk-metric").props.policy as string);
        expect(policy.Statement).to.deep.equal([{
            Effect: "Allow",
            Action: "cloudwatch:PutMetricData",
            Resource: "*",
            Condition: { StringEquals: { "cloudwatch:namespace": QDRANT_DISK_METRIC.namespace } },
        }]);
    });

    it("alarms on the pgvector database in prod posture too", async function () {
        const run = await runWith({ stack: "prod", overrides: { vectorStoreEngine: "pgvector", alarmDbFreeStorageGb: 50 } });
        expect(run.error).to.equal(undefined);
        const storage = resourcesOfType(run, ALARM).find((a) => a.props.name === "memspine-prod-db-free-storage");
        expect(storage?.props.threshold).to.equal(50 * 1024 ** 3);
        expect(storage?.props.comparisonOperator).to.equal("LessThanThreshold");
        expect(storage?.props.dimensions).to.deep.equal({ DBInstanceIdentifier: "memspine-prod-pgvector" });
        const db = onlyResource(run, "aws:rds/instance:Instance");
        expect(db.props.identifier).to.equal("memspine-prod-pgvector");
    });

    it("refuses Grafana outside prod and a non-https pager endpoint", async function () {
        const run = await runWith({ stack: "dev", overrides: { enableGrafana: true, pagerEndpoint: "http://pager.example.com" } });
        expect(run.error?.name).to.equal("ConfigError");
        expect(run.error?.message).to.contain("memory-spine:enableGrafana").and.contain("memory-spine:pagerEndpoint");
        expect(run.resources).to.have.lengthOf(0);
    });
});

describe("Monitoring: the Terraform templates render what the Pulumi program writes", function () {
    const dir = path.join(__dirname, "..", "terraform", "modules", "monitoring", "templates");
    const render = (file: string, vars: Record<string, string | number>) =>
        fs.readFileSync(path.join(dir, file), "utf8").replace(/\$\{([a-z_]+)\}/g, (_, name: string) => String(vars[name]));
    const settings = { ...CONFIG_DEFAULTS, alarmLatencyMs: 1500 } as unknown as MonitoringSettings;

    for (const env of ["staging", "prod"] as const) {
        it(`rules.yaml.tftpl (${env})`, function () {
            const rendered = render("rules.yaml.tftpl", { environment: env, severity: env === "prod" ? "page" : "notify", latency_s: 1.5, latency_ms: 1500 });
            expect(rendered).to.equal(prometheusRules(env, settings));
        });
    }

    it("alertmanager.yaml.tftpl", function () {
        const arn = "arn:aws:sns:us-east-1:123456789012:memspine-prod-alerts";
        expect(render("alertmanager.yaml.tftpl", { topic_arn: arn, region: "us-east-1" })).to.equal(alertManagerDefinition(arn, "us-east-1"));
    });
});
