/**
 * Safe readers for resource properties as the policy runtime hands them over.
 *
 * @pulumi/policy wraps `props` in a proxy that throws as soon as a policy touches a value that is
 * unknown during preview (an output of a resource not created yet). An uncaught throw aborts the
 * whole policy for that resource (the CLI then shows an advisory "can't run policy during preview").
 * Every policy here therefore reads the raw property bag (`rawProps`) and decides per value: a value
 * that is unknown is reported as `undefined` by the typed readers and checks that need it are
 * skipped, while the other checks of the same resource still run.
 */

/** Plain property bag of a resource (inputs for Analyze, outputs for AnalyzeStack). */
export type Props = Record<string, unknown>;

/** The sentinels Pulumi uses for values unknown during preview (see @pulumi/policy proxy.js). */
const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
    "030794c1-ac77-496b-92df-f27374a8bd58", // asset
    "e48ece36-62e2-4504-bad9-02848725956a", // archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

/** Key the policy runtime's proxy answers with the proxied object. */
const PROXY_TARGET_KEY = "__getSpecialProxyTarget";

export function isUnknown(value: unknown): boolean {
    return typeof value === "string" && UNKNOWN_SENTINELS.has(value);
}

/** Returns the plain object behind the policy runtime's unknown-checking proxy (or `props` itself). */
export function rawProps(props: unknown): Props {
    if (props === null || typeof props !== "object") {
        return {};
    }
    const target = (props as Record<string, unknown>)[PROXY_TARGET_KEY];
    if (target !== null && typeof target === "object") {
        return target as Props;
    }
    return props as Props;
}

export function isRecord(value: unknown): value is Props {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** `value` as a plain object, or undefined (absent, unknown, or another type). */
export function asRecord(value: unknown): Props | undefined {
    return isRecord(value) ? value : undefined;
}

/** `value` as an array; absent or unknown values yield an empty array. */
export function asArray(value: unknown): unknown[] {
    return Array.isArray(value) ? value : [];
}

/** A known string, or undefined. */
export function asString(value: unknown): string | undefined {
    return typeof value === "string" && !isUnknown(value) ? value : undefined;
}

/** A known, finite number; numeric strings ("3") are accepted. */
export function asNumber(value: unknown): number | undefined {
    if (typeof value === "number" && Number.isFinite(value)) {
        return value;
    }
    if (typeof value === "string" && !isUnknown(value) && value.trim() !== "") {
        const n = Number(value);
        return Number.isFinite(n) ? n : undefined;
    }
    return undefined;
}

/**
 * A known boolean. The LaunchTemplate schema types several flags as strings ("true"/"false"), the
 * other resources as booleans: both are accepted.
 */
export function asBool(value: unknown): boolean | undefined {
    if (typeof value === "boolean") {
        return value;
    }
    if (typeof value === "string") {
        const v = value.trim().toLowerCase();
        if (v === "true") {
            return true;
        }
        if (v === "false") {
            return false;
        }
    }
    return undefined;
}

/** Known strings of a string-or-list property (unknown entries are dropped). */
export function asStringList(value: unknown): string[] {
    if (typeof value === "string") {
        const s = asString(value);
        return s === undefined ? [] : [s];
    }
    return asArray(value).map(asString).filter((s): s is string => s !== undefined);
}

/** Reads a dotted path ("metadataOptions.httpTokens"); numeric segments index arrays. */
export function getPath(props: unknown, path: string): unknown {
    let cur: unknown = props;
    for (const segment of path.split(".")) {
        if (Array.isArray(cur) && /^\d+$/.test(segment)) {
            cur = cur[Number(segment)];
        } else if (isRecord(cur)) {
            cur = cur[segment];
        } else {
            return undefined;
        }
    }
    return cur;
}

/** JSON-ish rendering of a property value for violation messages. */
export function show(value: unknown): string {
    if (value === undefined) {
        return "not set";
    }
    if (isUnknown(value)) {
        return "unknown until apply";
    }
    return JSON.stringify(value);
}
