import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Environment, MonitoringSettings, VectorStoreEngine } from "./config";
import { customerManagedKey } from "./kms-key";
import { resourceName, resourceTags, Tags } from "./tags";
import { dashboardBody } from "./dashboard";
import { BUDGET_METRIC, BUDGET_NOTIFICATIONS, budgetLimitUsd, budgetTagFilters } from "./budget";
import { QDRANT_DISK_METRIC } from "./qdrant-metrics";
import { qdrantNodeLabel } from "./qdrant-topology";
import { KV_ALARMS } from "./kv-metrics";

export interface MonitoringArgs {
    environment: Environment;
    settings: MonitoringSettings;
    vectorStoreEngine: VectorStoreEngine;
    loadBalancerArnSuffix: pulumi.Input<string>;
    targetGroupArnSuffix: pulumi.Input<string>;
    autoScalingGroupName: pulumi.Input<string>;
    /** The API nodes' IAM role: gets aps:RemoteWrite on the Prometheus workspace. */
    nodeRoleName: pulumi.Input<string>;
    /** qdrant: the Qdrant nodes' instance ids in node order, for their status-check and disk alarms. */
    qdrantInstanceIds?: pulumi.Input<string>[];
    /** The key-value layer: its replication group and the node ids ElastiCache publishes metrics under. */
    kv?: KvMonitoringTargets;
    tags: Tags;
}

export interface KvMonitoringTargets {
    replicationGroupId: pulumi.Input<string>;
    memberClusterIds: string[];
    /** Replicas per shard: replication lag is watched only when there are replicas. */
    replicas: number;
}

/** Services that publish to the alarm topic (and so must use its key). */
export const PUBLISHING_SERVICES = ["cloudwatch.amazonaws.com", "budgets.amazonaws.com", "aps.amazonaws.com", "events.amazonaws.com"] as const;

/** One CloudWatch alarm, before the topic and the dimensions' real values are filled in. */
export interface AlarmSpec {
    suffix: string;
    description: string;
    namespace: string;
    metricName: string;
    statistic?: string;
    extendedStatistic?: string;
    period: number;
    evaluationPeriods: number;
    threshold: number;
    comparisonOperator: string;
    dimensions: Record<string, pulumi.Input<string>>;
}

/** The alarms of one environment; thresholds come from the stack config. */
export function alarmSpecs(args: MonitoringArgs): AlarmSpec[] {
    const s = args.settings;
    const lb = { LoadBalancer: args.loadBalancerArnSuffix };
    const lbTg = { ...lb, TargetGroup: args.targetGroupArnSuffix };
    const elb = "AWS/ApplicationELB";
    const specs: AlarmSpec[] = [
        { suffix: "target-5xx", description: "the API nodes answer 5xx", namespace: elb, metricName: "HTTPCode_Target_5XX_Count", statistic: "Sum", period: 300, evaluationPeriods: 2, threshold: s.alarmServerErrorCount, comparisonOperator: "GreaterThanThreshold", dimensions: lbTg },
        { suffix: "elb-5xx", description: "the load balancer answers 5xx (no healthy target, timeouts)", namespace: elb, metricName: "HTTPCode_ELB_5XX_Count", statistic: "Sum", period: 300, evaluationPeriods: 2, threshold: s.alarmServerErrorCount, comparisonOperator: "GreaterThanThreshold", dimensions: lb },
        { suffix: "unhealthy-hosts", description: "targets fail the /health check", namespace: elb, metricName: "UnHealthyHostCount", statistic: "Maximum", period: 60, evaluationPeriods: 3, threshold: 0, comparisonOperator: "GreaterThanThreshold", dimensions: lbTg },
        { suffix: "p95-latency", description: `p95 target response time above ${s.alarmLatencyMs} ms`, namespace: elb, metricName: "TargetResponseTime", extendedStatistic: "p95", period: 300, evaluationPeriods: 3, threshold: s.alarmLatencyMs / 1000, comparisonOperator: "GreaterThanThreshold", dimensions: lbTg },
        { suffix: "cpu-high", description: "node CPU stays high although the group scales out", namespace: "AWS/EC2", metricName: "CPUUtilization", statistic: "Average", period: 300, evaluationPeriods: 3, threshold: s.alarmCpuPercent, comparisonOperator: "GreaterThanThreshold", dimensions: { AutoScalingGroupName: args.autoScalingGroupName } },
    ];
    if (args.vectorStoreEngine === "pgvector") {
        const db = { DBInstanceIdentifier: pgvectorIdentifier(args.environment) };
        specs.push(
            { suffix: "db-cpu", description: "pgvector database CPU high", namespace: "AWS/RDS", metricName: "CPUUtilization", statistic: "Average", period: 300, evaluationPeriods: 3, threshold: s.alarmDbCpuPercent, comparisonOperator: "GreaterThanThreshold", dimensions: db },
            { suffix: "db-free-storage", description: `pgvector database has less than ${s.alarmDbFreeStorageGb} GB free`, namespace: "AWS/RDS", metricName: "FreeStorageSpace", statistic: "Minimum", period: 300, evaluationPeriods: 1, threshold: s.alarmDbFreeStorageGb * 1024 ** 3, comparisonOperator: "LessThanThreshold", dimensions: db },
            { suffix: "db-connections", description: "pgvector database connections high", namespace: "AWS/RDS", metricName: "DatabaseConnections", statistic: "Maximum", period: 300, evaluationPeriods: 2, threshold: s.alarmDbConnections, comparisonOperator: "GreaterThanThreshold", dimensions: db },
        );
    } else {
        // One pair per Qdrant node: in a cluster a lost or full node must page on its own.
        const disk = QDRANT_DISK_METRIC;
        (args.qdrantInstanceIds ?? []).forEach((instanceId, index) => {
            const node = qdrantNodeLabel(index);
            specs.push(
                { suffix: `${node}-status-check`, description: `Qdrant node ${index} fails its EC2 status checks`, namespace: "AWS/EC2", metricName: "StatusCheckFailed", statistic: "Maximum", period: 60, evaluationPeriods: 2, threshold: 0, comparisonOperator: "GreaterThanThreshold", dimensions: { InstanceId: instanceId } },
                { suffix: `${node}-disk-used`, description: `the data volume of Qdrant node ${index} is more than ${disk.alarmPercent}% full: grow qdrantVolumeSizeGb`, namespace: disk.namespace, metricName: disk.metricName, statistic: "Maximum", period: disk.intervalSeconds, evaluationPeriods: 2, threshold: disk.alarmPercent, comparisonOperator: "GreaterThanThreshold", dimensions: { Environment: args.environment, Node: node } },
            );
        });
    }
    if (args.kv !== undefined) {
        specs.push(...kvAlarmSpecs(args.kv));
    }
    return specs;
}

/**
 * One alarm per cache node and metric: ElastiCache publishes per node, and a hot shard or a
 * lagging replica shows on one node only. The node id is the alarm's suffix after `kv-<metric>-`.
 */
export function kvAlarmSpecs(kv: KvMonitoringTargets): AlarmSpec[] {
    const ns = "AWS/ElastiCache";
    return kv.memberClusterIds.flatMap((node) => {
        const dimensions = { CacheClusterId: node };
        const short = node.replace(/^.*?-kv-/, "");
        const specs: AlarmSpec[] = [
            { suffix: `kv-engine-cpu-${short}`, description: `cache node ${node}: Valkey engine CPU above ${KV_ALARMS.engineCpuPercent}% (add shards or a larger kvNodeType)`, namespace: ns, metricName: "EngineCPUUtilization", statistic: "Average", period: 300, evaluationPeriods: 3, threshold: KV_ALARMS.engineCpuPercent, comparisonOperator: "GreaterThanThreshold", dimensions },
            { suffix: `kv-memory-${short}`, description: `cache node ${node}: more than ${KV_ALARMS.memoryPercent}% of maxmemory used (the working set outgrows kvNodeType)`, namespace: ns, metricName: "DatabaseMemoryUsagePercentage", statistic: "Maximum", period: 300, evaluationPeriods: 3, threshold: KV_ALARMS.memoryPercent, comparisonOperator: "GreaterThanThreshold", dimensions },
            { suffix: `kv-evictions-${short}`, description: `cache node ${node}: more than ${KV_ALARMS.evictionsPer5Min} keys evicted per 5 minutes`, namespace: ns, metricName: "Evictions", statistic: "Sum", period: 300, evaluationPeriods: 2, threshold: KV_ALARMS.evictionsPer5Min, comparisonOperator: "GreaterThanThreshold", dimensions },
        ];
        if (kv.replicas > 0) {
            // Only the replica of the moment reports lag; the primary's missing data is not breaching.
            specs.push({ suffix: `kv-replication-lag-${short}`, description: `cache node ${node}: replica more than ${KV_ALARMS.replicationLagSeconds} s behind its primary`, namespace: ns, metricName: "ReplicationLag", statistic: "Maximum", period: 60, evaluationPeriods: 5, threshold: KV_ALARMS.replicationLagSeconds, comparisonOperator: "GreaterThanThreshold", dimensions });
        }
        return specs;
    });
}

/** The pgvector RDS instance identifier (components/vector-store.ts names it so). */
export function pgvectorIdentifier(environment: Environment): string {
    return resourceName(environment, "pgvector");
}

/** Prometheus recording and alerting rules for Memory Spine (AMP rule group namespace, YAML). */
export function prometheusRules(environment: Environment, settings: MonitoringSettings): string {
    return `groups:
  - name: memory-spine-recording
    rules:
      - record: memory_spine:http_requests:rate5m
        expr: sum by (instance) (rate(http_requests_total{job="memory-spine"}[5m]))
      - record: memory_spine:http_errors:ratio5m
        expr: sum(rate(http_requests_total{job="memory-spine",status=~"5.."}[5m])) / clamp_min(sum(rate(http_requests_total{job="memory-spine"}[5m])), 1)
      - record: memory_spine:http_latency_seconds:p95
        expr: histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="memory-spine"}[5m])))
  - name: memory-spine-alerts
    rules:
      - alert: MemorySpineDown
        expr: up{job="memory-spine"} == 0
        for: 5m
        labels:
          severity: ${environment === "prod" ? "page" : "notify"}
          environment: ${environment}
        annotations:
          summary: "Memory Spine node {{ $labels.instance }} is not scraped"
      - alert: MemorySpineHighErrorRatio
        expr: memory_spine:http_errors:ratio5m > 0.05
        for: 10m
        labels:
          severity: ${environment === "prod" ? "page" : "notify"}
          environment: ${environment}
        annotations:
          summary: "More than 5% of Memory Spine requests fail"
      - alert: MemorySpineHighLatency
        expr: memory_spine:http_latency_seconds:p95 > ${settings.alarmLatencyMs / 1000}
        for: 15m
        labels:
          severity: ${environment === "prod" ? "page" : "notify"}
          environment: ${environment}
        annotations:
          summary: "Memory Spine p95 latency above ${settings.alarmLatencyMs} ms"
`;
}

/** Alert manager definition: every alert goes to the environment's SNS topic. */
export function alertManagerDefinition(topicArn: string, region: string): string {
    return `alertmanager_config: |
  route:
    receiver: sns
    group_by: [alertname, environment]
    group_wait: 30s
    group_interval: 5m
    repeat_interval: 4h
  receivers:
    - name: sns
      sns_configs:
        - topic_arn: ${topicArn}
          sigv4:
            region: ${region}
          attributes:
            source: memory-spine-prometheus
`;
}

/**
 * Alerting, metrics and spend alerts of one environment: an SNS topic on a customer managed key,
 * CloudWatch alarms and dashboard, a Managed Prometheus workspace with rules and alert manager,
 * Managed Grafana in prod when enabled, and the monthly AWS Budget.
 */
export class Monitoring extends pulumi.ComponentResource {
    readonly topicArn: pulumi.Output<string>;
    readonly alarmNames: pulumi.Output<string>[];
    readonly dashboardName: pulumi.Output<string>;
    readonly prometheusWorkspaceId: pulumi.Output<string>;
    readonly prometheusRemoteWriteUrl: pulumi.Output<string>;
    readonly grafanaEndpoint?: pulumi.Output<string>;
    readonly budgetName: pulumi.Output<string>;

    constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("memory-spine:monitoring:Monitoring", name, {}, opts);
        const env = args.environment;
        const base = resourceName(env);
        const parent = { parent: this };
        const tags = (n: string) => resourceTags(args.tags, n);
        const account = aws.getCallerIdentityOutput({}, parent).accountId;
        const partition = aws.getPartitionOutput({}, parent).partition;
        const region = aws.getRegionOutput({}, parent).region;

        const key = customerManagedKey({ key: `${base}-alerts-key`, alias: `${base}-alerts-alias` }, {
            description: `Memory Spine ${env} alarm topic`,
            alias: `alias/${base}-alerts`,
            grants: [{
                Sid: "AlertingServicesPublish",
                Effect: "Allow",
                Principal: { Service: [...PUBLISHING_SERVICES] },
                Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                Resource: "*",
                Condition: { StringEquals: { "aws:SourceAccount": account } },
            }],
            tags: tags(`${base}-alerts`),
        }, parent);

        const topic = new aws.sns.Topic(`${base}-alerts`, {
            name: `${base}-alerts`,
            kmsMasterKeyId: key.arn,
            tags: tags(`${base}-alerts`),
        }, parent);
        new aws.sns.TopicPolicy(`${base}-alerts-policy`, {
            arn: topic.arn,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [{
                    Sid: "AlertingServicesPublish",
                    Effect: "Allow",
                    Principal: { Service: [...PUBLISHING_SERVICES] },
                    Action: "sns:Publish",
                    Resource: topic.arn,
                    Condition: { StringEquals: { "aws:SourceAccount": account } },
                }],
            }),
        }, parent);
        args.settings.alertEmails.forEach((email, i) => {
            new aws.sns.TopicSubscription(`${base}-alerts-email-${i}`, { topic: topic.arn, protocol: "email", endpoint: email }, parent);
        });
        if (args.settings.pagerEndpoint) {
            new aws.sns.TopicSubscription(`${base}-alerts-pager`, {
                topic: topic.arn,
                protocol: "https",
                endpoint: args.settings.pagerEndpoint,
                endpointAutoConfirms: true,
            }, parent);
        }

        this.alarmNames = alarmSpecs(args).map((spec) => {
            const alarmName = `${base}-${spec.suffix}`;
            return new aws.cloudwatch.MetricAlarm(alarmName, {
                name: alarmName,
                alarmDescription: `Memory Spine ${env}: ${spec.description}.`,
                namespace: spec.namespace,
                metricName: spec.metricName,
                statistic: spec.statistic,
                extendedStatistic: spec.extendedStatistic,
                period: spec.period,
                evaluationPeriods: spec.evaluationPeriods,
                threshold: spec.threshold,
                comparisonOperator: spec.comparisonOperator,
                treatMissingData: "notBreaching",
                dimensions: spec.dimensions,
                alarmActions: [topic.arn],
                okActions: [topic.arn],
                tags: tags(alarmName),
            }, parent).name;
        });

        const dashboard = new aws.cloudwatch.Dashboard(`${base}-dashboard`, {
            dashboardName: base,
            dashboardBody: pulumi
                .all([region, args.loadBalancerArnSuffix, args.targetGroupArnSuffix, args.autoScalingGroupName, pulumi.all(args.qdrantInstanceIds ?? []), args.kv?.replicationGroupId])
                .apply(([r, lb, tg, asg, qdrant, kvGroup]) => dashboardBody({
                    environment: env,
                    region: r,
                    loadBalancerArnSuffix: lb,
                    targetGroupArnSuffix: tg,
                    autoScalingGroupName: asg,
                    database: args.vectorStoreEngine === "pgvector"
                        ? { engine: "pgvector", identifier: pgvectorIdentifier(env) }
                        : qdrant.length > 0 ? { engine: "qdrant", instanceIds: qdrant } : undefined,
                    kvReplicationGroupId: kvGroup,
                })),
        }, parent);
        this.dashboardName = dashboard.dashboardName;

        const workspace = new aws.amp.Workspace(`${base}-prometheus`, {
            alias: base,
            tags: tags(`${base}-prometheus`),
        }, parent);
        new aws.amp.RuleGroupNamespace(`${base}-rules`, {
            name: `${base}-rules`,
            workspaceId: workspace.id,
            data: prometheusRules(env, args.settings),
            tags: tags(`${base}-rules`),
        }, parent);
        new aws.amp.AlertManagerDefinition(`${base}-alertmanager`, {
            workspaceId: workspace.id,
            definition: pulumi.all([topic.arn, region]).apply(([arn, r]) => alertManagerDefinition(arn, r)),
        }, parent);
        new aws.iam.RolePolicy(`${base}-node-prometheus-write`, {
            role: args.nodeRoleName,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    { Effect: "Allow", Action: "aps:RemoteWrite", Resource: workspace.arn },
                    // The boot script finds the workspace by its alias.
                    { Effect: "Allow", Action: "aps:ListWorkspaces", Resource: "*" },
                ],
            }),
        }, parent);
        this.prometheusWorkspaceId = workspace.id;
        this.prometheusRemoteWriteUrl = pulumi.interpolate`${workspace.prometheusEndpoint}api/v1/remote_write`;

        if (args.settings.enableGrafana && env === "prod") {
            const role = new aws.iam.Role(`${base}-grafana-role`, {
                assumeRolePolicy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [{
                        Effect: "Allow",
                        Principal: { Service: "grafana.amazonaws.com" },
                        Action: "sts:AssumeRole",
                        Condition: { StringEquals: { "aws:SourceAccount": account } },
                    }],
                }),
                tags: tags(`${base}-grafana`),
            }, parent);
            for (const [short, policy] of [["prometheus", "AmazonPrometheusQueryAccess"], ["cloudwatch", "CloudWatchReadOnlyAccess"]] as const) {
                new aws.iam.RolePolicyAttachment(`${base}-grafana-${short}`, {
                    role: role.name,
                    policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}`,
                }, parent);
            }
            const grafana = new aws.grafana.Workspace(`${base}-grafana`, {
                name: base,
                accountAccessType: "CURRENT_ACCOUNT",
                authenticationProviders: ["AWS_SSO"],
                permissionType: "SERVICE_MANAGED",
                roleArn: role.arn,
                dataSources: ["PROMETHEUS", "CLOUDWATCH"],
                notificationDestinations: ["SNS"],
                tags: tags(`${base}-grafana`),
            }, parent);
            this.grafanaEndpoint = grafana.endpoint;
        }

        const budget = new aws.budgets.Budget(`${base}-budget`, {
            name: `${base}-monthly`,
            budgetType: "COST",
            timeUnit: "MONTHLY",
            limitAmount: String(budgetLimitUsd(env, args.settings.monthlyBudgetUsd)),
            limitUnit: "USD",
            filterExpression: { ands: budgetTagFilters(env).map((tag) => ({ tags: tag })) },
            metrics: BUDGET_METRIC,
            notifications: BUDGET_NOTIFICATIONS.map((n) => ({
                comparisonOperator: "GREATER_THAN",
                threshold: n.threshold,
                thresholdType: "PERCENTAGE",
                notificationType: n.notificationType,
                subscriberSnsTopicArns: [topic.arn],
                subscriberEmailAddresses: args.settings.budgetEmails.length > 0 ? args.settings.budgetEmails : undefined,
            })),
            tags: tags(`${base}-budget`),
        }, { parent: this, dependsOn: [topic] });
        this.budgetName = budget.name;

        this.topicArn = topic.arn;
        this.registerOutputs({
            topicArn: this.topicArn,
            dashboardName: this.dashboardName,
            prometheusWorkspaceId: this.prometheusWorkspaceId,
            budgetName: this.budgetName,
        });
    }
}
