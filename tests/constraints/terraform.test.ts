import { expect } from "chai";
import { MAYBE, SOURCE_NAMES } from "../../tools/constraints/evaluate";
import type { ShapeConstraints } from "../../tools/constraints/table";
import { pulumiName, toInputs, tokenFromTerraformType } from "../../tools/constraints/terraform";

describe("Terraform resources as Pulumi inputs", function () {
    it("maps Terraform names to inputs: camelCase, and the plural Pulumi gives blocks", function () {
        const names = ["filterExpression", "notifications", "costFilters", "ands", "policies", "name"];
        expect(pulumiName("filter_expression", names)).to.equal("filterExpression");
        expect(pulumiName("notification", names)).to.equal("notifications");
        expect(pulumiName("cost_filter", names)).to.equal("costFilters");
        expect(pulumiName("and", names)).to.equal("ands");
        expect(pulumiName("policy", names)).to.equal("policies");
        expect(pulumiName("count", names)).to.equal(undefined);
    });

    it("converts blocks through their nested shapes; expressions and dynamic blocks become unknown; meta-arguments are dropped", function () {
        const outer: ShapeConstraints = { properties: { limitUnit: { constraints: [] }, notifications: { constraints: [], nested: "b.N" }, metrics: { constraints: [] } } };
        const inner: ShapeConstraints = { properties: { threshold: { constraints: [] } } };
        const inputs = toInputs(
            { limit_unit: "USD", metrics: "${var.metric}", count: 1, notification: [{ threshold: 80, ignored: "x" }], dynamic: { notification: [{ for_each: "${x}", content: [] }] } },
            outer,
            (q) => (q === "b.N" ? inner : undefined),
        );
        expect(inputs).to.deep.equal({ limitUnit: "USD", metrics: MAYBE, notifications: MAYBE });
        const plain = toInputs({ notification: [{ threshold: 80 }] }, outer, (q) => (q === "b.N" ? inner : undefined));
        expect(plain).to.deep.equal({ notifications: [{ threshold: 80 }] });
        expect((plain as { [SOURCE_NAMES]?: Record<string, string> })[SOURCE_NAMES]).to.deep.equal({ notifications: "notification" });
    });

    it("finds the Pulumi token of a Terraform type from the SDK's own registrations", function () {
        expect(tokenFromTerraformType("aws_budgets_budget")).to.equal("aws:budgets/budget:Budget");
        expect(tokenFromTerraformType("aws_cloudwatch_metric_alarm")).to.equal("aws:cloudwatch/metricAlarm:MetricAlarm");
        expect(tokenFromTerraformType("vault_approle_auth_backend_role")).to.equal("vault:appRole/authBackendRole:AuthBackendRole");
        expect(tokenFromTerraformType("vault_mount")).to.equal("vault:index/mount:Mount");
        expect(tokenFromTerraformType("nosuch_thing")).to.equal(undefined);
    });
});
