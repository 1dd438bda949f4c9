/**
 * Resolving references between resources inside a stack policy.
 *
 * The engine passes each resource's property dependencies (input property name -> resources whose
 * outputs flowed into it): that is the reliable link, known even during preview when ids are not.
 * When it is missing (hand-written inputs, imported resources), the referenced id/ARN/name is
 * matched against the candidates' resolved `id`, `arn` and `name` properties.
 */
import { PolicyResource } from "@pulumi/policy";
import { Props, asString } from "./props";
import { ResourceView, view } from "./types";
import { forgetUnknownReads } from "./unknowns";

/** A stack resource reduced to plain data (raw props, dependencies as URNs). */
export interface StackResource extends ResourceView {
    /** Top-level input property -> URNs of the resources it depends on. */
    propertyDependencies: Record<string, string[]>;
}

export function stackResource(r: PolicyResource): StackResource {
    const propertyDependencies: Record<string, string[]> = {};
    for (const [key, deps] of Object.entries(r.propertyDependencies ?? {})) {
        propertyDependencies[key] = deps.map((d) => d.urn);
    }
    return { ...view(r, r.name), propertyDependencies };
}

export function stackResources(resources: readonly PolicyResource[]): StackResource[] {
    return resources.map(stackResource);
}

function identities(props: Props): string[] {
    return ["id", "arn", "name"].map((k) => asString(props[k])).filter((v): v is string => v !== undefined && v !== "");
}

/**
 * Resources of the stack that `from` references through its top-level input `property`.
 * @param values the referenced ids/ARNs/names as read from the property (for the fallback)
 * @param accept which candidates can be the target (by type)
 */
export function linked(
    from: StackResource,
    property: string,
    values: readonly string[],
    all: readonly StackResource[],
    accept: (r: StackResource) => boolean,
): StackResource[] {
    const byUrn = new Map(all.map((r) => [r.urn, r]));
    const viaDeps = (from.propertyDependencies[property] ?? [])
        .map((urn) => byUrn.get(urn))
        .filter((r): r is StackResource => r !== undefined && accept(r));
    if (viaDeps.length > 0) {
        // The engine linked them: the referenced id/ARN the caller read may be unknown at preview.
        forgetUnknownReads(`${from.name}.${property}`);
        return [...new Map(viaDeps.map((r) => [r.urn, r])).values()];
    }
    if (values.length === 0) {
        return [];
    }
    const wanted = new Set(values);
    return all.filter((r) => accept(r) && identities(r.props).some((id) => wanted.has(id)));
}
