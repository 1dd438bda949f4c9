import { expect } from "chai";
import { checkPrometheusRules, PROMTOOL } from "../../tools/check/promtool";
import { debianPackage, requireTool } from "../support/tools";

const GOOD = `groups:
  - name: g
    rules:
      - alert: Down
        expr: up == 0
        for: 5m
`;

describe("runner: promtool check rules", function () {
    beforeEach(function () {
        requireTool(this, PROMTOOL.command, debianPackage(PROMTOOL.debianPackage));
    });

    it("passes a valid rule file", async function () {
        expect(await checkPrometheusRules(GOOD)).to.deep.equal([]);
    });

    it("rejects a broken PromQL expression and a bad duration, quoting promtool", async function () {
        const findings = await checkPrometheusRules(GOOD.replace("up == 0", "sum(up == 0").replace("for: 5m", "for: 5 minutes"));
        expect(findings.join("\n")).to.match(/FAILED|parse error|not a valid duration/);
    });

    it("rejects a duplicate recording rule group name", async function () {
        const findings = await checkPrometheusRules(`${GOOD}  - name: g\n    rules: []\n`);
        expect(findings.join("\n")).to.contain("groupname");
    });
});
