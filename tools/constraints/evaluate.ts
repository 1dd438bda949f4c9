/**
 * Evaluates a resource's inputs against the constraints its provider documents, block by block.
 *
 * Inputs are plain values keyed by Pulumi names; `MAYBE` stands for a value not known here (an
 * unknown at preview, a Terraform expression). Precision over recall: a rule fires only on what
 * is certain. "Set" means present and meaningful (not null, not false, not "", not an empty
 * list); "absent" means not given at all; a `MAYBE` is neither, so it never fires a rule.
 */
import type { Constraint } from "./extract";
import type { ResourceConstraints, ShapeConstraints } from "./table";

/** Where constraints come from: the cached ConstraintTable, or a hand-made one in unit tests. */
export interface ConstraintLookup {
    resource(token: string): ResourceConstraints | undefined;
    input(pkg: string, qualified: string): ShapeConstraints | undefined;
}

/** A value this evaluation cannot know. */
export const MAYBE: unique symbol = Symbol("maybe");

/**
 * On a block converted from another form (Terraform), the names its author wrote, by Pulumi
 * name, so that a report speaks the author's language (`notification`, not `notifications`).
 */
export const SOURCE_NAMES: unique symbol = Symbol("sourceNames");
/** On a converted block, the block as its author wrote it (what a report shows). */
export const SOURCE_BODY: unique symbol = Symbol("sourceBody");

export interface Subject {
    /** Type token, e.g. aws:budgets/budget:Budget. */
    type: string;
    /** How the report names the resource: a Pulumi name or a Terraform address with its file. */
    name: string;
    inputs: Record<string, unknown>;
}

export interface Violation {
    type: string;
    resource: string;
    /** Where in the inputs, e.g. `filterExpression` or `notifications[1].threshold`. */
    path: string;
    kind: Constraint["kind"] | "deprecatedResource";
    /** The provider's own sentence, verbatim. */
    sentence: string;
    /** What is wrong, with the values involved. */
    detail: string;
}

export function formatViolation(v: Violation): string {
    return `${v.type} ${v.resource}: ${v.path}: ${v.detail}. The provider documents: "${v.sentence}"`;
}

export function evaluate(table: ConstraintLookup, subject: Subject): Violation[] {
    const resource = table.resource(subject.type);
    if (!resource) {
        return [];
    }
    const violations: Violation[] = [];
    if (resource.deprecated !== undefined) {
        violations.push({ type: subject.type, resource: subject.name, path: "(resource)", kind: "deprecatedResource", sentence: `@deprecated ${resource.deprecated}`, detail: "the resource type is deprecated" });
    }
    const pkg = subject.type.split(":")[0];
    const walk = (shape: ShapeConstraints, block: Record<string, unknown>, prefix: string): void => {
        const sourceNames = (block as { [SOURCE_NAMES]?: Record<string, string> })[SOURCE_NAMES];
        const naming = (name: string): string => sourceNames?.[name] ?? name;
        for (const [name, property] of Object.entries(shape.properties)) {
            const value = block[name];
            const where = `${prefix}${naming(name)}`;
            for (const constraint of property.constraints) {
                const detail = check(constraint, name, value, block, naming);
                if (detail) {
                    violations.push({ type: subject.type, resource: subject.name, path: where, kind: constraint.kind, sentence: constraint.sentence, detail });
                }
            }
            const nested = property.nested ? table.input(pkg, property.nested) : undefined;
            if (nested && value !== MAYBE && value !== null && typeof value === "object") {
                if (Array.isArray(value)) {
                    value.forEach((element, i) => {
                        if (isRecord(element)) {
                            walk(nested, element, `${where}[${i}].`);
                        }
                    });
                } else {
                    walk(nested, value as Record<string, unknown>, `${where}.`);
                }
            }
        }
    };
    walk(resource.shape, subject.inputs, "");
    return violations;
}

/** The violation's detail, or undefined when the constraint holds (or cannot be decided). */
function check(c: Constraint, name: string, value: unknown, block: Record<string, unknown>, naming: (n: string) => string): string | undefined {
    const self = `${naming(name)} = ${show(value)}`;
    switch (c.kind) {
        case "conflicts": {
            const clash = isSet(value) ? c.others.filter((o) => isSet(block[o])) : [];
            return clash.length > 0 ? `${self} is set together with ${clash.map((o) => `${naming(o)} = ${show(block[o])}`).join(", ")}` : undefined;
        }
        case "requires": {
            const missing = isSet(value) ? c.others.filter((o) => isAbsent(block[o])) : [];
            return missing.length > 0 ? `${self} is set but ${missing.map(naming).join(", ")} is not` : undefined;
        }
        case "requiresValue": {
            const other = block[c.other];
            return isSet(value) && isKnown(other) && !matchesAny(other, c.values) ? `${self} is set but ${naming(c.other)} = ${show(other)}` : undefined;
        }
        case "requiredIf": {
            if (!isAbsent(value)) {
                return undefined;
            }
            const holds = (o: string): boolean => (c.values ? isKnown(block[o]) && matchesAny(block[o], c.values) : isSet(block[o]));
            const triggers = c.all ? (c.others.every(holds) ? c.others : []) : c.others.filter(holds).slice(0, 1);
            return triggers.length > 0 ? `${triggers.map((o) => `${naming(o)} = ${show(block[o])}`).join(" and ")} but ${naming(name)} is not set` : undefined;
        }
        case "forbiddenIf": {
            const other = block[c.other];
            return isSet(value) && isKnown(other) && matchesAny(other, c.values) ? `${self} is set while ${naming(c.other)} = ${show(other)}` : undefined;
        }
        case "exactlyOne": {
            // The sentence sits on each of the names: judge it once, from the first of them.
            if (c.names[0] !== name) {
                return undefined;
            }
            const set = c.names.filter((n) => isSet(block[n]));
            if (set.length > 1) {
                return `${set.map((n) => `${naming(n)} = ${show(block[n])}`).join(" and ")} are all set`;
            }
            return c.names.every((n) => isAbsent(block[n])) ? `none of ${c.names.map(naming).join(", ")} is set` : undefined;
        }
        case "oneOf": {
            const bad = scalars(value).filter((v) => !matchesAny(v, c.values));
            return bad.length > 0 ? `${show(bad.length === 1 ? bad[0] : bad)} is not one of ${c.values.join(", ")}` : undefined;
        }
        case "range": {
            const bad = scalars(value).filter((v): v is number => typeof v === "number" && (v < c.min || v > c.max));
            return bad.length > 0 ? `${bad.join(", ")} is outside ${c.min}..${c.max}` : undefined;
        }
        case "deprecated":
            return isSet(value) ? `${self} sets a deprecated input` : undefined;
    }
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Present and meaningful: a certain value that is not null, false, "" or empty. */
export function isSet(value: unknown): boolean {
    if (value === undefined || value === null || value === MAYBE || value === false || value === "") {
        return false;
    }
    if (Array.isArray(value)) {
        return value.length > 0;
    }
    return isRecord(value) ? Object.keys(value).length > 0 : true;
}

/** Certainly not given. */
export function isAbsent(value: unknown): boolean {
    return value === undefined || value === null;
}

function isKnown(value: unknown): boolean {
    return scalars(value).length > 0 && (!Array.isArray(value) || value.every((v) => v !== MAYBE));
}

/** The certain scalar values: the value itself, or a list's scalar elements. */
function scalars(value: unknown): (string | number | boolean)[] {
    const all = Array.isArray(value) ? value : [value];
    return all.filter((v): v is string | number | boolean => typeof v === "string" || typeof v === "number" || typeof v === "boolean");
}

function matchesAny(value: unknown, allowed: readonly string[]): boolean {
    const lower = allowed.map((a) => a.toLowerCase());
    return scalars(value).every((v) => lower.includes(String(v).toLowerCase()));
}

function show(value: unknown): string {
    const text =
        JSON.stringify(value, (_key, v: unknown) => {
            if (v === MAYBE) {
                return "(unknown)";
            }
            return isRecord(v) && (v as { [SOURCE_BODY]?: unknown })[SOURCE_BODY] !== undefined ? (v as { [SOURCE_BODY]?: unknown })[SOURCE_BODY] : v;
        }) ?? String(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
