import { checkResources, RunCheck } from "../../tools/constraints/pulumi";
import { ConstraintTable } from "../../tools/constraints/table";
import { observeRuns, RunOptions } from "../../tools/lib/mock-runtime";

/** The provider-documented constraint table every test shares (cached under node_modules/.cache). */
export const constraintTable = new ConstraintTable();

export interface CheckedRun {
    /** The stack and its overrides, e.g. `prod with {"vectorStoreEngine":"pgvector"}`. */
    label: string;
    check: RunCheck;
    /** The check itself failed (reported by the every-run test, never by the test whose run it was). */
    error?: string;
}

const checked: CheckedRun[] = [];
let checkingMs = 0;

// Every run of the program in this test process -- shipped stacks, runWith() variants, the
// offline plan's runs -- is checked against the providers' documented constraints as it ends,
// so a variant that only one test makes is covered without anyone listing it.
observeRuns((run, options) => {
    const start = process.hrtime.bigint();
    try {
        checked.push({ label: labelOf(options), check: checkResources(constraintTable, run.resources) });
    } catch (err) {
        checked.push({ label: labelOf(options), check: { violations: [], unchecked: [] }, error: err instanceof Error ? err.stack ?? err.message : String(err) });
    }
    checkingMs += Number(process.hrtime.bigint() - start) / 1e6;
});

export function checkedRuns(): readonly CheckedRun[] {
    return checked;
}

/** Time spent checking runs so far (what the check adds to the suite, besides its own tests). */
export function checkingMillis(): number {
    return Math.round(checkingMs);
}

function labelOf(options: RunOptions): string {
    return options.overrides ? `${options.stack} with ${JSON.stringify(options.overrides)}` : options.stack;
}
