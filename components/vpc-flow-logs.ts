import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { Environment } from "./config";
import type { Tags } from "./tags";

/**
 * Days the VPC's flow logs are kept, per environment (values CloudWatch Logs accepts): long
 * enough in prod for an incident review or an audit, short where the traffic is test traffic.
 */
export const FLOW_LOG_RETENTION_DAYS: Record<Environment, number> = { dev: 14, staging: 30, prod: 365 };

export interface VpcFlowLogsArgs {
    environment: Environment;
    /** `memspine-<env>`: prefix of every name. */
    baseName: string;
    vpcId: pulumi.Input<string>;
    tagsFor: (name: string) => Tags;
}

/**
 * Flow logs of every accepted and rejected connection in a VPC the stack creates, delivered to a
 * CloudWatch Logs group (AWS Foundational Security Best Practices EC2.6). The delivery role
 * trusts the flow-logs service for this account's flow logs only and may write to this group only.
 */
export function createVpcFlowLogs(args: VpcFlowLogsArgs, parent: pulumi.Resource): { logGroup: aws.cloudwatch.LogGroup; flowLog: aws.ec2.FlowLog } {
    const { baseName, environment } = args;
    const opts = { parent };
    const account = aws.getCallerIdentityOutput({}, opts).accountId;
    const partition = aws.getPartitionOutput({}, opts).partition;
    const region = aws.getRegionOutput({}, opts).region;

    const logGroup = new aws.cloudwatch.LogGroup(`${baseName}-vpc-flow-logs`, {
        name: `/memory-spine/${environment}/vpc-flow-logs`,
        retentionInDays: FLOW_LOG_RETENTION_DAYS[environment],
        tags: args.tagsFor(`${baseName}-vpc-flow-logs`),
    }, opts);

    const role = new aws.iam.Role(`${baseName}-vpc-flow-logs`, {
        description: `Delivers the Memory Spine ${environment} VPC flow logs to CloudWatch Logs`,
        assumeRolePolicy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [{
                Effect: "Allow",
                Principal: { Service: "vpc-flow-logs.amazonaws.com" },
                Action: "sts:AssumeRole",
                // Confused-deputy guard: only this account's flow logs may use the role.
                Condition: {
                    StringEquals: { "aws:SourceAccount": account },
                    ArnLike: { "aws:SourceArn": pulumi.interpolate`arn:${partition}:ec2:${region}:${account}:vpc-flow-log/*` },
                },
            }],
        }),
        tags: args.tagsFor(`${baseName}-vpc-flow-logs`),
    }, opts);

    new aws.iam.RolePolicy(`${baseName}-vpc-flow-logs`, {
        role: role.id,
        policy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "WriteThisGroup",
                    Effect: "Allow",
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                    Resource: [logGroup.arn, pulumi.interpolate`${logGroup.arn}:*`],
                },
                // DescribeLogGroups has no resource-level permissions.
                { Sid: "FindGroups", Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: "*" },
            ],
        }),
    }, opts);

    const flowLog = new aws.ec2.FlowLog(`${baseName}-vpc-flow-log`, {
        vpcId: args.vpcId,
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        logDestination: logGroup.arn,
        iamRoleArn: role.arn,
        tags: args.tagsFor(`${baseName}-vpc-flow-log`),
    }, opts);

    return { logGroup, flowLog };
}
