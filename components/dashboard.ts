/** The CloudWatch dashboard body of one environment: requests, errors, latency, hosts, CPU, store. */
import { QDRANT_DISK_METRIC } from "./qdrant-metrics";
import { qdrantNodeLabel } from "./qdrant-topology";

export interface DashboardTargets {
    environment: string;
    region: string;
    loadBalancerArnSuffix: string;
    targetGroupArnSuffix: string;
    autoScalingGroupName: string;
    /** pgvector: the RDS instance identifier; qdrant: the Qdrant EC2 instance ids in node order. */
    database?: { engine: "pgvector"; identifier: string } | { engine: "qdrant"; instanceIds: string[] };
    /** The key-value layer's replication group id: its nodes' ids all start with it. */
    kvReplicationGroupId?: string;
}

type Metric = (string | Record<string, unknown>)[];

function widget(title: string, metrics: Metric[], region: string, x: number, y: number, extra: Record<string, unknown> = {}) {
    return {
        type: "metric",
        x,
        y,
        width: 12,
        height: 6,
        properties: { title, region, view: "timeSeries", stacked: false, period: 60, metrics, ...extra },
    };
}

export function dashboardBody(t: DashboardTargets): string {
    const lb = ["LoadBalancer", t.loadBalancerArnSuffix];
    const tg = ["TargetGroup", t.targetGroupArnSuffix];
    const elb = "AWS/ApplicationELB";
    const widgets = [
        widget("Requests", [[elb, "RequestCount", ...lb, { stat: "Sum" }]], t.region, 0, 0),
        widget("Errors (5xx)", [
            [elb, "HTTPCode_Target_5XX_Count", ...tg, ...lb, { stat: "Sum" }],
            [elb, "HTTPCode_ELB_5XX_Count", ...lb, { stat: "Sum" }],
        ], t.region, 12, 0),
        widget("Target response time", [
            [elb, "TargetResponseTime", ...tg, ...lb, { stat: "p50" }],
            [elb, "TargetResponseTime", ...tg, ...lb, { stat: "p95" }],
        ], t.region, 0, 6),
        widget("Healthy / unhealthy hosts", [
            [elb, "HealthyHostCount", ...tg, ...lb, { stat: "Minimum" }],
            [elb, "UnHealthyHostCount", ...tg, ...lb, { stat: "Maximum" }],
        ], t.region, 12, 6),
        widget("API node CPU", [["AWS/EC2", "CPUUtilization", "AutoScalingGroupName", t.autoScalingGroupName, { stat: "Average" }]], t.region, 0, 12),
    ];
    if (t.database?.engine === "pgvector") {
        const db = ["DBInstanceIdentifier", t.database.identifier];
        widgets.push(widget("Vector store (RDS pgvector)", [
            ["AWS/RDS", "CPUUtilization", ...db, { stat: "Average" }],
            ["AWS/RDS", "DatabaseConnections", ...db, { stat: "Maximum" }],
            ["AWS/RDS", "FreeStorageSpace", ...db, { stat: "Minimum", yAxis: "right" }],
        ], t.region, 12, 12));
    } else if (t.database?.engine === "qdrant") {
        const metrics: Metric[] = t.database.instanceIds.flatMap((instanceId, index): Metric[] => {
            const node = qdrantNodeLabel(index);
            return [
                ["AWS/EC2", "CPUUtilization", "InstanceId", instanceId, { stat: "Average", label: `${node} CPU %` }],
                [QDRANT_DISK_METRIC.namespace, QDRANT_DISK_METRIC.metricName, "Environment", t.environment, "Node", node, { stat: "Maximum", label: `${node} data volume used %` }],
                ["AWS/EC2", "StatusCheckFailed", "InstanceId", instanceId, { stat: "Maximum", yAxis: "right", label: `${node} status check failed` }],
            ];
        });
        widgets.push(widget(t.database.instanceIds.length > 1 ? "Vector store (Qdrant cluster)" : "Vector store (Qdrant node)", metrics, t.region, 12, 12));
    }
    if (t.kvReplicationGroupId) {
        widgets.push(kvWidget(t.kvReplicationGroupId, t.region, 0, 18));
    }
    return JSON.stringify({ widgets });
}

/**
 * The key-value layer's nodes, found by a search on the group id's words (every node id starts
 * with it: memspine-<env>-kv-...) so that the widget follows added replicas and shards.
 */
function kvWidget(groupId: string, region: string, x: number, y: number) {
    const search = (metric: string, stat: string, id: string, label: string, extra: Record<string, unknown> = {}) =>
        [{ expression: `SEARCH('{AWS/ElastiCache,CacheClusterId} MetricName="${metric}" CacheClusterId=${groupId}', '${stat}', 300)`, id, label, ...extra }];
    return {
        ...widget("Key-value layer (ElastiCache Valkey, per node)", [
            search("EngineCPUUtilization", "Average", "cpu", "engine CPU %"),
            search("DatabaseMemoryUsagePercentage", "Maximum", "mem", "memory used %"),
            search("Evictions", "Sum", "evict", "evictions", { yAxis: "right" }),
            search("ReplicationLag", "Maximum", "lag", "replication lag (s)", { yAxis: "right" }),
        ], region, x, y),
        width: 24,
    };
}
