import { expect } from "chai";
import { formatViolation } from "../tools/constraints/evaluate";
import { checkedRuns, checkingMillis } from "./support/checked-runs";
import { shippedStack, SHIPPED_STACKS } from "./support/stacks";

/**
 * Loaded after every *.test.ts (.mocharc.json lists it last), so it sees every run the suite
 * made: the shipped stacks and each variant a test runs with its own config (other engine,
 * existing VPC, pager and e-mail settings, Graviton types, the plan's failing stacks, ...).
 */
describe("provider-documented constraints: every run the test suite made", function () {
    it("every resource of every variant satisfies its provider's documented constraints", async function () {
        for (const stack of SHIPPED_STACKS) {
            await shippedStack(stack); // run alone, this file still checks the shipped stacks
        }
        const runs = checkedRuns();
        if (this.test) {
            this.test.title += ` (${runs.length} runs, checked in ${checkingMillis()} ms)`;
        }
        expect(runs.length).to.be.at.least(SHIPPED_STACKS.length);
        expect(runs.flatMap((r) => (r.error ? [`${r.label}: ${r.error}`] : [])), "the check failed on these runs").to.deep.equal([]);
        expect(runs.flatMap((r) => r.check.unchecked.map((type) => `${r.label}: ${type} has no provider typings`))).to.deep.equal([]);
        expect(runs.flatMap((r) => r.check.violations.map((v) => `${r.label}: ${formatViolation(v)}`))).to.deep.equal([]);
    });
});
