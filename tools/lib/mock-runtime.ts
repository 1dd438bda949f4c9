import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { awsMocks } from "./mocks";
import { firstPreviewMocks } from "./first-preview-mocks";
import { EngineConfig, loadEngineConfig, projectName, stackFilePath, stackNameOf } from "./stack-config";
import type { RecordedOptions, RecordedResource } from "./recorded-resource";

/** What one run of the program under mocks produced. */
export interface ProgramRun {
    stack: string;
    config: EngineConfig;
    resources: RecordedResource[];
    /** Stack outputs, resolved; `secret` says whether Pulumi would store the value encrypted. */
    outputs: Record<string, { value: unknown; secret: boolean }>;
    /** The program's error (bad config, failed apply), if it failed. */
    error?: Error;
}

export interface RunOptions {
    /** Stack name (Pulumi.<stack>.yaml in the project) or a path to a stack file. */
    stack: string;
    projectDir?: string;
    /** Config keys to set or (with undefined) remove on top of the stack file, e.g. `{ instanceCount: 0 }`. */
    overrides?: Record<string, unknown>;
    /**
     * Called as each resource's registration completes, with the resources registered so far
     * (the list grows during the run), e.g. to analyze it while the program goes on, as the
     * engine does.
     */
    onRegistered?: (resource: RecordedResource, registeredSoFar: readonly RecordedResource[]) => void;
    /**
     * Run as the first `pulumi preview` of a new stack: a dry run in which every value a provider
     * computes on create is unknown (tools/lib/first-preview-mocks.ts).
     */
    firstPreview?: boolean;
}

export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

/** Told about every finished run, e.g. so that a test can check what every variant registered. */
export type RunObserver = (run: ProgramRun, options: RunOptions) => void;
const runObservers: RunObserver[] = [];

/** Adds an observer of every later run in this process. */
export function observeRuns(observer: RunObserver): void {
    runObservers.push(observer);
}

interface RegisterResponse {
    getUrn(): string;
    getId(): string;
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}
type RegisterCallback = (err: Error | null, response?: RegisterResponse) => void;
interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
    getProtect(): boolean | undefined;
    getDependenciesList(): string[];
    getProvider(): string;
    getPropertydependenciesMap(): { forEach(cb: (value: { getUrnsList(): string[] }, key: string) => void): void };
    getDeletebeforereplace(): boolean;
    getIgnorechangesList(): string[];
    getAdditionalsecretoutputsList(): string[];
    getAliasurnsList(): string[];
    /** Alias specs (the SDK sends these instead of URNs when the monitor supports them). */
    getAliasesList(): { getUrn(): string; getSpec(): { getName(): string } | undefined }[];
    getRetainondelete(): boolean | undefined;
    getReplaceonchangesList(): string[];
    getCustomtimeouts(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
}
interface MonitorWithRegister {
    registerResource(req: RegisterRequest, callback: RegisterCallback): unknown;
}

// Internal to @pulumi/pulumi but stable since 3.0: resolves once every outstanding RPC is done.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };

/**
 * Runs the real program (index.ts) under Pulumi's mock runtime with a stack's config and
 * records every resource it registers together with its resource options (the mock
 * callbacks never see options, so the monitor's registerResource is wrapped).
 * Runs are sequential: the Pulumi runtime is process-global.
 */
export async function runProgram(options: RunOptions): Promise<ProgramRun> {
    const projectDir = options.projectDir ?? PROJECT_DIR;
    const stackFile = stackFilePath(projectDir, options.stack);
    const stack = stackNameOf(stackFile);
    const config = loadEngineConfig(projectDir, stackFile, options.overrides);

    pulumi.runtime.setAllConfig(config.values, config.secretKeys);
    const preview = options.firstPreview === true;
    await pulumi.runtime.setMocks(preview ? firstPreviewMocks(awsMocks) : awsMocks, projectName(projectDir), stack, preview);
    const resources: RecordedResource[] = [];
    recordRegistrations(pulumi.runtime.getMonitor() as unknown as MonitorWithRegister, resources, options.onRegistered);

    const run: ProgramRun = { stack, config, resources, outputs: {} };
    // A failed apply surfaces as an unhandled rejection and leaves the runtime's RPC queue
    // waiting forever, so the first failure ends the run; the timer keeps Node alive meanwhile.
    let failed: (error: Error) => void = () => undefined;
    const failure = new Promise<never>((_, reject) => {
        failed = reject;
    });
    const onRejection = (reason: unknown) => failed(asError(reason));
    const keepAlive = setInterval(() => undefined, 1000);
    process.on("unhandledRejection", onRejection);
    // The runtime formats a stack trace for each of its internal promises, kept only for
    // PULUMI_DEBUG_PROMISE_LEAKS; that formatting is about a third of a run. A run reports
    // errors by message, and resource source positions are unaffected (the SDK lifts the limit
    // itself when it reads them).
    const stackTraceLimit = Error.stackTraceLimit;
    if (!process.env.PULUMI_DEBUG_PROMISE_LEAKS) {
        Error.stackTraceLimit = 0;
    }
    try {
        await Promise.race([failure, evaluateProgram(projectDir, run)]);
    } catch (err) {
        run.error = asError(err);
    } finally {
        Error.stackTraceLimit = stackTraceLimit;
        clearInterval(keepAlive);
        process.off("unhandledRejection", onRejection);
    }
    runObservers.forEach((observe) => observe(run, options));
    return run;
}

async function evaluateProgram(projectDir: string, run: ProgramRun): Promise<void> {
    forgetProgramModules(projectDir);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program's path is only known at run time, and it is re-required after forgetProgramModules
    const program = require(path.join(projectDir, "index")) as Record<string, unknown>;
    for (const [name, value] of Object.entries(program)) {
        if (pulumi.Output.isInstance(value)) {
            run.outputs[name] = await resolveOutput(value);
        } else if (value !== undefined) {
            run.outputs[name] = { value, secret: false };
        }
    }
    await settings.waitForRPCs();
}

function recordRegistrations(monitor: MonitorWithRegister, resources: RecordedResource[], onRegistered: RunOptions["onRegistered"]): void {
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => {
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((deps, key) => {
            propertyDependencies[key] = deps.getUrnsList();
        });
        const timeouts = req.getCustomtimeouts();
        const recordedOptions: RecordedOptions = {
            protect: req.getProtect() ?? false,
            ignoreChanges: req.getIgnorechangesList(),
            deleteBeforeReplace: req.getDeletebeforereplace(),
            dependencies: req.getDependenciesList(),
            propertyDependencies,
            provider: req.getProvider() || undefined,
            additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
            retainOnDelete: req.getRetainondelete() ?? false,
            // Alias URNs, and for alias specs the old name they keep the resource's identity under.
            aliases: [...req.getAliasurnsList(), ...req.getAliasesList().map((a) => a.getSpec()?.getName() || a.getUrn())],
            replaceOnChanges: req.getReplaceonchangesList(),
            customTimeouts: timeouts ? { create: timeouts.getCreate(), update: timeouts.getUpdate(), delete: timeouts.getDelete() } : undefined,
        };
        const base = {
            type: req.getType(),
            name: req.getName(),
            custom: req.getCustom(),
            inputs: req.getObject()?.toJavaScript() ?? {},
            parent: req.getParent() || undefined,
            options: recordedOptions,
        };
        return original(req, (err, response) => {
            if (!err && response) {
                const resource: RecordedResource = { urn: response.getUrn(), ...base, id: response.getId() || undefined, outputs: response.getObject()?.toJavaScript() };
                resources.push(resource);
                onRegistered?.(resource, resources);
            }
            // Answer on a later turn of the event loop, as the engine's gRPC reply would arrive.
            // The mock monitor answers in the same chain of promises, which would keep the loop
            // from polling I/O for the whole run (a pack's replies would wait until the end).
            setImmediate(() => callback(err, response));
        });
    };
}

/** Drops the project's own modules from require's cache so that each run registers afresh. */
function forgetProgramModules(projectDir: string): void {
    const programDirs = [path.join(projectDir, "index"), path.join(projectDir, "components") + path.sep];
    for (const key of Object.keys(require.cache)) {
        if (programDirs.some((prefix) => key.startsWith(prefix))) {
            delete require.cache[key];
        }
    }
}

async function resolveOutput(output: pulumi.Output<unknown>): Promise<{ value: unknown; secret: boolean }> {
    // Output's promise accessors are internal; they are how Pulumi's own test helpers read outputs.
    const internal = output as unknown as { promise(): Promise<unknown>; isSecret: Promise<boolean> };
    const [value, secret] = await Promise.all([internal.promise(), internal.isSecret]);
    return { value, secret };
}

function asError(reason: unknown): Error {
    return reason instanceof Error ? reason : new Error(String(reason));
}
