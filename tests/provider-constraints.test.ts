import { expect } from "chai";
import * as path from "path";
import { parse } from "@cdktf/hcl2json";
import { formatViolation } from "../tools/constraints/evaluate";
import { checkResources } from "../tools/constraints/pulumi";
import { checkTerraform, HclBody, TerraformResource } from "../tools/constraints/terraform";
import { constraintTable } from "./support/checked-runs";
import { onlyResource, shippedStack, SHIPPED_STACKS } from "./support/stacks";
import { loadTerraform, parseFile, REPO_ROOT, TERRAFORM_ROOT, walkFiles } from "./terraform/helpers/terraform";
import { TERRAFORM_TYPES } from "./terraform/helpers/type-map";

/**
 * What the providers document about their inputs ("Conflicts with", "requires", "Valid values",
 * ranges, @deprecated), read from their typings and checked on every resource of both forms.
 * The mock runtime and `terraform validate` without the right provider never check these;
 * `pulumi up` and `terraform apply` would, or worse, AWS would accept a broken resource.
 */
const BUDGET_SENTENCE = "Conflicts with `costFilter` and requires `metrics`.";

/** Terraform type -> Pulumi token, for the types whose names do not say it (aws_lb, aws_vpc, ...). */
const TOKENS_BY_TERRAFORM_TYPE = Object.fromEntries(Object.entries(TERRAFORM_TYPES).map(([token, type]) => [type, token]));

function resourcesOf(document: { resource?: Record<string, Record<string, unknown[]>> }, file: string): TerraformResource[] {
    return Object.entries(document.resource ?? {}).flatMap(([type, byName]) =>
        Object.entries(byName).flatMap(([name, bodies]) => bodies.map((body) => ({ type, address: `${file}: ${type}.${name}`, body: body as HclBody }))),
    );
}

describe("provider-documented constraints: the Pulumi program", function () {
    for (const stack of SHIPPED_STACKS) {
        it(`${stack}: every resource, nested blocks included, satisfies its provider's documented constraints`, async function () {
            const run = await shippedStack(stack);
            const check = checkResources(constraintTable, run.resources);
            expect(check.unchecked, "resource types without provider typings (left unchecked)").to.deep.equal([]);
            expect(check.violations.map(formatViolation)).to.deep.equal([]);
        });
    }

    it("catches defect 1 on the old budget shape: filterExpression without metrics, quoting the provider", async function () {
        const budget = onlyResource(await shippedStack("dev"), "aws:budgets/budget:Budget");
        const { metrics, ...oldInputs } = budget.inputs;
        expect(metrics, "today's budget sets metrics").to.equal("UnblendedCost");
        const check = checkResources(constraintTable, [{ ...budget, inputs: oldInputs }]);
        expect(check.violations).to.have.lengthOf(1);
        const [violation] = check.violations;
        expect(violation).to.include({ type: "aws:budgets/budget:Budget", resource: "memspine-dev-budget", path: "filterExpression", kind: "requires", sentence: BUDGET_SENTENCE });
        expect(formatViolation(violation)).to.equal(
            'aws:budgets/budget:Budget memspine-dev-budget: filterExpression: filterExpression = {"ands":[{"tags":{"key":"Service","values":["memory-spine"]}},' +
                '{"tags":{"key":"Environment","values":["dev"]}}]} is set but metrics is not. The provider documents: "Conflicts with `costFilter` and requires `metrics`."',
        );
    });

    it("catches a value outside the documented list and a documented conflict on a real resource", async function () {
        const budget = onlyResource(await shippedStack("dev"), "aws:budgets/budget:Budget");
        const broken = { ...budget, inputs: { ...budget.inputs, metrics: "UnblendedCosts", costFilters: [{ name: "TagKeyValue", values: ["user:Service$memory-spine"] }] } };
        const kinds = checkResources(constraintTable, [broken]).violations.map((v) => `${v.path}:${v.kind}`);
        expect(kinds).to.have.members(["filterExpression:conflicts", "costFilters:conflicts", "metrics:oneOf"]);
    });
});

describe("provider-documented constraints: the Terraform modules", function () {
    let resources: TerraformResource[];
    before(async function () {
        // Every .tf under terraform/, so a module added later is covered without a list to extend;
        // the files the shared tree has parsed already are not parsed again.
        const tree = await loadTerraform();
        const parsed = [...tree.byDir.values()].flatMap((module) => module.files);
        const known = new Set(parsed.map((file) => file.path));
        const others = walkFiles(TERRAFORM_ROOT, (f) => f.endsWith(".tf") && !known.has(path.relative(REPO_ROOT, f)));
        const files = [...parsed, ...(await Promise.all(others.map(parseFile)))];
        resources = files.flatMap((file) => resourcesOf(file.document, file.path));
    });

    it("every resource type maps to its provider's typings", function () {
        expect(resources.length).to.be.greaterThan(50);
        expect(new Set(resources.map((r) => r.address.split(":")[0])).size, "files with resources").to.be.greaterThan(5);
        const check = checkTerraform(constraintTable, resources, TOKENS_BY_TERRAFORM_TYPE);
        expect(check.unmapped, "Terraform types without provider typings: add them to tests/terraform/helpers/type-map.ts").to.deep.equal([]);
    });

    it("every resource, blocks included, satisfies its provider's documented constraints", function () {
        const check = checkTerraform(constraintTable, resources, TOKENS_BY_TERRAFORM_TYPE);
        expect(check.violations.map(formatViolation)).to.deep.equal([]);
    });

    it("catches defect 1 on the old HCL: filter_expression without metrics, quoting the provider", async function () {
        const oldBudget = [
            'resource "aws_budgets_budget" "monthly" {',
            '  name         = "memspine-dev-monthly"',
            '  budget_type  = "COST"',
            '  time_unit    = "MONTHLY"',
            "  limit_amount = tostring(var.monthly_budget_usd)",
            '  limit_unit   = "USD"',
            "  filter_expression {",
            "    and {",
            "      tags {",
            '        key    = "Service"',
            '        values = ["memory-spine"]',
            "      }",
            "    }",
            "  }",
            "}",
        ].join("\n");
        const document = (await parse("old-budget.tf", oldBudget)) as { resource?: Record<string, Record<string, unknown[]>> };
        const check = checkTerraform(constraintTable, resourcesOf(document, "old-budget.tf"), TOKENS_BY_TERRAFORM_TYPE);
        expect(check.violations.map(formatViolation)).to.deep.equal([
            'aws:budgets/budget:Budget old-budget.tf: aws_budgets_budget.monthly: filter_expression: filter_expression = [{"and":[{"tags":[{"key":"Service","values":["memory-spine"]}]}]}] ' +
                'is set but metrics is not. The provider documents: "Conflicts with `costFilter` and requires `metrics`."',
        ]);
    });
});
