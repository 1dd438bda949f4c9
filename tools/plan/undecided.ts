/**
 * What the policy pack could not decide at preview. When a policy needs a value that is unknown
 * until apply, @pulumi/policy reports an advisory "can't run policy '<name>' from policy pack
 * '<pack>' during preview: <reason>" instead of a verdict (the CLI shows the same). The plan lists
 * those apart from the violations: they are not verdicts, and only decided mandatory violations
 * fail a plan.
 */
import type { PolicyViolation } from "../analyzer/client";

export interface UndecidedPolicy {
    policyName: string;
    /** The resource it could not judge; absent for a stack policy. */
    urn?: string;
    /** Which values were unknown, in the pack's words. */
    reason: string;
}

const CANNOT_RUN = /^can't run policy '([^']+)' from policy pack '[^']*' during preview: ([\s\S]*)$/;

/** Splits the pack's answers into verdicts and what it could not decide at preview. */
export function separateUndecided(diagnostics: readonly PolicyViolation[]): { violations: PolicyViolation[]; undecided: UndecidedPolicy[] } {
    const violations: PolicyViolation[] = [];
    const undecided: UndecidedPolicy[] = [];
    for (const diagnostic of diagnostics) {
        const match = CANNOT_RUN.exec(diagnostic.message);
        if (match) {
            undecided.push({ policyName: match[1], ...(diagnostic.urn ? { urn: diagnostic.urn } : {}), reason: match[2].trim() });
        } else {
            violations.push(diagnostic);
        }
    }
    return { violations, undecided };
}

/** The plan's section for people: per policy, the resources it could not judge and why. */
export function renderUndecided(undecided: readonly UndecidedPolicy[], nameOf: (urn: string) => string): string[] {
    const byPolicy = new Map<string, UndecidedPolicy[]>();
    for (const entry of undecided) {
        byPolicy.set(entry.policyName, [...(byPolicy.get(entry.policyName) ?? []), entry]);
    }
    const lines = [`Undecided at preview (${undecided.length}): values unknown until apply; checked again by \`pulumi up\``];
    for (const [policy, entries] of [...byPolicy].sort(([a], [b]) => a.localeCompare(b))) {
        lines.push(`  [${policy}] (${entries.length})`);
        for (const entry of entries) {
            lines.push(`    ${entry.urn ? nameOf(entry.urn) : "stack"}: ${entry.reason}`);
        }
    }
    return lines;
}
