/**
 * Pulumi type tokens of the AWS resources the policies inspect. The pack matches tokens instead of
 * importing @pulumi/aws classes: loading the AWS SDK would add seconds to every policy run.
 */
import { Props, rawProps } from "./props";
import { watchUnknowns } from "./unknowns";

export const AWS = {
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    launchConfiguration: "aws:ec2/launchConfiguration:LaunchConfiguration",
    ec2Instance: "aws:ec2/instance:Instance",
    spotInstanceRequest: "aws:ec2/spotInstanceRequest:SpotInstanceRequest",
    rdsInstance: "aws:rds/instance:Instance",
    rdsCluster: "aws:rds/cluster:Cluster",
    rdsClusterInstance: "aws:rds/clusterInstance:ClusterInstance",
    eksNodeGroup: "aws:eks/nodeGroup:NodeGroup",
    autoscalingGroup: "aws:autoscaling/group:Group",
    autoscalingSchedule: "aws:autoscaling/schedule:Schedule",
    ebsVolume: "aws:ebs/volume:Volume",
    natGateway: "aws:ec2/natGateway:NatGateway",
    vpc: "aws:ec2/vpc:Vpc",
    flowLog: "aws:ec2/flowLog:FlowLog",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    securityGroupIngressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    acmCertificate: "aws:acm/certificate:Certificate",
    backupPlan: "aws:backup/plan:Plan",
    backupSelection: "aws:backup/selection:Selection",
    elasticacheReplicationGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
    elasticacheServerlessCache: "aws:elasticache/serverlessCache:ServerlessCache",
} as const;

/**
 * Types that describe EC2 instances with the aws.ec2.Instance schema for metadataOptions,
 * rootBlockDevice, ebsBlockDevices and a boolean associatePublicIpAddress.
 */
export const INSTANCE_SHAPED_TYPES: readonly string[] = [AWS.ec2Instance, AWS.spotInstanceRequest, AWS.launchConfiguration];

/** RDS resources that own storage and backups: DB instances and Aurora / Multi-AZ DB clusters. */
export const RDS_STORAGE_TYPES: readonly string[] = [AWS.rdsInstance, AWS.rdsCluster];

/** RDS resources that can be given a public address: DB instances and cluster instances. */
export const RDS_ENDPOINT_TYPES: readonly string[] = [AWS.rdsInstance, AWS.rdsClusterInstance];

/** `aws.lb.*` and its alias module `aws.alb.*` register different tokens for the same resource. */
export const LOAD_BALANCER_TYPES: readonly string[] = [
    "aws:lb/loadBalancer:LoadBalancer",
    "aws:alb/loadBalancer:LoadBalancer",
];
export const LISTENER_TYPES: readonly string[] = ["aws:lb/listener:Listener", "aws:alb/listener:Listener"];

export function isLoadBalancer(type: string): boolean {
    return LOAD_BALANCER_TYPES.includes(type);
}

export function isListener(type: string): boolean {
    return LISTENER_TYPES.includes(type);
}

export function isAwsType(type: string): boolean {
    return type.startsWith("aws:");
}

/** The parts of a resource every policy needs, for per-resource and stack validation alike. */
export interface ResourceView {
    type: string;
    name: string;
    urn: string;
    props: Props;
}

/**
 * Builds a view with raw props (not @pulumi/policy's proxy, which throws on the first unknown
 * value) from ResourceValidationArgs or a PolicyResource; inside a validation, reads of unknown
 * values are recorded (unknowns.ts), named `label.path`.
 */
export function view(resource: { type: string; name: string; urn: string; props: Record<string, unknown> }, label = ""): ResourceView {
    return { type: resource.type, name: resource.name, urn: resource.urn, props: watchUnknowns(rawProps(resource.props), label) };
}

/** `aws:ec2/instance:Instance "api-node"`: how violation messages name a resource. */
export function describe(resource: { type: string; name: string }): string {
    return `${resource.type} "${resource.name}"`;
}
