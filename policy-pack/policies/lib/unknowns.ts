/**
 * Deciding with values unknown at preview.
 *
 * The typed readers in props.ts turn an unknown value into `undefined`, so a policy never crashes
 * on one and still runs its other checks. But a check skipped that way has not passed: it could
 * not decide. The policy wrappers (policy.ts) therefore run each validation while recording every
 * property it reads that is unknown; the violations it reports stand, and if it read any unknown
 * value the wrapper then throws @pulumi/policy's UnknownValueError naming them, which the policy
 * runtime turns into the CLI's advisory "can't run policy '<name>' ... during preview: <values>".
 * With every value known (`pulumi up`, the offline plan) nothing changes.
 */
import { isRecord, isUnknown, rawProps } from "./props";

// The policy runtime recognises this class (server.js: `e instanceof UnknownValueError`); the
// package exports it, but its typings leave it out (@internal).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { UnknownValueError } = require("@pulumi/policy") as { UnknownValueError: new (unknownSentinel: string, path: string[]) => Error };

/** Key under which a props view answers with its raw object (as the policy runtime's proxy does; see rawProps). */
const PROXY_TARGET_KEY = "__getSpecialProxyTarget";

/** Key under which a recording view answers with a function that records a read below it. */
const RECORD_KEY = "__recordUnknownRead";

/** The string sentinel: what UnknownValueError needs to name a value's type. */
const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The unknown properties one running validation has read, or undefined outside one. */
let reads: Set<string> | undefined;

/** Thrown after a validation that read values unknown at preview (after its violations were reported). */
export class UndecidedAtPreview extends UnknownValueError {
    readonly paths: string[];

    constructor(paths: string[]) {
        super(UNKNOWN_STRING, []);
        this.paths = paths;
        this.message = `${paths.length === 1 ? "value" : "values"} ${paths.map((p) => `.${p}`).join(", ")} can't be known during preview`;
    }
}

function containsUnknown(value: unknown): boolean {
    if (isUnknown(value)) {
        return true;
    }
    if (Array.isArray(value)) {
        return value.some(containsUnknown);
    }
    return isRecord(value) && Object.values(value).some(containsUnknown);
}

function recording<T extends object>(target: T, path: string, sink: Set<string>): T {
    return new Proxy(target, {
        get(obj, key, receiver) {
            if (key === PROXY_TARGET_KEY) {
                return obj;
            }
            if (key === RECORD_KEY) {
                return (below: string) => sink.add(path === "" ? below : `${path}.${below}`);
            }
            const value: unknown = Reflect.get(obj, key, receiver);
            if (typeof key !== "string") {
                return value;
            }
            const at = path === "" ? key : `${path}.${key}`;
            if (isUnknown(value)) {
                sink.add(at);
            } else if (value !== null && typeof value === "object") {
                return recording(value, at, sink);
            }
            return value;
        },
    });
}

/**
 * `props` as a validation should read them: while one runs and the props hold an unknown value,
 * a view that records which unknown values are read (named `label.path`); otherwise `props`.
 */
export function watchUnknowns<T extends object>(props: T, label = ""): T {
    return reads !== undefined && containsUnknown(props) ? recording(props, label, reads) : props;
}

/**
 * Whether `container[key]` will hold a value after apply: a known non-empty value, or an unknown
 * one (an output of a resource not created yet, such as a generated bucket name or a certificate
 * ARN). A policy that only needs to know that something is set decides with it at preview.
 */
export function willBeSet(container: unknown, key: string): boolean {
    const value = rawProps(container)[key];
    return isUnknown(value) || (value !== undefined && value !== null && value !== "");
}

/**
 * Records that a validation needed `props`' value at `path` and found it unknown, for readers that
 * go through the raw props (e.g. the tag readers, which enumerate every tag but need only some).
 */
export function markUndecided(props: unknown, path: string): void {
    const record = typeof props === "object" && props !== null ? (props as Record<string, unknown>)[RECORD_KEY] : undefined;
    if (typeof record === "function") {
        (record as (below: string) => void)(path);
    }
}

/**
 * Takes back the recorded reads under `path` (`label.property...`): the validation found what it
 * needed another way, e.g. a reference resolved through the engine's property dependencies.
 */
export function forgetUnknownReads(path: string): void {
    for (const read of [...(reads ?? [])]) {
        if (read === path || read.startsWith(`${path}.`)) {
            reads?.delete(read);
        }
    }
}

/** Runs a validation; throws UndecidedAtPreview afterwards if it read a value unknown at preview. */
export function decideWithUnknowns(validate: () => void): void {
    const outer = reads;
    const mine = new Set<string>();
    reads = mine;
    try {
        validate();
    } finally {
        reads = outer;
    }
    if (mine.size > 0) {
        throw new UndecidedAtPreview([...mine].sort());
    }
}
