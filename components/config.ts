import * as pulumi from "@pulumi/pulumi";
import { isIpv4Cidr, isCanonicalIpv4Cidr, cidrPrefixLength } from "./cidr";
import { checkDatabaseWindows, checkOffHours, OffHoursSettings } from "./offhours-config";
import { QDRANT_NODE_COUNTS, isQdrantNodeCount } from "./qdrant-topology";
import { ENVIRONMENT_DEFAULT_KEYS, EnvironmentDefaultKey, environmentDefault, isEnvironmentDefaultKey } from "./per-environment-defaults";

/** The project's config namespace, i.e. the `memory-spine:` prefix of every stack key. */
export const CONFIG_NAMESPACE = "memory-spine";

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const VECTOR_STORE_ENGINES = ["qdrant", "pgvector"] as const;
export type VectorStoreEngine = (typeof VECTOR_STORE_ENGINES)[number];

/** Deploy into a VPC that already exists instead of creating one. */
export interface ExistingNetwork {
    vpcId: string;
    publicSubnetIds: string[];
    privateSubnetIds: string[];
}

/** Where the HTTPS listener's certificate comes from when TLS is on. */
export interface TlsSettings {
    domainName?: string;
    hostedZoneId?: string;
    certificateArn?: string;
}

/** Off-hours scale-to-zero schedule for non-production clusters. */
export interface ScaleSchedule {
    scaleDownCron: string;
    scaleUpCron: string;
    timeZone: string;
}

/** Settings of the vector store the cluster uses. */
export interface VectorStoreSettings {
    qdrantVersion: string;
    qdrantInstanceType: string;
    qdrantVolumeSizeGb: number;
    /** Qdrant nodes: 1 (single node), or an odd 3..9 for its distributed mode. */
    qdrantNodeCount: number;
    dbInstanceClass: string;
    dbAllocatedStorageGb: number;
    postgresVersion: string;
    /** Daily automated-backup window, UTC. */
    dbBackupWindow: string;
    /** Weekly maintenance window, UTC. */
    dbMaintenanceWindow: string;
}

/** Where Vault's machine auth lives, and whether this stack creates the backends. */
export interface VaultSettings {
    createAuthBackends: boolean;
    approlePath: string;
    awsAuthPath: string;
}

/** Alert routing and alarm thresholds of the monitoring component. */
export interface MonitoringSettings {
    alertEmails: string[];
    pagerEndpoint?: string;
    alarmServerErrorCount: number;
    alarmLatencyMs: number;
    alarmCpuPercent: number;
    alarmDbCpuPercent: number;
    alarmDbFreeStorageGb: number;
    alarmDbConnections: number;
    enableGrafana: boolean;
    /** 0 = the policy pack's monthlyBudgetUsd for this environment (components/budget.ts). */
    monthlyBudgetUsd: number;
    budgetEmails: string[];
}

/** Size and engine of the key-value layer (components/kv-store.ts); posture follows the environment. */
export interface KvSettings {
    /** ElastiCache node type, e.g. cache.r7g.large. */
    nodeType: string;
    /** Replicas per shard (0-5); prod needs at least one. */
    replicas: number;
    /** Shards; more than one turns on cluster mode. */
    shards: number;
    /** Valkey 8.x engine version, e.g. 8.2. */
    engineVersion: string;
}

/** A stack's configuration after validation: every value typed, every default applied. */
export interface StackConfig {
    environment: Environment;
    instanceCount: number;
    instanceType: string;
    vectorStoreEngine: VectorStoreEngine;
    enableTls: boolean;
    vaultAddress: string;
    allowedCidrBlocks: string[];
    tags: Record<string, string>;
    vpcCidr: string;
    availabilityZoneCount: number;
    existingNetwork?: ExistingNetwork;
    tls: TlsSettings;
    containerImage: string;
    /** Canonical release serial of the Ubuntu image to boot; "" = the newest. */
    ubuntuAmiRelease: string;
    targetCpuUtilization: number;
    schedule: ScaleSchedule;
    /** Whether the stores follow the schedule (never in prod). */
    offHours: OffHoursSettings;
    vectorStore: VectorStoreSettings;
    vault: VaultSettings;
    monitoring: MonitoringSettings;
    kv: KvSettings;
    /** The OpenAI credentials, only ever as Pulumi secrets; absent when not configured. */
    openai?: { apiKey: pulumi.Output<string>; organizationId: pulumi.Output<string> };
}

/**
 * Defaults of the optional keys. Pulumi.yaml declares the same defaults for the CLI
 * (tests/config.test.ts holds the two equal); the program applies them too so that it
 * behaves the same when run without the project file, e.g. under mocks. Keys whose default
 * depends on the environment are not here but in environment-defaults.json.
 */
export const CONFIG_DEFAULTS = {
    instanceCount: 2,
    instanceType: "r6i.xlarge",
    vectorStoreEngine: "qdrant",
    enableTls: true,
    allowedCidrBlocks: [] as string[],
    tags: {} as Record<string, string>,
    vpcCidr: "10.0.0.0/16",
    availabilityZoneCount: 2,
    existingVpcId: "",
    existingPublicSubnetIds: [] as string[],
    existingPrivateSubnetIds: [] as string[],
    domainName: "",
    hostedZoneId: "",
    certificateArn: "",
    containerImage: "ghcr.io/chaozcode/memory-spine:1.0.0",
    ubuntuAmiRelease: "",
    targetCpuUtilization: 60,
    scaleDownCron: "0 20 * * *",
    scaleUpCron: "0 7 * * 1-5",
    scheduleTimeZone: "UTC",
    offHoursStoreMarginMinutes: 15,
    qdrantVersion: "v1.15.0",
    qdrantInstanceType: "r6i.large",
    qdrantVolumeSizeGb: 100,
    dbInstanceClass: "db.t3.large",
    dbAllocatedStorageGb: 100,
    postgresVersion: "16",
    dbBackupWindow: "03:00-04:00",
    dbMaintenanceWindow: "sun:04:30-sun:05:30",
    createVaultAuthBackends: true,
    vaultApproleBackendPath: "approle",
    vaultAwsAuthPath: "aws",
    openaiApiKey: "",
    openaiOrgId: "",
    alertEmails: [] as string[],
    pagerEndpoint: "",
    alarmServerErrorCount: 10,
    alarmLatencyMs: 1000,
    alarmCpuPercent: 85,
    alarmDbCpuPercent: 80,
    alarmDbFreeStorageGb: 10,
    alarmDbConnections: 100,
    enableGrafana: false,
    monthlyBudgetUsd: 0,
    budgetEmails: [] as string[],
    kvShards: 1,
    kvEngineVersion: "8.2",
} as const;

/** Keys whose values must arrive encrypted (`pulumi config set --secret`). */
export const SECRET_KEYS = ["openaiApiKey", "openaiOrgId"] as const;

const REQUIRED_KEYS = ["environment", "vaultAddress"] as const;

/** Every key the program reads; anything else under `memory-spine:` is a typo. */
export const KNOWN_KEYS: readonly string[] = [...REQUIRED_KEYS, ...Object.keys(CONFIG_DEFAULTS), ...ENVIRONMENT_DEFAULT_KEYS];

/** A key that falls back to a default when absent: the same for every stack, or the environment's. */
type DefaultedKey = keyof typeof CONFIG_DEFAULTS | EnvironmentDefaultKey;

/** Raw config as the Pulumi engine hands it over: key (without namespace) to string. */
export type RawConfig = Readonly<Record<string, string | undefined>>;

/** One bad key: what was given and what is allowed. */
export interface ConfigProblem {
    key: string;
    value: string | undefined;
    allowed: string;
}

/** Thrown before any resource is registered; lists every bad key at once. */
export class ConfigError extends Error {
    constructor(readonly problems: readonly ConfigProblem[]) {
        super(formatProblems(problems));
        this.name = "ConfigError";
    }
}

function formatProblems(problems: readonly ConfigProblem[]): string {
    const lines = problems.map(
        (p) => `  - ${CONFIG_NAMESPACE}:${p.key} = ${p.value === undefined ? "(not set)" : JSON.stringify(p.value)}: ${p.allowed}`,
    );
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    return `Invalid ${CONFIG_NAMESPACE} stack configuration (${count}):\n${lines.join("\n")}`;
}

const INSTANCE_TYPE_PATTERN = /^[a-z][a-z0-9-]*[0-9][a-z0-9-]*\.(nano|micro|small|medium|large|[0-9]*xlarge|metal(-[0-9]+xl)?)$/;
const CRON_FIELD_PATTERN = /^(\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/[0-9]+)?(,(\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/[0-9]+)?)*$/;
const HOSTNAME_PATTERN = /^(?=.{1,253}$)(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const CERTIFICATE_ARN_PATTERN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate\/[0-9a-f-]{36}$/;
const IMAGE_PATTERN = /^[a-z0-9][a-z0-9._/:-]*(:[A-Za-z0-9_][A-Za-z0-9._-]{0,127}|@sha256:[0-9a-f]{64})$/;
/** Canonical names its AMIs `...-server-<serial>`; the serial is a build date, sometimes with a point release. */
const UBUNTU_RELEASE_PATTERN = /^[0-9]{8}(\.[0-9]{1,2})?$/;

/**
 * Validates raw stack config. Pure: it reads nothing but its argument, so tests can
 * feed it any map. Throws one ConfigError naming every bad key.
 */
export function validateConfig(raw: RawConfig, secretKeys: ReadonlySet<string> = new Set()): StackConfig {
    const problems: ConfigProblem[] = [];
    const problem = (key: string, allowed: string): void => {
        const hidden = (SECRET_KEYS as readonly string[]).includes(key) && raw[key] !== undefined;
        problems.push({ key, value: hidden ? "(hidden)" : raw[key], allowed });
    };
    const environment = raw.environment?.trim();
    const env: Environment = isOneOf(environment, ENVIRONMENTS) ? environment : "dev";
    const text = (key: DefaultedKey): string => {
        const value = raw[key];
        if (isEnvironmentDefaultKey(key)) {
            // An unknown environment is reported below; dev's default stands in until then.
            return value === undefined ? environmentDefault(key, env) : value.trim();
        }
        const fallback = CONFIG_DEFAULTS[key];
        // A list or map default reads as the JSON a stack file would hold, never "[object Object]".
        return value === undefined ? (typeof fallback === "object" ? JSON.stringify(fallback) : String(fallback)) : value.trim();
    };

    for (const key of Object.keys(raw)) {
        if (raw[key] !== undefined && !KNOWN_KEYS.includes(key)) {
            problem(key, `unknown key; known keys are ${KNOWN_KEYS.join(", ")}`);
        }
    }

    if (!isOneOf(environment, ENVIRONMENTS)) {
        problem("environment", `${environment === undefined ? "required; " : ""}must be one of ${ENVIRONMENTS.join(", ")}`);
    }

    const instanceCount = parseInteger(text("instanceCount"));
    if (instanceCount === undefined || instanceCount < 1) {
        problem("instanceCount", "must be a whole number >= 1");
    }

    const instanceType = text("instanceType");
    if (!INSTANCE_TYPE_PATTERN.test(instanceType)) {
        problem("instanceType", "must be an EC2 instance type such as t3.large or r6i.xlarge (family.size)");
    }

    const vectorStoreEngine = text("vectorStoreEngine");
    if (!isOneOf(vectorStoreEngine, VECTOR_STORE_ENGINES)) {
        problem("vectorStoreEngine", `must be one of ${VECTOR_STORE_ENGINES.join(", ")}`);
    }

    const enableTls = parseBoolean(text("enableTls"));
    if (enableTls === undefined) {
        problem("enableTls", "must be true or false");
    }

    const vaultAddress = raw.vaultAddress?.trim() ?? "";
    const vaultProblem = checkVaultAddress(vaultAddress, env);
    if (vaultProblem) {
        problem("vaultAddress", vaultProblem);
    }

    const allowedCidrBlocks = parseStringList(raw.allowedCidrBlocks, CONFIG_DEFAULTS.allowedCidrBlocks);
    if (allowedCidrBlocks === undefined) {
        problem("allowedCidrBlocks", "must be a list of IPv4 CIDR blocks such as [\"10.0.0.0/8\"]");
    } else {
        const bad = allowedCidrBlocks.filter((c) => !isCanonicalIpv4Cidr(c));
        if (bad.length > 0) {
            problem("allowedCidrBlocks", `${bad.map((c) => JSON.stringify(c)).join(", ")} not valid: each entry must be an IPv4 CIDR a.b.c.d/n (0-32) with no host bits set, e.g. 10.0.0.0/8`);
        }
    }

    const tags = parseTags(raw.tags);
    if (typeof tags === "string") {
        problem("tags", tags);
    } else if (tags.Environment !== undefined && environment !== undefined && tags.Environment !== environment) {
        problem("tags", `the Environment tag (${tags.Environment}) must equal the environment key (${environment}) or be left out`);
    }

    const vpcCidr = text("vpcCidr");
    if (!isCanonicalIpv4Cidr(vpcCidr) || cidrPrefixLength(vpcCidr) < 16 || cidrPrefixLength(vpcCidr) > 22) {
        problem("vpcCidr", "must be an IPv4 CIDR with no host bits set and a prefix from /16 to /22, e.g. 10.0.0.0/16");
    }

    const availabilityZoneCount = parseInteger(text("availabilityZoneCount"));
    if (availabilityZoneCount === undefined || availabilityZoneCount < 2 || availabilityZoneCount > 6) {
        problem("availabilityZoneCount", "must be a whole number from 2 to 6 (nodes are spread over at least two zones)");
    }

    const existingNetwork = checkExistingNetwork(raw, problem);

    const tls: TlsSettings = {
        domainName: text("domainName") || undefined,
        hostedZoneId: text("hostedZoneId") || undefined,
        certificateArn: text("certificateArn") || undefined,
    };
    if (tls.domainName && !HOSTNAME_PATTERN.test(tls.domainName)) {
        problem("domainName", "must be a lower-case DNS name such as memory-spine.example.com");
    }
    if (tls.hostedZoneId && !/^Z[A-Z0-9]{4,32}$/.test(tls.hostedZoneId)) {
        problem("hostedZoneId", "must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ");
    }
    if (tls.hostedZoneId && !tls.domainName) {
        problem("hostedZoneId", "is only used together with domainName; set domainName too or remove hostedZoneId");
    }
    if (tls.certificateArn && !CERTIFICATE_ARN_PATTERN.test(tls.certificateArn)) {
        problem("certificateArn", "must be an ACM certificate ARN arn:aws:acm:<region>:<account>:certificate/<uuid>");
    }
    if (enableTls === true && !tls.certificateArn && !tls.domainName) {
        problem("enableTls", "is true but no certificate source is set: set certificateArn (existing ACM certificate) or domainName (+ hostedZoneId for DNS validation), or set enableTls to false outside prod");
    }

    const containerImage = text("containerImage");
    if (!IMAGE_PATTERN.test(containerImage) || /:latest$/.test(containerImage)) {
        problem("containerImage", "must be a container image pinned by tag or digest (not :latest), e.g. ghcr.io/org/memory-spine:1.0.0");
    }

    const ubuntuAmiRelease = text("ubuntuAmiRelease");
    if (ubuntuAmiRelease !== "" && !UBUNTU_RELEASE_PATTERN.test(ubuntuAmiRelease)) {
        problem("ubuntuAmiRelease", "must be empty (the newest image) or a Canonical release serial such as 20250610 or 20250610.1 (the date in the AMI name)");
    }

    const targetCpuUtilization = parseInteger(text("targetCpuUtilization"));
    if (targetCpuUtilization === undefined || targetCpuUtilization < 10 || targetCpuUtilization > 90) {
        problem("targetCpuUtilization", "must be a whole number from 10 to 90 (percent)");
    }

    const scaleDownCron = text("scaleDownCron");
    const scaleUpCron = text("scaleUpCron");
    for (const [key, value] of [["scaleDownCron", scaleDownCron], ["scaleUpCron", scaleUpCron]] as const) {
        if (!isCron(value)) {
            problem(key, "must be a 5-field cron expression (minute hour day-of-month month day-of-week), e.g. \"0 20 * * *\"");
        }
    }
    const scheduleTimeZone = text("scheduleTimeZone");
    if (!isTimeZone(scheduleTimeZone)) {
        problem("scheduleTimeZone", "must be an IANA time zone such as UTC or Europe/Berlin");
    }

    const offHours = checkOffHours(
        parseBoolean(text("offHoursStores")),
        parseInteger(text("offHoursStoreMarginMinutes")),
        isOneOf(environment, ENVIRONMENTS) ? environment : undefined,
        isCron(scaleDownCron) && isCron(scaleUpCron) ? { scaleDownCron, scaleUpCron, timeZone: scheduleTimeZone } : undefined,
        problem,
    );
    const vectorStore = checkVectorStore(text, problem);
    // RDS backs up and patches only a running instance: with off-hours its windows must fall inside the running hours.
    checkDatabaseWindows(
        vectorStore.dbBackupWindow,
        vectorStore.dbMaintenanceWindow,
        offHours.stopStores && vectorStoreEngine === "pgvector" && isCron(scaleDownCron) && isCron(scaleUpCron) && isTimeZone(scheduleTimeZone) && offHours.marginMinutes > 0
            ? { schedule: { scaleDownCron, scaleUpCron, timeZone: scheduleTimeZone }, marginMinutes: offHours.marginMinutes }
            : undefined,
        problem,
    );
    const vault = checkVaultSettings(text, problem);
    const monitoring = checkMonitoring(raw, text, problem, isOneOf(environment, ENVIRONMENTS) ? environment : undefined);
    const kv = checkKvStore(text, problem, isOneOf(environment, ENVIRONMENTS) ? environment : undefined);

    for (const key of SECRET_KEYS) {
        if (text(key) !== "" && !secretKeys.has(key)) {
            problem(key, `must be stored encrypted: pulumi config set --secret ${CONFIG_NAMESPACE}:${key} <value>`);
        }
    }
    const openaiApiKey = text("openaiApiKey");
    if (openaiApiKey === "" && text("openaiOrgId") !== "") {
        problem("openaiOrgId", "is only used together with openaiApiKey; set both or neither");
    }

    for (const key of REQUIRED_KEYS) {
        if (raw[key] === undefined && !problems.some((p) => p.key === key)) {
            problem(key, "required");
        }
    }

    if (problems.length > 0) {
        throw new ConfigError(problems);
    }

    return {
        environment: env,
        instanceCount: instanceCount as number,
        instanceType,
        vectorStoreEngine: vectorStoreEngine as VectorStoreEngine,
        enableTls: enableTls as boolean,
        vaultAddress,
        allowedCidrBlocks: allowedCidrBlocks as string[],
        tags: tags as Record<string, string>,
        vpcCidr,
        availabilityZoneCount: availabilityZoneCount as number,
        existingNetwork,
        tls,
        containerImage,
        ubuntuAmiRelease,
        targetCpuUtilization: targetCpuUtilization as number,
        schedule: { scaleDownCron, scaleUpCron, timeZone: scheduleTimeZone },
        offHours,
        vectorStore,
        vault,
        monitoring,
        kv,
        openai: openaiApiKey === "" ? undefined : {
            apiKey: pulumi.secret(openaiApiKey),
            organizationId: pulumi.secret(text("openaiOrgId")),
        },
    };
}

type TextOf = (key: DefaultedKey) => string;
type Report = (key: string, allowed: string) => void;

function checkVectorStore(text: TextOf, problem: Report): VectorStoreSettings {
    const qdrantVersion = text("qdrantVersion");
    if (!/^v[0-9]+\.[0-9]+\.[0-9]+$/.test(qdrantVersion)) {
        problem("qdrantVersion", "must be a pinned Qdrant release such as v1.15.0");
    }
    const qdrantInstanceType = text("qdrantInstanceType");
    if (!INSTANCE_TYPE_PATTERN.test(qdrantInstanceType)) {
        problem("qdrantInstanceType", "must be an EC2 instance type such as r6i.large");
    }
    const qdrantVolumeSizeGb = parseInteger(text("qdrantVolumeSizeGb"));
    if (qdrantVolumeSizeGb === undefined || qdrantVolumeSizeGb < 10 || qdrantVolumeSizeGb > 16384) {
        problem("qdrantVolumeSizeGb", "must be a whole number of GB from 10 to 16384");
    }
    const qdrantNodeCount = parseInteger(text("qdrantNodeCount"));
    if (qdrantNodeCount === undefined || !isQdrantNodeCount(qdrantNodeCount)) {
        problem("qdrantNodeCount", `must be ${QDRANT_NODE_COUNTS.join(", ")} (1 = a single node; Qdrant's consensus needs a majority, so a cluster has an odd number of nodes and 2 would survive no loss)`);
    }
    const dbInstanceClass = text("dbInstanceClass");
    if (!dbInstanceClass.startsWith("db.") || !INSTANCE_TYPE_PATTERN.test(dbInstanceClass.slice(3))) {
        problem("dbInstanceClass", "must be an RDS instance class such as db.t3.large or db.r6g.xlarge");
    }
    const dbAllocatedStorageGb = parseInteger(text("dbAllocatedStorageGb"));
    if (dbAllocatedStorageGb === undefined || dbAllocatedStorageGb < 20 || dbAllocatedStorageGb > 65536) {
        problem("dbAllocatedStorageGb", "must be a whole number of GB from 20 to 65536");
    }
    const postgresVersion = text("postgresVersion");
    const major = Number(/^([0-9]+)(\.[0-9]+)?$/.exec(postgresVersion)?.[1] ?? NaN);
    if (!(major >= 16)) {
        problem("postgresVersion", "must be PostgreSQL 16 or newer (e.g. 16 or 17.2): pgvector ships with RDS PostgreSQL 16+");
    }
    return {
        qdrantVersion,
        qdrantInstanceType,
        qdrantVolumeSizeGb: qdrantVolumeSizeGb ?? 0,
        qdrantNodeCount: qdrantNodeCount ?? 1,
        dbInstanceClass,
        dbAllocatedStorageGb: dbAllocatedStorageGb ?? 0,
        postgresVersion,
        dbBackupWindow: text("dbBackupWindow"),
        dbMaintenanceWindow: text("dbMaintenanceWindow"),
    };
}

function checkVaultSettings(text: TextOf, problem: Report): VaultSettings {
    const createAuthBackends = parseBoolean(text("createVaultAuthBackends"));
    if (createAuthBackends === undefined) {
        problem("createVaultAuthBackends", "must be true or false");
    }
    const paths = { approlePath: text("vaultApproleBackendPath"), awsAuthPath: text("vaultAwsAuthPath") };
    for (const [key, value] of [["vaultApproleBackendPath", paths.approlePath], ["vaultAwsAuthPath", paths.awsAuthPath]] as const) {
        if (!/^[a-z0-9]([a-z0-9_/-]*[a-z0-9])?$/.test(value)) {
            problem(key, "must be a Vault auth mount path such as approle or aws (no leading or trailing slash)");
        }
    }
    return { createAuthBackends: createAuthBackends ?? true, ...paths };
}

/**
 * ElastiCache node families the key-value layer runs on: current generations that support Valkey 8
 * with encryption at rest and in transit. Not r6gd: data tiering needs an LRU memory policy, and
 * this layer evicts by LFU (see README, "Key-value layer").
 */
export const KV_NODE_FAMILIES = ["t3", "t4g", "m5", "m6g", "m7g", "r5", "r6g", "r7g", "c7gn"] as const;
const KV_NODE_TYPE_PATTERN = /^cache\.([a-z0-9]+)\.(micro|small|medium|large|[0-9]*xlarge)$/;

function checkKvStore(text: TextOf, problem: Report, env: Environment | undefined): KvSettings {
    const nodeType = text("kvNodeType");
    const family = KV_NODE_TYPE_PATTERN.exec(nodeType)?.[1];
    if (family === undefined || !isOneOf(family, KV_NODE_FAMILIES)) {
        problem("kvNodeType", `must be an ElastiCache node type cache.<family>.<size> of a family ${KV_NODE_FAMILIES.join(", ")}, e.g. cache.r7g.large`);
    }
    const replicas = parseInteger(text("kvReplicas"));
    if (replicas === undefined || replicas > 5) {
        problem("kvReplicas", "must be a whole number of replicas per shard from 0 to 5");
    } else if (replicas === 0 && env === "prod") {
        problem("kvReplicas", "must be at least 1 in prod: prod must survive the loss of a cache node (Multi-AZ with automatic failover)");
    }
    const shards = parseInteger(text("kvShards"));
    if (shards === undefined || shards < 1 || shards > 500) {
        problem("kvShards", "must be a whole number of shards from 1 to 500 (more than 1 turns on cluster mode)");
    }
    const engineVersion = text("kvEngineVersion");
    if (!/^8\.[0-9]+$/.test(engineVersion)) {
        problem("kvEngineVersion", "must be a Valkey 8.x engine version such as 8.2 (major.minor)");
    }
    return { nodeType, replicas: replicas ?? 0, shards: shards ?? 1, engineVersion };
}

const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function checkMonitoring(raw: RawConfig, text: TextOf, problem: Report, env: Environment | undefined): MonitoringSettings {
    const emails = (key: "alertEmails" | "budgetEmails"): string[] => {
        const list = parseStringList(raw[key], CONFIG_DEFAULTS[key]);
        if (list === undefined || !list.every((e) => EMAIL_PATTERN.test(e))) {
            problem(key, "must be a list of e-mail addresses such as [\"oncall@example.com\"]");
            return [];
        }
        return list;
    };
    const alertEmails = emails("alertEmails");
    const budgetEmails = emails("budgetEmails");
    const pagerEndpoint = text("pagerEndpoint");
    if (pagerEndpoint !== "" && !/^https:\/\/[^\s/]+\.[^\s]+$/.test(pagerEndpoint)) {
        problem("pagerEndpoint", "must be empty or an https:// URL of the pager's SNS integration");
    }
    const ranged = (key: keyof typeof CONFIG_DEFAULTS, min: number, max: number, unit: string): number => {
        const value = parseInteger(text(key));
        if (value === undefined || value < min || value > max) {
            problem(key, `must be a whole number from ${min} to ${max} (${unit})`);
            return 0;
        }
        return value;
    };
    const alarmServerErrorCount = ranged("alarmServerErrorCount", 1, 100000, "5xx responses per 5 minutes");
    const alarmLatencyMs = ranged("alarmLatencyMs", 10, 60000, "milliseconds");
    const alarmCpuPercent = ranged("alarmCpuPercent", 10, 100, "percent");
    const alarmDbCpuPercent = ranged("alarmDbCpuPercent", 10, 100, "percent");
    const alarmDbFreeStorageGb = ranged("alarmDbFreeStorageGb", 1, 65536, "GB");
    const alarmDbConnections = ranged("alarmDbConnections", 1, 100000, "connections");
    const monthlyBudgetUsd = ranged("monthlyBudgetUsd", 0, 10000000, "US dollars; 0 = the policy pack's budget");
    const enableGrafana = parseBoolean(text("enableGrafana"));
    if (enableGrafana === undefined) {
        problem("enableGrafana", "must be true or false");
    } else if (enableGrafana && env !== undefined && env !== "prod") {
        problem("enableGrafana", "a Managed Grafana workspace is created in prod only; set it to false outside prod");
    }
    return {
        alertEmails,
        pagerEndpoint: pagerEndpoint || undefined,
        alarmServerErrorCount,
        alarmLatencyMs,
        alarmCpuPercent,
        alarmDbCpuPercent,
        alarmDbFreeStorageGb,
        alarmDbConnections,
        enableGrafana: enableGrafana ?? false,
        monthlyBudgetUsd,
        budgetEmails,
    };
}

/** Reads the stack's `memory-spine:` keys from the Pulumi engine and validates them. */
export function loadConfig(): StackConfig {
    const prefix = `${CONFIG_NAMESPACE}:`;
    const raw: Record<string, string> = {};
    const secretKeys = new Set<string>();
    for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (key.startsWith(prefix)) {
            const shortKey = key.slice(prefix.length);
            raw[shortKey] = value;
            if (runtimeConfig.isConfigSecret(key)) {
                secretKeys.add(shortKey);
            }
        }
    }
    return validateConfig(raw, secretKeys);
}

// Not in the SDK's typings, but how Pulumi itself tells which config values were encrypted.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtimeConfig = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(key: string): boolean };

function isOneOf<T extends string>(value: string | undefined, allowed: readonly T[]): value is T {
    return value !== undefined && (allowed as readonly string[]).includes(value);
}

function parseInteger(value: string): number | undefined {
    return /^[0-9]+$/.test(value) ? Number(value) : undefined;
}

function parseBoolean(value: string): boolean | undefined {
    return value === "true" ? true : value === "false" ? false : undefined;
}

function parseJson(value: string): unknown {
    try {
        return JSON.parse(value);
    } catch {
        return undefined;
    }
}

/** Lists arrive as JSON text; a bare string is accepted as a one-element list. */
function parseStringList(value: string | undefined, fallback: readonly string[]): string[] | undefined {
    if (value === undefined) {
        return [...fallback];
    }
    const trimmed = value.trim();
    if (!trimmed.startsWith("[")) {
        return trimmed === "" ? [] : [trimmed];
    }
    const parsed = parseJson(trimmed);
    if (!Array.isArray(parsed) || !parsed.every((item): item is string => typeof item === "string")) {
        return undefined;
    }
    return parsed.map((item) => item.trim());
}

/** Returns the tags, or a description of what is wrong with them. */
function parseTags(value: string | undefined): Record<string, string> | string {
    if (value === undefined) {
        return {};
    }
    const parsed = parseJson(value);
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        return "must be a map of tag names to string values, e.g. {Team: platform-engineering}";
    }
    const tags: Record<string, string> = {};
    const bad: string[] = [];
    for (const [key, tagValue] of Object.entries(parsed as Record<string, unknown>)) {
        if (typeof tagValue !== "string" || key.length === 0 || key.length > 128 || tagValue.length > 256 || key.toLowerCase().startsWith("aws:")) {
            bad.push(key);
        } else {
            tags[key] = tagValue;
        }
    }
    if (bad.length > 0) {
        return `tag(s) ${bad.join(", ")} not valid: keys 1-128 characters not starting with aws:, values strings of at most 256 characters`;
    }
    return tags;
}

function checkVaultAddress(address: string, environment: Environment): string | undefined {
    const requirement = environment === "dev" ? "must be an http(s):// URL of this environment's Vault" : "must be an https:// URL of this environment's Vault (plain http is allowed only in dev)";
    if (address === "") {
        return `required; ${requirement}`;
    }
    let url: URL;
    try {
        url = new URL(address);
    } catch {
        return requirement;
    }
    const allowedProtocols = environment === "dev" ? ["https:", "http:"] : ["https:"];
    if (!allowedProtocols.includes(url.protocol) || url.hostname === "" || url.username !== "" || url.password !== "") {
        return requirement;
    }
    return undefined;
}

function checkExistingNetwork(raw: RawConfig, problem: (key: string, allowed: string) => void): ExistingNetwork | undefined {
    const vpcId = raw.existingVpcId?.trim() ?? "";
    const publicSubnetIds = parseStringList(raw.existingPublicSubnetIds, []);
    const privateSubnetIds = parseStringList(raw.existingPrivateSubnetIds, []);
    const subnetsGiven = (publicSubnetIds?.length ?? 0) + (privateSubnetIds?.length ?? 0) > 0;
    if (vpcId === "") {
        if (subnetsGiven) {
            problem("existingVpcId", "required when existingPublicSubnetIds or existingPrivateSubnetIds are set");
        }
        return undefined;
    }
    if (!/^vpc-[0-9a-f]{8,17}$/.test(vpcId)) {
        problem("existingVpcId", "must be a VPC id such as vpc-0123456789abcdef0");
    }
    for (const [key, ids] of [["existingPublicSubnetIds", publicSubnetIds], ["existingPrivateSubnetIds", privateSubnetIds]] as const) {
        if (ids === undefined || ids.length < 2 || !ids.every((id) => /^subnet-[0-9a-f]{8,17}$/.test(id))) {
            problem(key, "must list at least two subnet ids such as subnet-0123456789abcdef0, in different availability zones, when existingVpcId is set");
        }
    }
    return { vpcId, publicSubnetIds: publicSubnetIds ?? [], privateSubnetIds: privateSubnetIds ?? [] };
}

function isCron(expression: string): boolean {
    const fields = expression.split(/\s+/);
    return fields.length === 5 && fields.every((field) => CRON_FIELD_PATTERN.test(field));
}

function isTimeZone(zone: string): boolean {
    try {
        new Intl.DateTimeFormat("en-US", { timeZone: zone });
        return zone.length > 0;
    } catch {
        return false;
    }
}

export { isIpv4Cidr };
