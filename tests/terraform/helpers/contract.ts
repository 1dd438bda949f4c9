/**
 * The stack contract as the Pulumi project states it (Pulumi.yaml and the three stack files),
 * translated to Terraform names: `memory-spine:instanceCount` -> `instance_count`.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { Environment, REPO_ROOT } from "./terraform";

export interface PulumiConfigKey {
    type: "string" | "integer" | "boolean" | "array";
    default?: unknown;
    description: string;
    secret?: boolean;
    items?: { type: string };
}

export const PROJECT_NAMESPACE = "memory-spine";

/** camelCase -> snake_case, the naming rule between the two forms. */
export function snakeCase(key: string): string {
    return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export function projectConfig(): Record<string, PulumiConfigKey> {
    const project = parse(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8")) as { config: Record<string, PulumiConfigKey> };
    return project.config;
}

/** The Terraform type a Pulumi config type maps to. */
export function terraformType(key: PulumiConfigKey): string {
    switch (key.type) {
        case "string":
            return "string";
        case "integer":
            return "number";
        case "boolean":
            return "bool";
        case "array":
            return `list(${key.items?.type ?? "string"})`;
    }
}

/**
 * A stack file's settings as Terraform variable values: the project's keys lose their
 * namespace and become snake_case; provider keys (`aws:region`) become `<provider>_<key>`.
 */
export function stackAsTfvars(env: Environment): Record<string, unknown> {
    const stack = parse(fs.readFileSync(path.join(REPO_ROOT, `Pulumi.${env}.yaml`), "utf8")) as { config: Record<string, unknown> };
    const values: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(stack.config)) {
        const [namespace, name] = key.split(":");
        values[namespace === PROJECT_NAMESPACE ? snakeCase(name) : `${snakeCase(namespace)}_${snakeCase(name)}`] = value;
    }
    return values;
}

/** A Pulumi description with its camelCase key names replaced by the Terraform names. */
export function terraformDescription(description: string, keys: readonly string[]): string {
    return keys.reduce((text, key) => text.replace(new RegExp(`\\b${key}\\b`, "g"), snakeCase(key)), description);
}
