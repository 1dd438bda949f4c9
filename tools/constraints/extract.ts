/**
 * Turns the sentences a provider writes about an input into checkable constraints.
 *
 * Precision over recall: a sentence becomes a constraint only when it has one of the fixed
 * shapes below in full, every name in it resolves to a sibling input, and nothing after the
 * list could qualify it ("Valid values are `a`, `b`." yes; "Valid values include ...",
 * "For ALBs, valid values are ..." or "... `7`, `731` (2 years) or a multiple of `31`" no).
 * Unrecognised prose is ignored, never guessed at.
 */
import { endsAt, parseList, splitSentences } from "./sentences";

export type Constraint =
    /** This input set => none of `others` set. */
    | { kind: "conflicts"; others: string[]; sentence: string }
    /** This input set => every one of `others` set. */
    | { kind: "requires"; others: string[]; sentence: string }
    /** This input set and `other` set => `other` is one of `values`. */
    | { kind: "requiresValue"; other: string; values: string[]; sentence: string }
    /** Any of `others` (with `all`, every one) set -- with `values`, equal to one of them -- => this input set. */
    | { kind: "requiredIf"; others: string[]; all?: true; values?: string[]; sentence: string }
    /** `other` equal to one of `values` => this input not set. */
    | { kind: "forbiddenIf"; other: string; values: string[]; sentence: string }
    /** Exactly one of `names` (siblings, this input among them) set. */
    | { kind: "exactlyOne"; names: string[]; sentence: string }
    /** The value (each element of a list) is one of `values`, compared case-insensitively. */
    | { kind: "oneOf"; values: string[]; sentence: string }
    /** The numeric value (each element of a list) lies in [min, max]. */
    | { kind: "range"; min: number; max: number; sentence: string }
    /** Setting this input at all is deprecated. */
    | { kind: "deprecated"; sentence: string };

export interface DocumentedProperty {
    name: string;
    doc: string;
    deprecated?: string;
}

const NUMBER = String.raw`\x60?(-?\d{1,3}(?:,\d{3})+|-?\d+(?:\.\d+)?)\x60?`;
const RANGE = new RegExp(
    String.raw`^(?:Valid values are|Valid values:|Valid range is|Must be|Value must be|Values must be|The value must be)` +
        String.raw`(?: an)?(?: integers?)? (?:between|from) ${NUMBER} (?:and|to) ${NUMBER}` +
        String.raw`(?: (?!characters|chars|bytes|letters|digits|items|elements)[A-Za-z%/]+)?` +
        String.raw`(?: inclusive| \(inclusive\))?(?:\.?$|,| in increments)`,
);
const RANGE_DASH = new RegExp(String.raw`^The range is ${NUMBER} ?- ?${NUMBER}\.?$`);
const VALID_VALUES = /^(?:Valid values(?: are)?:?|Valid values are:|Must be one of:?|Should be one of:?|Allowed values(?: are)?:?|Possible values are:?)\s/i;
const CONFLICTS = /\b(?:[Cc]onflicts with|[Cc]an ?not be (?:used|specified|set)(?: together)? with)\s/;
const CONDITIONAL = /\b(?:if|when|unless|for|only)\b/i;
/** A sentence that widens a list stated elsewhere ("`email` and `http` are also valid"). */
const WIDENED = /\b(?:also|other)\b[^.]*\b(?:valid|supported|accepted|allowed|possible)\b/i;
/** Values that are patterns, placeholders or code, not literals ("2XX", "c5*.*", "#{protocol}", "[\"arm64\"]", "256|512|(1|2) vCPU"). */
const PATTERN_VALUE = /[*{}<>[\]|()]|^\dXX$/i;

/** Constraints of one input; `siblings` are the names of the inputs beside it (itself included). */
export function extractConstraints(property: DocumentedProperty, siblings: readonly string[]): Constraint[] {
    const resolve = (names: string[]): string[] => names.map((n) => resolveName(n, siblings, property.name)).filter((n): n is string => n !== undefined);
    let constraints = splitSentences(property.doc).flatMap((sentence) => fromSentence(sentence, resolve, property.name, siblings));
    if (WIDENED.test(property.doc)) {
        // Another sentence adds values to a stated list: the list alone is not the whole truth.
        constraints = constraints.filter((c) => c.kind !== "oneOf");
    }
    if (property.deprecated !== undefined) {
        constraints.push({ kind: "deprecated", sentence: `@deprecated ${property.deprecated}`.trim() });
    }
    return constraints;
}

function fromSentence(sentence: string, resolve: (names: string[]) => string[], self: string, siblings: readonly string[]): Constraint[] {
    const found: Constraint[] = [];
    const text = sentence.replace(/`\s*\(default\)/g, "`");

    // "Conflicts with `a` and `b`", optionally "... and requires `c`".
    const conflicts = CONFLICTS.exec(text);
    if (conflicts && !CONDITIONAL.test(text.slice(0, conflicts.index))) {
        const list = parseList(text, conflicts.index + conflicts[0].length);
        if (list) {
            const rest = text.slice(list.end);
            const others = resolve(list.items);
            if (!/^\s*(?:when|if|unless|for|in)\b/i.test(rest) && others.length > 0) {
                found.push({ kind: "conflicts", others, sentence });
            }
            const requires = /^\s*,?\s*and requires\s/.exec(rest);
            const required = requires && parseList(rest, requires[0].length);
            if (required && endsAt(rest, required.end)) {
                const needs = resolve(required.items);
                if (needs.length > 0) {
                    found.push({ kind: "requires", others: needs, sentence });
                }
            }
        }
    }

    // "Requires `x`", "If set, requires `x`", "Requires specifying a `x`", "Requires `x` to be `true`".
    const requires = /^(?:If set, )?[Rr]equires (?:specifying )?(?:an? |the )?(?=[`"])/.exec(text);
    if (requires) {
        const list = parseList(text, requires[0].length);
        if (list) {
            const rest = text.slice(list.end);
            const needs = resolve(list.items);
            const toBe = /^ to be (?=[`"])/.exec(rest);
            const values = toBe && parseList(rest, toBe[0].length, { bareNumbers: true });
            if (needs.length > 0 && (endsAt(rest, 0) || /^ (?:argument )?to be (?:set|specified)\.?$/.test(rest))) {
                found.push({ kind: "requires", others: needs, sentence });
            } else if (needs.length === 1 && list.items.length === 1 && values && endsAt(rest, values.end)) {
                found.push({ kind: "requiresValue", other: needs[0], values: values.items, sentence });
            }
        }
    }

    // "Required if `x` is set", "Required when `a` or `b` is specified", "Required if `type` is `redirect`".
    const requiredIf = /^Required (?:if|when) (?:the )?(?=[`"])/.exec(text);
    if (requiredIf) {
        const condition = parseCondition(text, requiredIf[0].length, resolve);
        if (condition) {
            found.push({ kind: "requiredIf", others: condition.names, ...(condition.all ? { all: true as const } : {}), ...(condition.values ? { values: condition.values } : {}), sentence });
        }
    }

    // "Cannot be set if `password` or `passwordWo` is provided", "Must not be set when `mode` is `regional`".
    const forbidden = /^(?:Cannot|Can not|Must not) be (?:set|specified|used) (?:if|when) (?:the )?(?=[`"])/.exec(text);
    if (forbidden) {
        const condition = parseCondition(text, forbidden[0].length, resolve);
        if (condition?.values && condition.names.length === 1) {
            found.push({ kind: "forbiddenIf", other: condition.names[0], values: condition.values, sentence });
        } else if (condition && !condition.values && !condition.all) {
            found.push({ kind: "conflicts", others: condition.names, sentence });
        }
    }

    // "Exactly one of `a` or `b` must be specified."
    const exactly = /^Exactly one of (?=[`"])/.exec(text);
    if (exactly) {
        const list = parseList(text, exactly[0].length);
        const rest = list ? text.slice(list.end) : "";
        if (list && /^ (?:must|should) be (?:specified|set|provided)\.?$/.test(rest)) {
            const names = list.items.map((n) => resolveName(n, siblings, ""));
            if (names.every((n): n is string => n !== undefined) && names.includes(self) && names.length > 1) {
                found.push({ kind: "exactlyOne", names, sentence });
            }
        }
    }

    // "Valid values are `a`, `b` and `c`." -- the whole rest of the sentence must be the list.
    const valid = VALID_VALUES.exec(text);
    if (valid) {
        const list = parseList(text, valid[0].length, { bareNumbers: true });
        if (list && endsAt(text, list.end) && !list.items.some((v) => PATTERN_VALUE.test(v) || v === "")) {
            found.push({ kind: "oneOf", values: list.items, sentence });
        }
    }

    // "Must be between `0` and `35`.", "Valid values are integer from `1` to `64`.", "The range is 5-300."
    const range = RANGE.exec(text) ?? RANGE_DASH.exec(text);
    if (range) {
        const [min, max] = [number(range[1]), number(range[2])];
        if (min <= max) {
            found.push({ kind: "range", min, max, sentence });
        }
    }
    return found;
}

interface Condition {
    names: string[];
    /** "`a` and `b` are set": every name, not any. */
    all?: true;
    values?: string[];
}

/** "`x` is set" / "`a` or `b` is specified" / "`x` is `v`" / "`x` is set to `v` or `w`", to the end. */
function parseCondition(text: string, from: number, resolve: (names: string[]) => string[]): Condition | undefined {
    const list = parseList(text, from);
    if (!list) {
        return undefined;
    }
    const rest = text.slice(list.end);
    const names = resolve(list.items);
    if (names.length !== list.items.length || names.length === 0 || list.joined === "mixed") {
        return undefined; // a condition on something we cannot see is not a condition we can check
    }
    if (/^ (?:is|are) (?:set|specified|provided)\.?$/.test(rest)) {
        return list.joined === "and" ? { names, all: true } : { names };
    }
    const equals = /^ is (?:set to )?(?=[`"])/.exec(rest);
    const values = equals && parseList(rest, equals[0].length, { bareNumbers: true });
    if (values && names.length === 1 && endsAt(rest, values.end)) {
        return { names, values: values.items };
    }
    return undefined;
}

function number(text: string): number {
    return Number(text.replace(/,/g, ""));
}

/**
 * The sibling a documented name means: exact, camelCase of a Terraform name, or the plural
 * Pulumi gives list inputs (`costFilter` -> `costFilters`). Paths ("a.b") and names that match
 * no sibling resolve to nothing.
 */
export function resolveName(name: string, siblings: readonly string[], self: string): string | undefined {
    if (!/^[A-Za-z_][\w]*$/.test(name)) {
        return undefined;
    }
    const camel = name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
    const candidates = [name, camel, `${camel}s`, `${camel}es`, camel.replace(/y$/, "ies")];
    const match = candidates.find((c) => siblings.includes(c));
    return match !== undefined && match !== self ? match : undefined;
}
