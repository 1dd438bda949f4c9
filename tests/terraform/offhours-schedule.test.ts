// The Terraform off-hours module: wired like the Pulumi component, and its terraform test file (run
// offline by offline.test.ts with every module's) asserts that HCL derives the very expressions the
// program derives from the same crons.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { storeScheduleExpressions } from "../../components/offhours-config";
import { CASES, offhoursTestFile } from "./helpers/offhours-tftest";
import { HclBody, TERRAFORM_ROOT, TerraformTree, firstBlock, loadTerraform } from "./helpers/terraform";

const MODULE_DIR = path.join(TERRAFORM_ROOT, "modules", "offhours-schedule");

describe("terraform: the stores' off-hours schedule (modules/offhours-schedule)", function () {
    let tree: TerraformTree;

    before(async function () {
        tree = await loadTerraform();
    });

    it("the root calls it outside prod only, with the API group's crons and the vector store's database and instances", function () {
        const call = tree.root.moduleCalls.get("offhours_schedule") as HclBody;
        // local.off_hours_stores: the stack's value, or the environment's default (false in prod).
        expect(call.count).to.equal('${local.off_hours_stores && var.environment != "prod" ? 1 : 0}');
        expect(call).to.include({
            scale_down_cron: "${var.scale_down_cron}",
            scale_up_cron: "${var.scale_up_cron}",
            schedule_time_zone: "${var.schedule_time_zone}",
            margin_minutes: "${var.off_hours_store_margin_minutes}",
            database_identifier: "${module.vector_store.database_identifier}",
            database_arn: "${module.vector_store.database_arn}",
        });
        const module = tree.modules.get("offhours-schedule");
        const schedule = firstBlock(module?.resources.get("aws_scheduler_schedule.this"));
        expect(firstBlock(schedule?.target)?.arn).to.equal("arn:aws:scheduler:::aws-sdk:${each.value.action}");
        expect(module?.variables.get("environment")?.validation, "the module refuses prod on its own").to.not.equal(undefined);
    });

    it("its terraform test file (run offline by offline.test.ts) is the one generated from the program's expressions", function () {
        const normalize = (text: string) => text.split("\n").filter((line) => !/^\s*#/.test(line)).join("\n").replace(/\s+/g, " ").trim();
        const committed = fs.readFileSync(path.join(MODULE_DIR, "tests", "environments.tftest.hcl"), "utf8");
        expect(normalize(committed), "regenerate terraform/modules/offhours-schedule/tests/environments.tftest.hcl (see helpers/offhours-tftest.ts)").to.equal(normalize(offhoursTestFile()));
        for (const c of CASES) {
            const expected = storeScheduleExpressions({ scaleDownCron: c.down, scaleUpCron: c.up, timeZone: "UTC" }, c.margin);
            expect(committed, c.name).to.contain(`output.stop_expression == "${expected.stop}" && output.start_expression == "${expected.start}"`);
        }
        expect(committed).to.contain('"cron(15 20 ? * * *)"').and.contain('"cron(45 6 ? * MON,TUE,WED,THU,FRI *)"');
    });
});
