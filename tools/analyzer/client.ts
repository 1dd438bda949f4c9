/**
 * Analyzer client: runs a CrossGuard policy pack as its own process and talks to it over the
 * analyzer gRPC protocol, exactly as `pulumi preview --policy-pack` does:
 *
 *   pack process prints its port on stdout -> GetAnalyzerInfo -> Configure (config per policy,
 *   defaults reconciled like the CLI) -> Analyze (each resource's inputs + AnalyzerResourceOptions
 *   + provider) -> AnalyzeStack (all resources with parent, dependencies, propertyDependencies).
 *
 * Policy logic is never evaluated here: the client only serialises requests and decodes
 * diagnostics.
 *
 *   const pack = await startPolicyPack();                 // policy-pack/, ~1 s
 *   await pack.configure(loadPolicyPackConfig("policy-pack/config/dev.json"));
 *   const v1 = await pack.analyze(resource, { resources }); // per resource
 *   const v2 = await pack.analyzeStack(resources);
 *   await pack.close();
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { JavaScriptValue, Struct } from "google-protobuf/google/protobuf/struct_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as pb from "@pulumi/pulumi/proto/analyzer_pb";
import type { RecordedResource } from "../lib/recorded-resource";
import {
    ConfigurablePolicy,
    EnforcementLevel,
    JsonObject,
    JsonValue,
    PolicyConfigError,
    PolicyPackConfigFile,
    ResolvedPolicyConfig,
    reconcilePolicyConfig,
} from "./config";

export * from "./config";

/** A resource as registered by a Pulumi program; one definition, shared with the mock runtime. */
export type { RecordedResource };

export interface PolicyViolation {
    policyName: string;
    policyPackName: string;
    policyPackVersion: string;
    /** The policy's description. */
    description: string;
    /** Full message as the CLI shows it: the description, a newline, then the policy's own text. */
    message: string;
    /** The policy's own text (message without the leading description line). */
    detail: string;
    enforcementLevel: EnforcementLevel;
    /** Resource the violation is about; undefined for stack-wide violations. */
    urn?: string;
    severity?: "low" | "medium" | "high" | "critical";
}

export interface NotApplicable {
    policyName: string;
    reason: string;
}

export interface AnalyzeResult {
    violations: PolicyViolation[];
    notApplicable: NotApplicable[];
}

export interface AnalyzerPolicyInfo extends ConfigurablePolicy {
    displayName: string;
    description: string;
    policyType: "resource" | "stack" | "unknown";
}

export interface AnalyzerInfo {
    name: string;
    version: string;
    displayName: string;
    description: string;
    supportsConfig: boolean;
    policies: AnalyzerPolicyInfo[];
    initialConfig: Record<string, ResolvedPolicyConfig>;
}

export interface StackInfo {
    stack: string;
    project: string;
    organization?: string;
    dryRun?: boolean;
    tags?: Record<string, string>;
    config?: Record<string, string>;
}

export interface StartOptions {
    /** Policy pack directory (default: <repo>/policy-pack). */
    packDir?: string;
    /**
     * "transpile" (default): `node -r tools/lib/defer-closure-deps.js -r tools/lib/register-ts.js
     * index.ts` in the pack dir (types stripped, transpiled output cached on disk, the SDK's
     * function-serialization dependencies loaded only if used).
     * "cli": `node @pulumi/pulumi/cmd/run-policy-pack <engine> <packDir>`, the command the CLI's
     * nodejs policy host runs (type-checks the pack first, so it is slower).
     */
    mode?: "transpile" | "cli";
    /** How long to wait for the port (default 30 s). */
    startTimeoutMs?: number;
    /** Extra environment for the pack process. */
    env?: Record<string, string>;
}

export const DEFAULT_PACK_DIR = path.resolve(__dirname, "..", "..", "policy-pack");
const MAX_MESSAGE_SIZE = 400 * 1024 * 1024;

const LEVEL_FROM_PB: Record<number, EnforcementLevel> = {
    [pb.EnforcementLevel.ADVISORY]: "advisory",
    [pb.EnforcementLevel.MANDATORY]: "mandatory",
    [pb.EnforcementLevel.REMEDIATE]: "remediate",
    [pb.EnforcementLevel.DISABLED]: "disabled",
};
const LEVEL_TO_PB: Record<EnforcementLevel, pb.EnforcementLevel> = {
    advisory: pb.EnforcementLevel.ADVISORY,
    mandatory: pb.EnforcementLevel.MANDATORY,
    remediate: pb.EnforcementLevel.REMEDIATE,
    disabled: pb.EnforcementLevel.DISABLED,
};
const SEVERITY_FROM_PB: Record<number, PolicyViolation["severity"]> = {
    [pb.PolicySeverity.POLICY_SEVERITY_LOW]: "low",
    [pb.PolicySeverity.POLICY_SEVERITY_MEDIUM]: "medium",
    [pb.PolicySeverity.POLICY_SEVERITY_HIGH]: "high",
    [pb.PolicySeverity.POLICY_SEVERITY_CRITICAL]: "critical",
};

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_REFERENCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * Plain JSON for protobuf Struct, in the form the engine hands properties to analyzers: secrets
 * keep their signature wrapper, unknowns their sentinel; resource references become the
 * referenced resource's id (its URN for components) and output values their value (a secret if
 * they are secret, unknown if they have none), since the engine marshals analyzer properties
 * without either. Drops undefined/functions; Date -> ISO string, Buffer -> base64.
 */
export function toJson(value: unknown): JsonValue | undefined {
    if (value === null) {
        return null;
    }
    switch (typeof value) {
        case "string":
        case "boolean":
            return value;
        case "number":
            return Number.isFinite(value) ? value : null;
        case "bigint":
            return Number(value);
        case "undefined":
        case "function":
        case "symbol":
            return undefined;
        default:
            break;
    }
    if (Array.isArray(value)) {
        return value.map((v) => toJson(v) ?? null);
    }
    if (value instanceof Date) {
        return value.toISOString();
    }
    if (Buffer.isBuffer(value)) {
        return value.toString("base64");
    }
    const record = value as Record<string, unknown>;
    if (record[SIG_KEY] === RESOURCE_REFERENCE_SIG) {
        const id = typeof record["id"] === "string" && record["id"] !== "" ? record["id"] : undefined;
        return toJson(id ?? record["urn"]);
    }
    if (record[SIG_KEY] === OUTPUT_VALUE_SIG) {
        if (!("value" in record)) {
            return UNKNOWN_VALUE;
        }
        const inner = toJson(record["value"]) ?? null;
        return record["secret"] === true ? { [SIG_KEY]: SECRET_SIG, value: inner } : inner;
    }
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(record)) {
        const j = toJson(v);
        if (j !== undefined) {
            out[k] = j;
        }
    }
    return out;
}

export function toStruct(value: Record<string, unknown>): Struct {
    const json = toJson(value);
    return Struct.fromJavaScript((json ?? {}) as { [key: string]: JavaScriptValue });
}

/** Seconds of a Pulumi duration string ("1h30m", "10m", "45s", "1.5h"). */
export function durationSeconds(text: string | undefined): number {
    if (!text) {
        return 0;
    }
    let total = 0;
    const re = /(\d+(?:\.\d+)?)(h|m|s)/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
        total += Number(m[1]) * (m[2] === "h" ? 3600 : m[2] === "m" ? 60 : 1);
    }
    return total;
}

/** Type and name encoded in a URN: urn:pulumi:<stack>::<project>::<parent$type>::<name>. */
export function parseUrn(urn: string): { type: string; name: string } {
    const parts = urn.split("::");
    if (parts.length < 4) {
        return { type: "", name: urn };
    }
    const qualified = parts[2];
    return { type: qualified.slice(qualified.lastIndexOf("$") + 1), name: parts.slice(3).join("::") };
}

/** Splits a provider reference "<urn>::<id>". */
export function parseProviderReference(ref: string): { urn: string; id: string } {
    const i = ref.lastIndexOf("::");
    return i < 0 ? { urn: ref, id: "" } : { urn: ref.slice(0, i), id: ref.slice(i + 2) };
}

function resourceOptions(r: RecordedResource): pb.AnalyzerResourceOptions {
    const o = r.options ?? {};
    const opts = new pb.AnalyzerResourceOptions();
    opts.setProtect(o.protect === true);
    opts.setIgnorechangesList(o.ignoreChanges ?? []);
    if (o.deleteBeforeReplace !== undefined) {
        opts.setDeletebeforereplace(o.deleteBeforeReplace);
        opts.setDeletebeforereplacedefined(true);
    }
    opts.setAdditionalsecretoutputsList(o.additionalSecretOutputs ?? []);
    opts.setAliasesList(o.aliases ?? []);
    const timeouts = new pb.AnalyzerResourceOptions.CustomTimeouts();
    timeouts.setCreate(durationSeconds(o.customTimeouts?.create));
    timeouts.setUpdate(durationSeconds(o.customTimeouts?.update));
    timeouts.setDelete(durationSeconds(o.customTimeouts?.delete));
    opts.setCustomtimeouts(timeouts);
    if (r.parent) {
        opts.setParent(r.parent);
    }
    return opts;
}

function providerResource(r: RecordedResource, known: ReadonlyMap<string, RecordedResource>): pb.AnalyzerProviderResource | undefined {
    const ref = r.options?.provider;
    if (!ref) {
        return undefined;
    }
    const { urn } = parseProviderReference(ref);
    const recorded = known.get(urn);
    const fromUrn = parseUrn(urn);
    const provider = new pb.AnalyzerProviderResource();
    provider.setUrn(urn);
    provider.setType(recorded?.type ?? fromUrn.type);
    provider.setName(recorded?.name ?? fromUrn.name);
    provider.setProperties(toStruct(recorded?.inputs ?? {}));
    return provider;
}

function stripDescription(message: string, description: string): string {
    const prefix = `${description}\n`;
    return description !== "" && message.startsWith(prefix) ? message.slice(prefix.length) : message;
}

function decodeResponse(res: pb.AnalyzeResponse, defaultUrn?: string): AnalyzeResult {
    const violations = res.getDiagnosticsList().map((d): PolicyViolation => {
        const urn = d.getUrn() || defaultUrn;
        const severity = SEVERITY_FROM_PB[d.getSeverity()];
        return {
            policyName: d.getPolicyname(),
            policyPackName: d.getPolicypackname(),
            policyPackVersion: d.getPolicypackversion(),
            description: d.getDescription(),
            message: d.getMessage(),
            detail: stripDescription(d.getMessage(), d.getDescription()),
            enforcementLevel: LEVEL_FROM_PB[d.getEnforcementlevel()] ?? "advisory",
            ...(urn ? { urn } : {}),
            ...(severity ? { severity } : {}),
        };
    });
    const notApplicable = res.getNotApplicableList().map((n) => ({ policyName: n.getPolicyName(), reason: n.getReason() }));
    return { violations, notApplicable };
}

type Unary<Req, Res> = (req: Req, callback: (err: grpc.ServiceError | null, res: Res) => void) => grpc.ClientUnaryCall;

function call<Req, Res>(fn: Unary<Req, Res>, req: Req): Promise<Res> {
    return new Promise((resolve, reject) => fn(req, (err, res) => (err ? reject(err) : resolve(res))));
}

export class PolicyPackClient {
    private info?: AnalyzerInfo;
    private closed = false;
    private readonly exitHook = (): void => {
        if (this.child.exitCode === null) {
            this.child.kill("SIGKILL");
        }
    };

    constructor(
        private readonly child: ChildProcess,
        private readonly client: AnalyzerClient,
        /** Port the pack listens on (127.0.0.1). */
        readonly port: number,
        /** Everything the pack wrote to stderr so far. */
        private readonly stderr: () => string,
    ) {
        process.once("exit", this.exitHook);
    }

    get pid(): number | undefined {
        return this.child.pid;
    }

    /** A unary call; when the pack process has died, the error carries its stderr. */
    private async rpc<Req, Res>(fn: Unary<Req, Res>, req: Req): Promise<Res> {
        try {
            return await call(fn, req);
        } catch (e) {
            if (this.child.exitCode !== null || this.child.signalCode !== null) {
                throw new Error(`${(e as Error).message}\npolicy pack process ended (code ${this.child.exitCode}, signal ${this.child.signalCode}):\n${this.stderr()}`, { cause: e });
            }
            throw e;
        }
    }

    /** Name, version, policies (with enforcement levels and config schemas) and initial config. */
    async getAnalyzerInfo(): Promise<AnalyzerInfo> {
        if (this.info !== undefined) {
            return this.info;
        }
        const res = await this.rpc<Empty, pb.AnalyzerInfo>((q, cb) => this.client.getAnalyzerInfo(q, cb), new Empty());
        const policyTypes: Record<number, AnalyzerPolicyInfo["policyType"]> = {
            [pb.PolicyType.POLICY_TYPE_RESOURCE]: "resource",
            [pb.PolicyType.POLICY_TYPE_STACK]: "stack",
        };
        const initialConfig: Record<string, ResolvedPolicyConfig> = {};
        res.getInitialconfigMap().forEach((v, k) => {
            initialConfig[k] = {
                enforcementLevel: LEVEL_FROM_PB[v.getEnforcementlevel()] ?? "advisory",
                properties: (v.getProperties()?.toJavaScript() ?? {}),
            };
        });
        this.info = {
            name: res.getName(),
            version: res.getVersion(),
            displayName: res.getDisplayname(),
            description: res.getDescription(),
            supportsConfig: res.getSupportsconfig(),
            initialConfig,
            policies: res.getPoliciesList().map((p) => {
                const schema = p.getConfigschema();
                return {
                    name: p.getName(),
                    displayName: p.getDisplayname(),
                    description: p.getDescription(),
                    enforcementLevel: LEVEL_FROM_PB[p.getEnforcementlevel()] ?? "advisory",
                    policyType: policyTypes[p.getPolicyType()] ?? "unknown",
                    ...(schema
                        ? {
                              configSchema: {
                                  properties: (schema.getProperties()?.toJavaScript() ?? {}),
                                  required: schema.getRequiredList(),
                              },
                          }
                        : {}),
                };
            }),
        };
        return this.info;
    }

    /** The version the pack reports in GetPluginInfo. */
    async getPluginInfo(): Promise<string> {
        const res = await this.rpc<Empty, { getVersion(): string }>((q, cb) => this.client.getPluginInfo(q, cb), new Empty());
        return res.getVersion();
    }

    /**
     * Sends the configuration (a `--policy-pack-config` object) the way the CLI does: schema
     * defaults, then the pack's initial config, then `config`; validated against each policy's
     * schema. Throws PolicyConfigError listing every problem. Returns what was sent.
     */
    async configure(config: PolicyPackConfigFile = {}): Promise<Record<string, ResolvedPolicyConfig>> {
        const info = await this.getAnalyzerInfo();
        const reconciled = reconcilePolicyConfig(info.policies, config, info.initialConfig);
        if (reconciled.errors.length > 0) {
            throw new PolicyConfigError(reconciled.errors);
        }
        const req = new pb.ConfigureAnalyzerRequest();
        const map = req.getPolicyconfigMap();
        for (const [name, c] of Object.entries(reconciled.config)) {
            const pc = new pb.PolicyConfig();
            pc.setEnforcementlevel(LEVEL_TO_PB[c.enforcementLevel]);
            pc.setProperties(toStruct(c.properties));
            map.set(name, pc);
        }
        await this.rpc<pb.ConfigureAnalyzerRequest, Empty>((q, cb) => this.client.configure(q, cb), req);
        return reconciled.config;
    }

    /** Stack identity and tags (policies see them as `stackTags`). */
    async configureStack(stack: StackInfo): Promise<void> {
        const req = new pb.AnalyzerStackConfigureRequest();
        req.setStack(stack.stack);
        req.setProject(stack.project);
        req.setOrganization(stack.organization ?? "organization");
        req.setDryRun(stack.dryRun ?? true);
        for (const [k, v] of Object.entries(stack.tags ?? {})) {
            req.getTagsMap().set(k, v);
        }
        for (const [k, v] of Object.entries(stack.config ?? {})) {
            req.getConfigMap().set(k, v);
        }
        await this.rpc<pb.AnalyzerStackConfigureRequest, pb.AnalyzerStackConfigureResponse>(
            (q, cb) => this.client.configureStack(q, cb),
            req,
        );
    }

    /**
     * Analyze one resource (its inputs), as the engine does before registering it.
     * @param context.resources the other recorded resources, to resolve the provider reference
     */
    async analyzeDetailed(resource: RecordedResource, context: { resources?: readonly RecordedResource[] } = {}): Promise<AnalyzeResult> {
        const known = new Map((context.resources ?? []).map((r) => [r.urn, r]));
        const req = new pb.AnalyzeRequest();
        req.setUrn(resource.urn);
        req.setType(resource.type);
        req.setName(resource.name);
        req.setProperties(toStruct(resource.inputs ?? {}));
        req.setOptions(resourceOptions(resource));
        const provider = providerResource(resource, known);
        if (provider) {
            req.setProvider(provider);
        }
        const res = await this.rpc<pb.AnalyzeRequest, pb.AnalyzeResponse>((q, cb) => this.client.analyze(q, cb), req);
        return decodeResponse(res, resource.urn);
    }

    /** Violations of the resource policies for one resource. */
    async analyze(resource: RecordedResource, context: { resources?: readonly RecordedResource[] } = {}): Promise<PolicyViolation[]> {
        return (await this.analyzeDetailed(resource, context)).violations;
    }

    /** Analyze the whole stack (stack policies), with parents, dependencies and propertyDependencies. */
    async analyzeStackDetailed(resources: readonly RecordedResource[]): Promise<AnalyzeResult> {
        const known = new Map(resources.map((r) => [r.urn, r]));
        const req = new pb.AnalyzeStackRequest();
        req.setResourcesList(
            resources.map((r) => {
                const ar = new pb.AnalyzerResource();
                ar.setUrn(r.urn);
                ar.setType(r.type);
                ar.setName(r.name);
                const props: Record<string, unknown> = { ...(r.inputs ?? {}), ...(r.outputs ?? {}) };
                if (r.id !== undefined && props["id"] === undefined) {
                    props["id"] = r.id;
                }
                ar.setProperties(toStruct(props));
                ar.setOptions(resourceOptions(r));
                const provider = providerResource(r, known);
                if (provider) {
                    ar.setProvider(provider);
                }
                if (r.parent) {
                    ar.setParent(r.parent);
                }
                ar.setDependenciesList(r.options?.dependencies ?? []);
                const deps = ar.getPropertydependenciesMap();
                for (const [prop, urns] of Object.entries(r.options?.propertyDependencies ?? {})) {
                    const d = new pb.AnalyzerPropertyDependencies();
                    d.setUrnsList(urns);
                    deps.set(prop, d);
                }
                return ar;
            }),
        );
        const res = await this.rpc<pb.AnalyzeStackRequest, pb.AnalyzeResponse>((q, cb) => this.client.analyzeStack(q, cb), req);
        return decodeResponse(res);
    }

    async analyzeStack(resources: readonly RecordedResource[]): Promise<PolicyViolation[]> {
        return (await this.analyzeStackDetailed(resources)).violations;
    }

    /** Stderr of the pack process (policy console output, crashes). */
    get diagnostics(): string {
        return this.stderr();
    }

    /** Closes the channel and ends the pack process. */
    async close(): Promise<void> {
        if (this.closed) {
            return;
        }
        this.closed = true;
        process.removeListener("exit", this.exitHook);
        this.client.close();
        if (this.child.exitCode !== null || this.child.signalCode !== null) {
            return;
        }
        await new Promise<void>((resolve) => {
            const timer = setTimeout(() => this.child.kill("SIGKILL"), 2000);
            this.child.once("exit", () => {
                clearTimeout(timer);
                resolve();
            });
            this.child.kill("SIGTERM");
        });
    }
}

function packCommand(packDir: string, mode: "transpile" | "cli"): string[] {
    if (mode === "cli") {
        const runner = path.dirname(require.resolve("@pulumi/pulumi/cmd/run-policy-pack/index.js"));
        // The CLI passes the engine address first; the policy host only drops it.
        return [runner, "127.0.0.1:0", packDir];
    }
    const lib = path.join(__dirname, "..", "lib");
    return ["-r", path.join(lib, "defer-closure-deps.js"), "-r", path.join(lib, "register-ts.js"), path.join(packDir, "index.ts")];
}

/** Starts the pack process, waits for the port it prints, and connects. */
export async function startPolicyPack(options: StartOptions = {}): Promise<PolicyPackClient> {
    const packDir = path.resolve(options.packDir ?? DEFAULT_PACK_DIR);
    const mode = options.mode ?? "transpile";
    const child = spawn(process.execPath, packCommand(packDir, mode), {
        cwd: packDir,
        stdio: ["ignore", "pipe", "pipe"],
        env: {
            ...process.env,
            TS_NODE_PROJECT: path.join(packDir, "tsconfig.json"),
            ...(options.env ?? {}),
        },
    });
    let stderr = "";
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
        stderr += chunk;
    });
    const port = await new Promise<number>((resolve, reject) => {
        let stdout = "";
        const timeoutMs = options.startTimeoutMs ?? 30_000;
        const timer = setTimeout(() => {
            child.kill("SIGKILL");
            reject(new Error(`policy pack at ${packDir} printed no port within ${timeoutMs} ms\n${stderr}`));
        }, timeoutMs);
        const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
            clearTimeout(timer);
            reject(new Error(`policy pack at ${packDir} exited (code ${code}, signal ${signal}) before printing its port\n${stderr}`));
        };
        child.once("exit", onExit);
        child.stdout?.setEncoding("utf8");
        const onData = (chunk: string): void => {
            stdout += chunk;
            const newline = stdout.indexOf("\n");
            if (newline < 0) {
                return;
            }
            const first = stdout.slice(0, newline).trim();
            child.stdout?.removeListener("data", onData);
            child.stdout?.resume(); // keep draining later console output
            child.removeListener("exit", onExit);
            clearTimeout(timer);
            const n = Number(first);
            if (!Number.isInteger(n) || n <= 0) {
                child.kill("SIGKILL");
                reject(new Error(`policy pack printed "${first}" instead of a port\n${stderr}`));
                return;
            }
            resolve(n);
        };
        child.stdout?.on("data", onData);
    });
    const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
        "grpc.max_receive_message_length": MAX_MESSAGE_SIZE,
        "grpc.max_send_message_length": MAX_MESSAGE_SIZE,
    });
    try {
        await new Promise<void>((resolve, reject) =>
            client.waitForReady(Date.now() + 10_000, (err) => (err ? reject(err) : resolve())),
        );
    } catch (e) {
        child.kill("SIGKILL");
        client.close();
        throw e;
    }
    return new PolicyPackClient(child, client, port, () => stderr);
}
