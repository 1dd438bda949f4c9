import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { onlyResource, outputOf, runWith, shippedStack, SHIPPED_STACKS } from "./support/stacks";
import { BUDGET_METRIC, policyBudgetUsd } from "../components/budget";
import { environmentFile, loadTerraform, ROOT_MODULE_DIR, TerraformTree } from "./terraform/helpers/terraform";

const BUDGET = "aws:budgets/budget:Budget";
const REPO = path.join(__dirname, "..");

/** The policy pack's number for an environment, read straight from its config file. */
function policyConfigBudget(env: string): number {
    const config = JSON.parse(fs.readFileSync(path.join(REPO, "policy-pack", "config", `${env}.json`), "utf8"));
    return config["monthly-cost-estimate"].monthlyBudgetUsd;
}

for (const stack of SHIPPED_STACKS) {
    describe(`AWS Budget (${stack} stack)`, function () {
        it("is a monthly cost budget whose limit is the policy pack's budget for the environment", async function () {
            const run = await shippedStack(stack);
            const budget = onlyResource(run, BUDGET);
            expect(budget.props).to.include({ name: `memspine-${stack}-monthly`, budgetType: "COST", timeUnit: "MONTHLY", limitUnit: "USD" });
            expect(Number(budget.props.limitAmount)).to.equal(policyConfigBudget(stack)).and.to.equal(policyBudgetUsd(stack));
            expect(budget.props.tags).to.include({ Environment: stack, Team: "platform-engineering", Service: "memory-spine" });
        });

        it("filters spend by both cost-allocation tags, Service and Environment", async function () {
            const budget = onlyResource(await shippedStack(stack), BUDGET);
            expect(budget.props.filterExpression).to.deep.equal({
                ands: [
                    { tags: { key: "Service", values: ["memory-spine"] } },
                    { tags: { key: "Environment", values: [stack] } },
                ],
            });
        });

        it("aggregates unblended cost, the metric its filterExpression requires", async function () {
            // Provider typing: filterExpression "Conflicts with `costFilter` and requires `metrics`".
            const budget = onlyResource(await shippedStack(stack), BUDGET);
            expect(budget.props.metrics).to.equal(BUDGET_METRIC).and.to.equal("UnblendedCost");
            expect(budget.props.costFilters).to.equal(undefined);
            expect(budget.props.costTypes, "metrics conflicts with costTypes").to.equal(undefined);
        });

        it("notifies the alarm topic at 80 % actual and 100 % forecast spend", async function () {
            const run = await shippedStack(stack);
            const budget = onlyResource(run, BUDGET);
            const topicArn = outputOf(onlyResource(run, "aws:sns/topic:Topic"), "arn");
            const notifications = budget.props.notifications as Record<string, unknown>[];
            expect(notifications.map((n) => [n.threshold, n.notificationType, n.thresholdType, n.comparisonOperator])).to.deep.equal([
                [80, "ACTUAL", "PERCENTAGE", "GREATER_THAN"],
                [100, "FORECASTED", "PERCENTAGE", "GREATER_THAN"],
            ]);
            for (const n of notifications) {
                expect(n.subscriberSnsTopicArns).to.deep.equal([topicArn]);
                expect(n.subscriberEmailAddresses).to.equal(undefined);
            }
            const topicPolicy = JSON.parse(onlyResource(run, "aws:sns/topicPolicy:TopicPolicy").props.policy);
            expect(topicPolicy.Statement[0].Principal.Service).to.include("budgets.amazonaws.com");
        });
    });
}

describe("AWS Budget options", function () {
    it("takes an explicit monthlyBudgetUsd and e-mail subscribers from config", async function () {
        const run = await runWith({ stack: "staging", overrides: { monthlyBudgetUsd: 1234, budgetEmails: ["finops@example.com"] } });
        expect(run.error).to.equal(undefined);
        const budget = onlyResource(run, BUDGET);
        expect(budget.props.limitAmount).to.equal("1234");
        for (const n of budget.props.notifications as Record<string, unknown>[]) {
            expect(n.subscriberEmailAddresses).to.deep.equal(["finops@example.com"]);
        }
    });

    it("refuses bad budget keys", async function () {
        const run = await runWith({ stack: "dev", overrides: { monthlyBudgetUsd: -5, budgetEmails: ["not-an-address"] } });
        expect(run.error?.name).to.equal("ConfigError");
        expect(run.error?.message).to.contain("memory-spine:monthlyBudgetUsd").and.contain("memory-spine:budgetEmails");
    });
});

describe("one budget number per environment: policy pack = Pulumi = Terraform", function () {
    let tree: TerraformTree;
    before(async function () {
        tree = await loadTerraform();
    });

    for (const env of SHIPPED_STACKS) {
        it(env, async function () {
            const policy = policyConfigBudget(env);
            expect(policy).to.be.a("number").and.greaterThan(0);
            // Pulumi: the shipped stack leaves monthlyBudgetUsd at 0, so the limit is the policy number.
            const pulumiLimit = Number(onlyResource(await shippedStack(env), BUDGET).props.limitAmount);
            expect(pulumiLimit).to.equal(policy);
            // Terraform: tfvars leave monthly_budget_usd at its default 0, and the root passes the
            // number it reads from the same policy config file to the module.
            const root = tree.root;
            const tfvars = fs.readFileSync(environmentFile(env, "terraform.tfvars"), "utf8");
            expect(tfvars).to.not.match(/^monthly_budget_usd\s*=/m);
            expect(root.variables.get("monthly_budget_usd")?.default).to.equal(0);
            const local = JSON.stringify(root.locals.get("policy_budget_usd"));
            expect(local).to.contain('file(\\"${path.module}/../../policy-pack/config/${var.environment}.json\\")').and.contain('[\\"monthly-cost-estimate\\"][\\"monthlyBudgetUsd\\"]');
            // The relative path resolves from the root module's directory to the file the pack reads.
            const resolved = path.join(ROOT_MODULE_DIR, "../../policy-pack/config", `${env}.json`);
            expect(resolved).to.equal(path.join(REPO, "policy-pack", "config", `${env}.json`));
            expect(fs.existsSync(resolved), resolved).to.equal(true);
            const call = JSON.stringify(root.moduleCalls.get("monitoring"));
            expect(call).to.contain("var.monthly_budget_usd > 0 ? var.monthly_budget_usd : local.policy_budget_usd");
            const budget = tree.modules.get("monitoring")?.resources.get("aws_budgets_budget.monthly");
            expect(budget?.limit_amount).to.equal("${tostring(var.monthly_budget_usd)}");
            // filter_expression requires metrics: the same metric as the program's, as a one-item list.
            expect(budget?.filter_expression).to.be.an("array").that.is.not.empty;
            expect(budget?.metrics).to.deep.equal([BUDGET_METRIC]);
            expect(budget?.cost_filter).to.equal(undefined);
        });
    }
});
