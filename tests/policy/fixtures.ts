/**
 * Synthetic resources shaped like what the Memory Spine program registers with @pulumi/aws 7
 * (inputs as the engine sends them to the analyzer), and a compliant stack per environment that the
 * policy tests mutate one aspect at a time.
 */
import * as path from "path";
import {
    PolicyPackClient,
    PolicyPackConfigFile,
    PolicyViolation,
    RecordedResource,
    loadPolicyPackConfig,
    startPolicyPack,
} from "../../tools/analyzer/client";

export type Env = "dev" | "staging" | "prod";

export const PROJECT = "memory-spine";
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const SECRET_SIG = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };

export function secret<T>(value: T): Record<string, unknown> {
    return { ...SECRET_SIG, value };
}

export function urnOf(type: string, name: string, stack = "test"): string {
    return `urn:pulumi:${stack}::${PROJECT}::${type}::${name}`;
}

export function resource(
    type: string,
    name: string,
    inputs: Record<string, unknown>,
    options: RecordedResource["options"] = {},
    extra: Partial<RecordedResource> = {},
): RecordedResource {
    return { urn: urnOf(type, name), type, name, custom: true, inputs, options, ...extra };
}

export function tags(env: Env, extra: Record<string, string> = {}): Record<string, string> {
    return { Environment: env, Team: "platform-engineering", CostCenter: "engineering", ...extra };
}

/** Deep copy, so tests can mutate fixtures freely. */
export function clone<T>(value: T): T {
    return JSON.parse(JSON.stringify(value)) as T;
}

export const T = {
    lt: "aws:ec2/launchTemplate:LaunchTemplate",
    asg: "aws:autoscaling/group:Group",
    schedule: "aws:autoscaling/schedule:Schedule",
    instance: "aws:ec2/instance:Instance",
    volume: "aws:ebs/volume:Volume",
    rds: "aws:rds/instance:Instance",
    lb: "aws:lb/loadBalancer:LoadBalancer",
    listener: "aws:lb/listener:Listener",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    sgRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    nat: "aws:ec2/natGateway:NatGateway",
    cert: "aws:acm/certificate:Certificate",
    bucket: "aws:s3/bucketV2:BucketV2",
    vaultMount: "vault:index/mount:Mount",
    randomPassword: "random:index/randomPassword:RandomPassword",
    awsProvider: "pulumi:providers:aws",
    launchConfiguration: "aws:ec2/launchConfiguration:LaunchConfiguration",
    spotInstance: "aws:ec2/spotInstanceRequest:SpotInstanceRequest",
    rdsCluster: "aws:rds/cluster:Cluster",
    rdsClusterInstance: "aws:rds/clusterInstance:ClusterInstance",
    nodeGroup: "aws:eks/nodeGroup:NodeGroup",
} as const;

export interface StackShape {
    env: Env;
    instanceType: string;
    instanceCount: number;
    tls: boolean;
    internal: boolean;
    vectorStore: "qdrant" | "pgvector";
}

export const SHAPES: Record<Env, StackShape> = {
    dev: { env: "dev", instanceType: "t3.large", instanceCount: 1, tls: false, internal: true, vectorStore: "pgvector" },
    staging: { env: "staging", instanceType: "r6i.xlarge", instanceCount: 2, tls: true, internal: true, vectorStore: "qdrant" },
    prod: { env: "prod", instanceType: "r6i.2xlarge", instanceCount: 4, tls: true, internal: false, vectorStore: "qdrant" },
};

export function launchTemplateInputs(env: Env, instanceType: string): Record<string, unknown> {
    return {
        namePrefix: `memspine-${env}-`,
        imageId: "ami-0abcdef1234567890",
        instanceType,
        userData: "IyEvYmluL2Jhc2gK",
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 2 },
        blockDeviceMappings: [
            {
                deviceName: "/dev/sda1",
                ebs: { volumeSize: env === "prod" ? 200 : 50, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
            },
        ],
        networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "false", securityGroups: ["sg-nodes"] }],
        tagSpecifications: [{ resourceType: "instance", tags: tags(env) }],
        tags: tags(env),
    };
}

/** A stack that passes every policy of the pack for its environment. */
export function compliantStack(env: Env): RecordedResource[] {
    const shape = SHAPES[env];
    const provider = resource(T.awsProvider, "default_7_48_0", { region: "us-east-1" }, {}, { id: "prov-id" });
    const providerRef = `${provider.urn}::prov-id`;
    const withProvider = (r: RecordedResource): RecordedResource => ({ ...r, options: { ...r.options, provider: providerRef } });

    const lbSg = resource(T.sg, "lb-sg", { vpcId: "vpc-1", description: "balancer", tags: tags(env) }, {}, { id: "sg-lb" });
    const nodeSg = resource(T.sg, "node-sg", { vpcId: "vpc-1", description: "nodes", tags: tags(env) }, {}, { id: "sg-nodes" });
    const lbIngress = (port: number, cidrs: string[]): RecordedResource[] =>
        cidrs.map((cidr, i) =>
            resource(
                T.ingress,
                `lb-in-${port}-${i}`,
                { securityGroupId: "sg-lb", ipProtocol: "tcp", fromPort: port, toPort: port, cidrIpv4: cidr, tags: tags(env) },
                { propertyDependencies: { securityGroupId: [lbSg.urn] }, dependencies: [lbSg.urn] },
            ),
        );
    const allowed = env === "prod" ? ["10.0.0.0/8", "203.0.113.0/24"] : ["10.0.0.0/8"];
    const nodeIngress = resource(
        T.ingress,
        "node-in-8788",
        { securityGroupId: "sg-nodes", ipProtocol: "tcp", fromPort: 8788, toPort: 8788, referencedSecurityGroupId: "sg-lb", tags: tags(env) },
        { propertyDependencies: { securityGroupId: [nodeSg.urn], referencedSecurityGroupId: [lbSg.urn] } },
    );

    const lt = resource(T.lt, "api-lt", launchTemplateInputs(env, shape.instanceType), {}, { id: "lt-123" });
    const asg = resource(
        T.asg,
        "api-asg",
        {
            name: `memspine-${env}`,
            desiredCapacity: shape.instanceCount,
            minSize: env === "prod" ? 2 : 1,
            maxSize: shape.instanceCount * 3,
            vpcZoneIdentifiers: ["subnet-a", "subnet-b"],
            launchTemplate: { id: "lt-123", version: "1" },
            tags: Object.entries(tags(env)).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
        },
        { propertyDependencies: { launchTemplate: [lt.urn] }, dependencies: [lt.urn] },
        { id: `memspine-${env}` },
    );
    const schedules: RecordedResource[] =
        env === "prod"
            ? []
            : [
                  resource(
                      T.schedule,
                      "api-scale-down",
                      { scheduledActionName: "scale-down", autoscalingGroupName: `memspine-${env}`, recurrence: "0 20 * * *", timeZone: "UTC", minSize: 0, maxSize: 0, desiredCapacity: 0 },
                      { propertyDependencies: { autoscalingGroupName: [asg.urn] } },
                  ),
                  resource(
                      T.schedule,
                      "api-scale-up",
                      {
                          scheduledActionName: "scale-up",
                          autoscalingGroupName: `memspine-${env}`,
                          recurrence: "0 7 * * 1-5",
                          timeZone: "UTC",
                          minSize: 1,
                          maxSize: shape.instanceCount * 3,
                          desiredCapacity: shape.instanceCount,
                      },
                      { propertyDependencies: { autoscalingGroupName: [asg.urn] } },
                  ),
              ];

    const lb = resource(
        T.lb,
        "api-lb",
        {
            loadBalancerType: "application",
            internal: shape.internal,
            securityGroups: ["sg-lb"],
            subnets: ["subnet-pub-a", "subnet-pub-b"],
            dropInvalidHeaderFields: true,
            enableDeletionProtection: env === "prod",
            ...(env === "dev" ? {} : { accessLogs: { enabled: true, bucket: `memspine-${env}-lb-logs`, prefix: "alb" } }),
            tags: tags(env),
        },
        { propertyDependencies: { securityGroups: [lbSg.urn] } },
        { id: "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/memspine/1" },
    );
    const lbArn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/memspine/1";
    const listeners: RecordedResource[] = shape.tls
        ? [
              resource(
                  T.listener,
                  "https",
                  {
                      loadBalancerArn: lbArn,
                      port: 443,
                      protocol: "HTTPS",
                      sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
                      certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc",
                      defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }],
                      tags: tags(env),
                  },
                  { propertyDependencies: { loadBalancerArn: [lb.urn] } },
              ),
              resource(
                  T.listener,
                  "http-redirect",
                  {
                      loadBalancerArn: lbArn,
                      port: 80,
                      protocol: "HTTP",
                      defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
                      tags: tags(env),
                  },
                  { propertyDependencies: { loadBalancerArn: [lb.urn] } },
              ),
          ]
        : [
              resource(
                  T.listener,
                  "http",
                  { loadBalancerArn: lbArn, port: 80, protocol: "HTTP", defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }], tags: tags(env) },
                  { propertyDependencies: { loadBalancerArn: [lb.urn] } },
              ),
          ];

    const store: RecordedResource[] =
        shape.vectorStore === "pgvector"
            ? [
                  resource(
                      T.rds,
                      "vector-db",
                      {
                          engine: "postgres",
                          engineVersion: "16.4",
                          instanceClass: "db.t3.large",
                          allocatedStorage: 50,
                          storageType: "gp3",
                          storageEncrypted: true,
                          multiAz: false,
                          publiclyAccessible: false,
                          backupRetentionPeriod: 7,
                          deletionProtection: env === "prod",
                          username: "memspine",
                          password: secret("s3cr3t-password"),
                          tags: tags(env),
                      },
                      { protect: env === "prod", additionalSecretOutputs: ["password"] },
                  ),
              ]
            : [
                  resource(T.instance, "qdrant", {
                      ami: "ami-0abcdef1234567890",
                      instanceType: "r6i.large",
                      associatePublicIpAddress: false,
                      metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
                      rootBlockDevice: { volumeSize: 30, volumeType: "gp3", encrypted: true },
                      tags: tags(env),
                  }),
                  resource(
                      T.volume,
                      "qdrant-data",
                      { availabilityZone: "us-east-1a", size: 100, type: "gp3", encrypted: true, tags: tags(env) },
                      { protect: env === "prod" },
                  ),
              ];

    // Staging and prod back up every data volume (prod-backup-coverage); the database has its own backups.
    const backups = env !== "dev" && shape.vectorStore !== "pgvector"
        ? [resource("aws:backup/selection:Selection", "backup", { name: `memspine-${env}-backup`, planId: "plan-1", iamRoleArn: "arn:aws:iam::123456789012:role/backup", resources: [UNKNOWN] }, { propertyDependencies: { resources: store.filter((r) => r.type === T.volume).map((r) => r.urn) } })]
        : [];
    const nat = resource(T.nat, "nat-a", { allocationId: "eipalloc-1", subnetId: "subnet-pub-a", tags: tags(env) });
    const cert = shape.tls
        ? [resource(T.cert, "api-cert", { domainName: `memory-spine-${env}.chaozcode.com`, validationMethod: "DNS", tags: tags(env) })]
        : [];
    const vault = resource(T.vaultMount, "ai-keys", { path: "secret/ai-providers", type: "kv-v2" }, { protect: env === "prod" });
    const password = resource(T.randomPassword, "db-password", { length: 32, special: false });

    return [
        provider,
        ...[lbSg, nodeSg, ...lbIngress(443, allowed), ...(shape.tls ? lbIngress(80, allowed) : []), nodeIngress, lt, asg, ...schedules, lb, ...listeners, ...store, ...backups, nat, ...cert].map(withProvider),
        vault,
        password,
    ];
}

export const CONFIG_DIR = path.resolve(__dirname, "..", "..", "policy-pack", "config");

export function envConfig(env: Env): PolicyPackConfigFile {
    return loadPolicyPackConfig(path.join(CONFIG_DIR, `${env}.json`));
}

/**
 * One pack process for the calling test file. It is started as soon as the file is loaded, so that
 * the packs of all test files boot in parallel while mocha loads the suite; `get()` returns it
 * inside tests. Call it inside the file's top-level describe: its `after` hook ends the pack.
 */
export function usePack(): { get(): PolicyPackClient } {
    let pack: PolicyPackClient | undefined;
    let startError: Error | undefined;
    const starting = startPolicyPack().then(
        (p) => {
            pack = p;
        },
        (e: unknown) => {
            startError = e instanceof Error ? e : new Error(String(e));
        },
    );
    before(async function () {
        this.timeout(30_000);
        await starting;
        if (startError !== undefined) {
            throw startError;
        }
    });
    after(async () => {
        await starting;
        await pack?.close();
    });
    return {
        get(): PolicyPackClient {
            if (pack === undefined) {
                throw new Error("policy pack not started");
            }
            return pack;
        },
    };
}

/** Analyze every resource, then the stack; all violations. */
export async function analyzeAll(pack: PolicyPackClient, resources: RecordedResource[]): Promise<PolicyViolation[]> {
    const perResource = await Promise.all(resources.map((r) => pack.analyze(r, { resources })));
    return [...perResource.flat(), ...(await pack.analyzeStack(resources))];
}

export function only(violations: PolicyViolation[], policyName: string): PolicyViolation[] {
    return violations.filter((v) => v.policyName === policyName);
}

/** Violations except the advisory cost report (present in every stack analysis). */
export function failures(violations: PolicyViolation[]): PolicyViolation[] {
    return violations.filter((v) => v.policyName !== "cost-estimate-report");
}

export function find(resources: RecordedResource[], name: string): RecordedResource {
    const r = resources.find((x) => x.name === name);
    if (r === undefined) {
        throw new Error(`no resource named ${name}`);
    }
    return r;
}
