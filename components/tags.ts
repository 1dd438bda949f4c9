/** Tags every taggable resource carries: the stack's tags, then Name and Service (which win). */
export const SERVICE_TAG_VALUE = "memory-spine";

export type Tags = Record<string, string>;

export function resourceTags(stackTags: Tags, name: string): Tags {
    return { ...stackTags, Name: name, Service: SERVICE_TAG_VALUE };
}

/** Auto Scaling groups take tags as a list; propagating them tags the instances too. */
export function autoScalingGroupTags(tags: Tags): { key: string; value: string; propagateAtLaunch: boolean }[] {
    return Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true }));
}

/** Resource names: `memspine-<env>[-<suffix>]`, short enough for ALB and target-group limits (32). */
export function resourceName(environment: string, suffix?: string): string {
    return suffix ? `memspine-${environment}-${suffix}` : `memspine-${environment}`;
}
