import { expect } from "chai";
import { endsAt, parseList, splitSentences } from "../../tools/constraints/sentences";

describe("constraint prose: sentences", function () {
    it("ends a sentence at a period before a space, not inside `code`, a number or an abbreviation", function () {
        const doc = "Instance type, e.g. `t3.large` or `r6i.xlarge`. Conflicts with `a`.\nValid values are 1.5 and 2. Done";
        expect(splitSentences(doc)).to.deep.equal(["Instance type, e.g. `t3.large` or `r6i.xlarge`.", "Conflicts with `a`.", "Valid values are 1.5 and 2.", "Done"]);
    });

    it("ends a paragraph at a blank line, even without a period", function () {
        expect(splitSentences("First line\n\nSecond line")).to.deep.equal(["First line", "Second line"]);
    });
});

describe("constraint prose: lists", function () {
    it("reads `code` and \"quoted\" items joined by commas, and, or, pipes", function () {
        expect(parseList("`a`, `b`, and `c`.", 0)?.items).to.deep.equal(["a", "b", "c"]);
        expect(parseList(' "Minimum", "Maximum", and "Average".', 0)?.items).to.deep.equal(["Minimum", "Maximum", "Average"]);
        expect(parseList("`x` | `y` or `z`", 0)?.items).to.deep.equal(["x", "y", "z"]);
        expect(parseList('`"units"`, `"vcpu"`', 0)?.items).to.deep.equal(["units", "vcpu"]);
        expect(parseList("`a`, `b`, and `c`", 0)?.joined).to.equal("and");
        expect(parseList("`a` or `b`", 0)?.joined).to.equal("or");
        expect(parseList("`a`, `b` or `c` and `d`", 0)?.joined).to.equal("mixed");
        expect(parseList("`a`", 0)?.joined).to.equal(undefined);
    });

    it("reads bare numbers only when asked to", function () {
        expect(parseList("0, 1, 5, 10.", 0, { bareNumbers: true })?.items).to.deep.equal(["0", "1", "5", "10"]);
        expect(parseList("0, 1, 5, 10.", 0)).to.equal(undefined);
    });

    it("stops before anything that is not a separator followed by an item", function () {
        const text = "`costFilter` and requires `metrics`.";
        const list = parseList(text, 0);
        expect(list?.items).to.deep.equal(["costFilter"]);
        expect(text.slice(list?.end)).to.equal(" and requires `metrics`.");
        expect(endsAt(text, list?.end ?? 0)).to.equal(false);
        expect(endsAt("`a`, `b`.", parseList("`a`, `b`.", 0)?.end ?? 0)).to.equal(true);
    });
});
