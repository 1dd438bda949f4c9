import * as pulumi from "@pulumi/pulumi";
import { CANONICAL_OWNER_ID } from "../../components/ubuntu-ami";

/** Fake but well-formed AWS identifiers, so that outputs and policies see realistic shapes. */
export const MOCK_ACCOUNT_ID = "123456789012";
export const MOCK_REGION = "us-east-1";
const MOCK_ZONES = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1f"];

function hex(name: string, length: number): string {
    let hash = 2166136261;
    for (const char of name) {
        hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
    }
    return hash.toString(16).padStart(8, "0").repeat(3).slice(0, length);
}

/** Provider-computed attributes that the program reads back from resources. */
function computedState(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const service = type.split(":")[1]?.split("/")[0] ?? "resource";
    const arn = `arn:aws:${service}:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:${name}`;
    const physicalName = (inputs.name as string | undefined) ?? `${(inputs.namePrefix as string | undefined) ?? name}${hex(name, 8)}`;
    const common = { arn, name: physicalName, tagsAll: inputs.tags };
    switch (type) {
        case "aws:ec2/vpc:Vpc":
            return { ...common, id: `vpc-${hex(name, 17)}` };
        case "aws:ec2/subnet:Subnet":
            return { ...common, id: `subnet-${hex(name, 17)}` };
        case "aws:ec2/flowLog:FlowLog":
            return { ...common, id: `fl-${hex(name, 17)}` };
        case "aws:cloudwatch/logGroup:LogGroup":
            return { ...common, arn: `arn:aws:logs:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:log-group:${physicalName}` };
        case "aws:ec2/securityGroup:SecurityGroup":
            return { ...common, id: `sg-${hex(name, 17)}` };
        case "aws:ec2/launchTemplate:LaunchTemplate":
            return { ...common, id: `lt-${hex(name, 17)}`, latestVersion: 1, defaultVersion: 1 };
        case "aws:iam/role:Role":
            return { ...common, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${physicalName}`, uniqueId: `AROA${hex(name, 17).toUpperCase()}` };
        case "aws:iam/instanceProfile:InstanceProfile":
            return { ...common, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:instance-profile/${physicalName}` };
        case "aws:lb/loadBalancer:LoadBalancer":
            return {
                ...common,
                arn: `arn:aws:elasticloadbalancing:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:loadbalancer/app/${physicalName}/${hex(name, 16)}`,
                arnSuffix: `app/${physicalName}/${hex(name, 16)}`,
                dnsName: `${inputs.internal ? "internal-" : ""}${physicalName}-${hex(name, 10)}.${MOCK_REGION}.elb.amazonaws.com`,
                zoneId: "Z35SXDOTRQ7X7K",
            };
        case "aws:lb/targetGroup:TargetGroup":
            return {
                ...common,
                arn: `arn:aws:elasticloadbalancing:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:targetgroup/${physicalName}/${hex(name, 16)}`,
                arnSuffix: `targetgroup/${physicalName}/${hex(name, 16)}`,
            };
        case "aws:acm/certificate:Certificate":
            return {
                ...common,
                arn: `arn:aws:acm:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:certificate/${hex(name, 8)}-0000-4000-8000-${hex(name, 12)}`,
                domainValidationOptions: [{
                    domainName: inputs.domainName,
                    resourceRecordName: `_${hex(name, 16)}.${inputs.domainName}.`,
                    resourceRecordType: "CNAME",
                    resourceRecordValue: `_${hex(name, 16)}.acm-validations.aws.`,
                }],
            };
        case "aws:s3/bucket:Bucket":
            return { ...common, bucket: `${(inputs.bucketPrefix as string | undefined) ?? name}${hex(name, 12)}`, arn: `arn:aws:s3:::${(inputs.bucketPrefix as string | undefined) ?? name}${hex(name, 12)}` };
        case "aws:ec2/instance:Instance":
            return { ...common, id: `i-${hex(name, 17)}`, privateIp: "10.0.1.10", privateDns: "ip-10-0-1-10.ec2.internal" };
        case "aws:ebs/volume:Volume":
            return { ...common, id: `vol-${hex(name, 17)}` };
        case "aws:rds/instance:Instance":
            return {
                ...common,
                arn: `arn:aws:rds:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:db:${inputs.identifier}`,
                address: `${inputs.identifier}.c${hex(name, 11)}.${MOCK_REGION}.rds.amazonaws.com`,
                endpoint: `${inputs.identifier}.c${hex(name, 11)}.${MOCK_REGION}.rds.amazonaws.com:5432`,
                masterUserSecrets: [{ secretArn: `arn:aws:secretsmanager:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:secret:rds!db-${hex(name, 8)}`, secretStatus: "active" }],
            };
        case "aws:elasticache/replicationGroup:ReplicationGroup": {
            const groupId = String(inputs.replicationGroupId);
            const dns = `${hex(name, 6)}.${MOCK_REGION.replace(/-/g, "").replace("useast1", "use1")}.cache.amazonaws.com`;
            const clusterMode = inputs.clusterMode === "enabled";
            return {
                ...common,
                arn: `arn:aws:elasticache:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:replicationgroup:${groupId}`,
                id: groupId,
                // ElastiCache answers with the primary endpoint in one-shard mode, the configuration endpoint in cluster mode.
                primaryEndpointAddress: clusterMode ? undefined : `master.${groupId}.${dns}`,
                readerEndpointAddress: clusterMode ? undefined : `replica.${groupId}.${dns}`,
                configurationEndpointAddress: clusterMode ? `clustercfg.${groupId}.${dns}` : undefined,
            };
        }
        case "random:index/randomPassword:RandomPassword": {
            // As long as asked for (tests check lengths against provider limits), alphanumeric.
            const length = typeof inputs.length === "number" ? inputs.length : 24;
            return { result: `mock${hex(name, 24).repeat(Math.ceil(length / 24))}`.slice(0, Math.max(length, 5)) };
        }
        case "vault:index/mount:Mount":
        case "vault:index/authBackend:AuthBackend":
            return { path: inputs.path };
        case "aws:amp/workspace:Workspace":
            return { ...common, id: `ws-${hex(name, 8)}-${hex(name + "w", 4)}`, prometheusEndpoint: `https://aps-workspaces.${MOCK_REGION}.amazonaws.com/workspaces/ws-${hex(name, 8)}-${hex(name + "w", 4)}/` };
        case "aws:grafana/workspace:Workspace":
            return { ...common, id: `g-${hex(name, 10)}`, endpoint: `g-${hex(name, 10)}.grafana-workspace.${MOCK_REGION}.amazonaws.com` };
        case "aws:sns/topic:Topic":
            return { ...common, arn: `arn:aws:sns:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:${physicalName}` };
        case "aws:kms/key:Key":
            return { ...common, keyId: `${hex(name, 8)}-0000-4000-8000-${hex(name, 12)}`, arn: `arn:aws:kms:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:key/${hex(name, 8)}-0000-4000-8000-${hex(name, 12)}` };
        case "aws:route53/zone:Zone":
            return { ...common, zoneId: `Z${hex(name, 12).toUpperCase()}` };
        case "aws:route53/record:Record":
            return { ...common, fqdn: inputs.name };
        default:
            return common;
    }
}

/**
 * The image an AMI lookup finds: its id is derived from the whole query, so a test can tell which
 * owners and filters the program asked with (`mockAmiId(expectedQuery)`); nothing is found
 * outside Canonical's account.
 */
function mockAmi(inputs: Record<string, unknown>): Record<string, unknown> {
    const owners = inputs.owners as string[] | undefined;
    if (!owners || owners.length !== 1 || owners[0] !== CANONICAL_OWNER_ID) {
        throw new Error(`no AMI matches owners ${JSON.stringify(owners)} (the mock knows Canonical's images only)`);
    }
    const filters = (inputs.filters as { name: string; values: string[] }[] | undefined) ?? [];
    const namePattern = filters.find((f) => f.name === "name")?.values[0] ?? "";
    const architecture = filters.find((f) => f.name === "architecture")?.values[0] ?? "x86_64";
    return { id: mockAmiId(inputs), name: namePattern.replace("*", "20260101"), architecture };
}

export function mockAmiId(query: unknown): string {
    return `ami-${hex(canonicalJson(query), 17)}`;
}

/** JSON with object keys sorted, so that equal queries hash equally whatever their key order. */
function canonicalJson(value: unknown): string {
    if (Array.isArray(value)) {
        return `[${value.map(canonicalJson).join(",")}]`;
    }
    if (typeof value === "object" && value !== null) {
        const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b));
        return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
    }
    return JSON.stringify(value);
}

/** Zones of the subnets the program created, so that a subnet lookup answers like AWS would. */
const subnetZones = new Map<string, string>();

/** Answers for the data sources the program calls. */
function invokeResult(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
    switch (token) {
        case "aws:index/getAvailabilityZones:getAvailabilityZones":
            return { names: MOCK_ZONES, zoneIds: MOCK_ZONES.map((_, i) => `use1-az${i + 1}`), id: MOCK_REGION };
        case "aws:index/getPartition:getPartition":
            return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return { accountId: MOCK_ACCOUNT_ID, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/plan`, userId: "AIDAPLAN", id: MOCK_ACCOUNT_ID };
        case "aws:index/getRegion:getRegion":
            return { name: MOCK_REGION, region: MOCK_REGION, id: MOCK_REGION };
        case "aws:elb/getServiceAccount:getServiceAccount":
            return { arn: "arn:aws:iam::127311923021:root", id: "127311923021" };
        case "aws:ec2/getAmi:getAmi":
            return mockAmi(inputs);
        case "aws:ec2/getSubnet:getSubnet":
            return { id: inputs.id, availabilityZone: subnetZones.get(inputs.id as string) ?? MOCK_ZONES[0], cidrBlock: "10.99.0.0/20" };
        case "aws:ec2/getVpc:getVpc":
            return { id: inputs.id, cidrBlock: "10.99.0.0/16" };
        default:
            return {};
    }
}

/** Mocks that give every resource an id and the computed attributes the program reads. */
export const awsMocks: pulumi.runtime.Mocks = {
    newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
        const state = { ...args.inputs, ...computedState(args.type, args.name, args.inputs) };
        const id = (state.id as string | undefined) ?? `${args.name}-${hex(args.name, 8)}`;
        delete state.id;
        if (args.type === "aws:ec2/subnet:Subnet" && typeof args.inputs.availabilityZone === "string") {
            subnetZones.set(id, args.inputs.availabilityZone);
        }
        return { id, state };
    },
    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        return invokeResult(args.token, args.inputs);
    },
};
