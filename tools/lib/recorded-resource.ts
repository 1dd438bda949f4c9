/** A resource as the program registered it: what a policy pack or a test needs to judge it. */
export interface RecordedResource {
    urn: string;
    type: string;
    name: string;
    /** False for component resources. */
    custom: boolean;
    /** Inputs in Pulumi's wire form: secrets keep their signature wrapper, unknowns their sentinel. */
    inputs: Record<string, unknown>;
    parent?: string;
    options: RecordedOptions;
    /** Id and state the (mock) provider answered with; absent for resources that failed to register. */
    id?: string;
    outputs?: Record<string, unknown>;
}

export interface RecordedOptions {
    protect?: boolean;
    ignoreChanges?: string[];
    deleteBeforeReplace?: boolean;
    dependencies?: string[];
    /** Input property name -> URNs of the resources that property's value came from. */
    propertyDependencies?: Record<string, string[]>;
    provider?: string;
    additionalSecretOutputs?: string[];
    retainOnDelete?: boolean;
    aliases?: string[];
    replaceOnChanges?: string[];
    customTimeouts?: { create?: string; update?: string; delete?: string };
}

/** Signature Pulumi's wire format puts on a secret value: `{ [SECRET_SIG_KEY]: SECRET_SIG, value }`. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const RESOURCE_REFERENCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isSecretValue(value: unknown): value is { value: unknown } {
    return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/** The value with secret wrappers removed and resource references replaced by their URN. */
export function plainValue(value: unknown): unknown {
    if (isSecretValue(value)) {
        return plainValue(value.value);
    }
    if (Array.isArray(value)) {
        return value.map(plainValue);
    }
    if (typeof value === "object" && value !== null) {
        const record = value as Record<string, unknown>;
        if (record[SIG_KEY] === RESOURCE_REFERENCE_SIG) {
            return record.urn;
        }
        return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, plainValue(v)]));
    }
    return value;
}
