/**
 * Environment detection: the resource's `Environment` tag, else the policy config `environment`
 * (each policy-pack/config/<env>.json sets it for every policy that depends on the environment).
 */
import { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { Props } from "./props";
import { tagValue } from "./tags";

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];
export const ENVIRONMENT_TAG = "Environment";

export function isEnvironment(value: unknown): value is Environment {
    return typeof value === "string" && (ENVIRONMENTS as readonly string[]).includes(value);
}

/** Config schema fragment shared by every environment-aware policy. */
export const environmentSchema: PolicyConfigJSONSchema = {
    type: "string",
    enum: [...ENVIRONMENTS],
    description: "Environment of the stack, used for resources without an Environment tag (dev, staging or prod).",
};

export const environmentListSchema = (description: string, defaultValue: readonly string[]): PolicyConfigJSONSchema => ({
    type: "array",
    items: { type: "string", enum: [...ENVIRONMENTS] },
    default: [...defaultValue],
    description,
});

export interface EnvironmentConfig {
    environment?: string;
}

/** The resource's environment: its Environment tag, else the configured one; undefined if neither. */
export function environmentOf(props: Props, config: EnvironmentConfig): string | undefined {
    return tagValue(props, ENVIRONMENT_TAG) ?? config.environment;
}

/**
 * The stack's environment: the configured one, else the Environment tag shared by the given
 * resources when they agree on a single value.
 */
export function stackEnvironment(resources: readonly { props: Props }[], config: EnvironmentConfig): string | undefined {
    if (config.environment !== undefined) {
        return config.environment;
    }
    const seen = new Set<string>();
    for (const r of resources) {
        const env = tagValue(r.props, ENVIRONMENT_TAG);
        if (env !== undefined) {
            seen.add(env);
        }
    }
    return seen.size === 1 ? [...seen][0] : undefined;
}
