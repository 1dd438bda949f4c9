/**
 * Policy pack configuration as the Pulumi CLI handles it for `--policy-pack-config`:
 *
 * 1. parse the file: `{ "<policy>": "<enforcementLevel>" | { "enforcementLevel"?: ..., ...properties } }`
 *    (the key "all" sets the enforcement level of every policy);
 * 2. reconcile: start from every policy's default enforcement level and the `default`s of its
 *    config schema, apply the pack's initial config, then the file;
 * 3. validate each policy's properties against its config schema (JSON schema: type object,
 *    `properties`, `required`);
 * 4. send one PolicyConfig per policy in ConfigureAnalyzerRequest.
 *
 * The validator covers the JSON-schema keywords policy config schemas use (type, enum, const,
 * bounds, lengths, pattern, items, properties, required, additionalProperties, uniqueItems).
 */
import * as fs from "fs";

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** One entry of a config file: an enforcement level, or an object with one and/or properties. */
export type PolicyConfigEntry = EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & { [key: string]: JsonValue | undefined });

/** A `--policy-pack-config` file. */
export type PolicyPackConfigFile = Record<string, PolicyConfigEntry>;

/** What is sent for one policy. */
export interface ResolvedPolicyConfig {
    enforcementLevel: EnforcementLevel;
    properties: JsonObject;
}

export interface PolicyConfigSchemaInfo {
    properties: JsonObject;
    required: string[];
}

/** The parts of a policy's metadata that configuration needs. */
export interface ConfigurablePolicy {
    name: string;
    enforcementLevel: EnforcementLevel;
    configSchema?: PolicyConfigSchemaInfo;
}

export class PolicyConfigError extends Error {
    constructor(readonly errors: string[]) {
        super(`invalid policy pack configuration:\n  ${errors.join("\n  ")}`);
    }
}

export function isEnforcementLevel(value: unknown): value is EnforcementLevel {
    return typeof value === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(value);
}

function isObject(value: unknown): value is JsonObject {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

interface ParsedEntry {
    enforcementLevel?: EnforcementLevel;
    properties: JsonObject;
}

/** Parses a config object like the CLI's parsePolicyPackConfig; collects every problem. */
export function parsePolicyPackConfig(config: unknown, origin = "policy pack config"): Map<string, ParsedEntry> {
    const errors: string[] = [];
    const result = new Map<string, ParsedEntry>();
    if (!isObject(config)) {
        throw new PolicyConfigError([`${origin}: expected a JSON object mapping policy names to config`]);
    }
    for (const [policy, value] of Object.entries(config)) {
        if (typeof value === "string") {
            if (!isEnforcementLevel(value)) {
                errors.push(`${policy}: "${value}" is not a valid enforcement level (${ENFORCEMENT_LEVELS.join(", ")})`);
                continue;
            }
            result.set(policy, { enforcementLevel: value, properties: {} });
        } else if (isObject(value)) {
            const { enforcementLevel, ...properties } = value;
            if (enforcementLevel !== undefined && !isEnforcementLevel(enforcementLevel)) {
                errors.push(`${policy}: enforcementLevel ${JSON.stringify(enforcementLevel)} is not one of ${ENFORCEMENT_LEVELS.join(", ")}`);
                continue;
            }
            result.set(policy, { enforcementLevel: enforcementLevel, properties });
        } else {
            errors.push(`${policy}: ${JSON.stringify(value)} is not a valid value; must be a string or object`);
        }
    }
    if (errors.length > 0) {
        throw new PolicyConfigError(errors.map((e) => `${origin}: ${e}`));
    }
    return result;
}

/** Reads and parses a `--policy-pack-config` JSON file. */
export function loadPolicyPackConfig(file: string): PolicyPackConfigFile {
    let data: unknown;
    try {
        data = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new PolicyConfigError([`${file}: ${(e as Error).message}`]);
    }
    parsePolicyPackConfig(data, file);
    return data as PolicyPackConfigFile;
}

function typeOf(value: JsonValue): string {
    if (value === null) {
        return "null";
    }
    if (Array.isArray(value)) {
        return "array";
    }
    if (typeof value === "number") {
        return Number.isInteger(value) ? "integer" : "number";
    }
    return typeof value;
}

function matchesType(value: JsonValue, type: string): boolean {
    const actual = typeOf(value);
    return actual === type || (type === "number" && actual === "integer");
}

function deepEqual(a: JsonValue, b: JsonValue): boolean {
    return JSON.stringify(a) === JSON.stringify(b);
}

/** Validates `value` against a JSON schema; returns messages prefixed with `path`. */
export function validateJsonSchema(value: JsonValue, schema: JsonValue, path: string): string[] {
    if (schema === true || schema === undefined) {
        return [];
    }
    if (schema === false) {
        return [`${path}: no value is allowed here`];
    }
    if (!isObject(schema)) {
        return [];
    }
    const errors: string[] = [];
    const s = schema;
    if (s.type !== undefined) {
        const types = (Array.isArray(s.type) ? s.type : [s.type]).filter((t): t is string => typeof t === "string");
        if (!types.some((t) => matchesType(value, t))) {
            return [`${path}: expected ${types.join(" or ")}, got ${typeOf(value)} ${JSON.stringify(value)}`];
        }
    }
    if (Array.isArray(s.enum) && !s.enum.some((e) => deepEqual(e, value))) {
        errors.push(`${path}: ${JSON.stringify(value)} is not one of ${s.enum.map((e) => JSON.stringify(e)).join(", ")}`);
    }
    if (s.const !== undefined && !deepEqual(s.const, value)) {
        errors.push(`${path}: must equal ${JSON.stringify(s.const)}`);
    }
    if (typeof value === "number") {
        if (typeof s.minimum === "number" && value < s.minimum) {
            errors.push(`${path}: ${value} is less than the minimum ${s.minimum}`);
        }
        if (typeof s.maximum === "number" && value > s.maximum) {
            errors.push(`${path}: ${value} is greater than the maximum ${s.maximum}`);
        }
        if (typeof s.exclusiveMinimum === "number" && value <= s.exclusiveMinimum) {
            errors.push(`${path}: ${value} must be greater than ${s.exclusiveMinimum}`);
        }
        if (typeof s.exclusiveMaximum === "number" && value >= s.exclusiveMaximum) {
            errors.push(`${path}: ${value} must be less than ${s.exclusiveMaximum}`);
        }
        if (typeof s.multipleOf === "number" && s.multipleOf > 0 && !Number.isInteger(value / s.multipleOf)) {
            errors.push(`${path}: ${value} is not a multiple of ${s.multipleOf}`);
        }
    }
    if (typeof value === "string") {
        if (typeof s.minLength === "number" && value.length < s.minLength) {
            errors.push(`${path}: "${value}" is shorter than ${s.minLength} character(s)`);
        }
        if (typeof s.maxLength === "number" && value.length > s.maxLength) {
            errors.push(`${path}: "${value}" is longer than ${s.maxLength} character(s)`);
        }
        if (typeof s.pattern === "string" && !new RegExp(s.pattern, "u").test(value)) {
            errors.push(`${path}: "${value}" does not match ${s.pattern}`);
        }
    }
    if (Array.isArray(value)) {
        if (typeof s.minItems === "number" && value.length < s.minItems) {
            errors.push(`${path}: needs at least ${s.minItems} item(s)`);
        }
        if (typeof s.maxItems === "number" && value.length > s.maxItems) {
            errors.push(`${path}: allows at most ${s.maxItems} item(s)`);
        }
        if (s.uniqueItems === true && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) {
            errors.push(`${path}: items must be unique`);
        }
        if (s.items !== undefined && !Array.isArray(s.items)) {
            value.forEach((item, i) => errors.push(...validateJsonSchema(item, s.items, `${path}[${i}]`)));
        }
    }
    if (isObject(value)) {
        const props = isObject(s.properties) ? s.properties : {};
        for (const key of Array.isArray(s.required) ? s.required : []) {
            if (typeof key === "string" && value[key] === undefined) {
                errors.push(`${path}: ${key} is required`);
            }
        }
        for (const [key, v] of Object.entries(value)) {
            const child = path === "" ? key : `${path}.${key}`;
            if (key in props) {
                errors.push(...validateJsonSchema(v, props[key], child));
            } else if (s.additionalProperties !== undefined) {
                errors.push(...validateJsonSchema(v, s.additionalProperties, child));
            }
        }
    }
    return errors;
}

export interface ReconciledConfig {
    config: Record<string, ResolvedPolicyConfig>;
    /** Schema violations, "<policy>: <problem>" (the CLI refuses to run with any). */
    errors: string[];
    /** Config entries naming no policy of the pack (the CLI passes them on silently). */
    warnings: string[];
}

/**
 * Defaults, then the pack's initial config, then the given config, then schema validation:
 * what the CLI's ReconcilePolicyPackConfig does.
 */
export function reconcilePolicyConfig(
    policies: readonly ConfigurablePolicy[],
    given: PolicyPackConfigFile | undefined,
    initialConfig?: Record<string, ResolvedPolicyConfig>,
): ReconciledConfig {
    const config: Record<string, ResolvedPolicyConfig> = {};
    for (const p of policies) {
        const properties: JsonObject = {};
        for (const [key, schema] of Object.entries(p.configSchema?.properties ?? {})) {
            if (isObject(schema) && schema.default !== undefined) {
                properties[key] = schema.default;
            }
        }
        config[p.name] = { enforcementLevel: p.enforcementLevel, properties };
    }
    const apply = (entries: Map<string, ParsedEntry>): void => {
        const all = entries.get("all");
        if (all?.enforcementLevel !== undefined) {
            for (const c of Object.values(config)) {
                c.enforcementLevel = all.enforcementLevel;
            }
        }
        for (const [name, entry] of entries) {
            if (name === "all") {
                continue;
            }
            const current = config[name] ?? { enforcementLevel: "advisory", properties: {} };
            config[name] = {
                enforcementLevel: entry.enforcementLevel ?? current.enforcementLevel,
                properties: { ...current.properties, ...entry.properties },
            };
        }
    };
    if (initialConfig !== undefined) {
        apply(new Map(Object.entries(initialConfig)));
    }
    const warnings: string[] = [];
    if (given !== undefined) {
        const parsed = parsePolicyPackConfig(given);
        const known = new Set(policies.map((p) => p.name));
        for (const name of parsed.keys()) {
            if (name !== "all" && !known.has(name)) {
                warnings.push(`${name}: no policy of this name in the pack`);
            }
        }
        apply(parsed);
    }
    const errors: string[] = [];
    for (const p of policies) {
        if (p.configSchema === undefined) {
            continue;
        }
        const schema: JsonObject = { type: "object", properties: p.configSchema.properties };
        if (p.configSchema.required.length > 0) {
            schema.required = p.configSchema.required;
        }
        for (const e of validateJsonSchema(config[p.name].properties, schema, "")) {
            errors.push(`${p.name}: ${e.replace(/^: /, "")}`);
        }
    }
    return { config, errors, warnings };
}
