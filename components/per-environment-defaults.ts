/**
 * Stack keys whose default depends on the environment: the sizes and the posture a new stack gets
 * when it leaves them out, so that a new prod stack is prod-shaped (three Qdrant nodes, a replicated
 * r7g cache, stores that never stop) without anyone remembering to set a key. The values live in
 * environment-defaults.json, the one place both forms read: this program (components/config.ts) and
 * the Terraform root (terraform/stack/environment-defaults.tf, jsondecode of the same file).
 * Pulumi.yaml declares these keys without a `default:` (the CLI knows only one default per key) and
 * names the per-environment values in their descriptions; an explicit stack value always wins and
 * is validated like any other. (This module is not named environment-defaults.ts: Node would
 * resolve `./environment-defaults` to the .json file before the .ts one.)
 */
import * as path from "path";
import type { Environment } from "./config";
import defaults from "./environment-defaults.json";

/** A key whose default is per environment. */
export type EnvironmentDefaultKey = keyof typeof defaults;

/** Where the per-environment defaults live (the Terraform root reads the same file). */
export const ENVIRONMENT_DEFAULTS_FILE = path.join(__dirname, "environment-defaults.json");

/** Key -> environment -> default; the type makes a missing environment a compile error. */
export const ENVIRONMENT_DEFAULTS: Readonly<Record<EnvironmentDefaultKey, Readonly<Record<Environment, string | number | boolean>>>> = defaults;

export const ENVIRONMENT_DEFAULT_KEYS = Object.keys(defaults) as EnvironmentDefaultKey[];

export function isEnvironmentDefaultKey(key: string): key is EnvironmentDefaultKey {
    return (ENVIRONMENT_DEFAULT_KEYS as readonly string[]).includes(key);
}

/** The environment's default of a key, as the text a stack file would hold (raw config is text). */
export function environmentDefault(key: EnvironmentDefaultKey, environment: Environment): string {
    return String(ENVIRONMENT_DEFAULTS[key][environment]);
}
