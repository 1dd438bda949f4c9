import { formatViolation } from "../../tools/constraints/evaluate";
import { checkedRuns } from "./checked-runs";

/**
 * Root hooks (mocha loads this file in every worker; .mocharc.json `require`): after each test
 * file, every program run that file made must satisfy the providers' documented constraints.
 *
 * npm test runs mocha in parallel mode, so no single file sees every run of the suite; checking
 * per file in each worker covers every variant wherever it ran.
 */
let reported = 0;

export const mochaHooks = {
    afterAll(): void {
        const runs = checkedRuns().slice(reported);
        reported += runs.length;
        const problems = runs.flatMap((r) => [
            ...(r.error ? [`${r.label}: the check failed: ${r.error}`] : []),
            ...r.check.unchecked.map((type) => `${r.label}: ${type} has no provider typings`),
            ...r.check.violations.map((v) => `${r.label}: ${formatViolation(v)}`),
        ]);
        if (problems.length > 0) {
            throw new Error(`provider-documented constraints violated by runs of this test file:\n${problems.join("\n")}`);
        }
    },
};
