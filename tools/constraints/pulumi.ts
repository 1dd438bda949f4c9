/**
 * Checks what a Pulumi program registered (as the mock runtime records it) against the
 * constraints its providers document.
 */
import { isSecretValue, RecordedResource, RESOURCE_REFERENCE_SIG, SIG_KEY, UNKNOWN_VALUE } from "../lib/recorded-resource";
import { evaluate, MAYBE, Violation } from "./evaluate";
import type { ConstraintTable } from "./table";

export interface RunCheck {
    violations: Violation[];
    /** Custom resource types whose provider typings were not found (so nothing was checked). */
    unchecked: string[];
}

export function checkResources(table: ConstraintTable, resources: readonly RecordedResource[]): RunCheck {
    const violations: Violation[] = [];
    const unchecked = new Set<string>();
    for (const resource of resources) {
        // Components have no provider; providers and the engine's own types (pulumi:pulumi:StackReference) no typings.
        if (!resource.custom || resource.type.startsWith("pulumi:")) {
            continue;
        }
        if (!table.resource(resource.type)) {
            unchecked.add(resource.type);
            continue;
        }
        violations.push(...evaluate(table, { type: resource.type, name: resource.name, inputs: fromWire(resource.inputs) as Record<string, unknown> }));
    }
    table.save();
    return { violations, unchecked: [...unchecked].sort() };
}

/** Pulumi's wire form made plain: secrets unwrapped, unknowns MAYBE, resource references their URN. */
export function fromWire(value: unknown): unknown {
    if (value === UNKNOWN_VALUE) {
        return MAYBE;
    }
    if (isSecretValue(value)) {
        return fromWire(value.value);
    }
    if (Array.isArray(value)) {
        return value.map(fromWire);
    }
    if (typeof value === "object" && value !== null) {
        const record = value as Record<string, unknown>;
        if (record[SIG_KEY] === RESOURCE_REFERENCE_SIG) {
            return record.urn;
        }
        return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fromWire(v)]));
    }
    return value;
}
