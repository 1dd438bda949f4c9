// The Terraform off-hours module: wired like the Pulumi component, and planned for real by
// `terraform test` (the real AWS provider, fake credentials, no AWS call) where Terraform exists,
// asserting that HCL derives the very expressions the program derives from the same crons.
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { storeScheduleExpressions } from "../../components/offhours-config";
import { requireTool } from "../support/tools";
import { HclBody, TERRAFORM_ROOT, TerraformTree, firstBlock, loadTerraform } from "./helpers/terraform";

const MODULE_DIR = path.join(TERRAFORM_ROOT, "modules", "offhours-schedule");

/** The parent of the registry.terraform.io directory of a local provider mirror, if this machine has one. */
function providerMirror(): string | undefined {
    for (const dir of ["/opt/tf-plugins", path.join(os.homedir(), ".terraform.d", "plugins")]) {
        if (fs.existsSync(path.join(dir, "registry.terraform.io", "hashicorp", "aws"))) {
            return dir;
        }
    }
    return undefined;
}

/** Cron pairs whose store expressions both forms must agree on: defaults, midnight, week's end, names, lists. */
const CASES: { name: string; down: string; up: string; margin: number }[] = [
    { name: "defaults", down: "0 20 * * *", up: "0 7 * * 1-5", margin: 15 },
    { name: "across_midnight", down: "50 23 * * 1-5", up: "0 0 * * 1-5", margin: 15 },
    { name: "across_the_week_end", down: "45 23 * * 6", up: "10 0 * * 0", margin: 20 },
    { name: "names_and_lists", down: "30 18 * * MON-THU,FRI", up: "0 8 * * mon,wed,5-7", margin: 90 },
];

function testFile(): string {
    const schedule = "aws_scheduler_schedule.this";
    const runs = CASES.map((c) => {
        const expected = storeScheduleExpressions({ scaleDownCron: c.down, scaleUpCron: c.up, timeZone: "UTC" }, c.margin);
        return `
run "${c.name}" {
  command = plan
  variables {
    scale_down_cron = ${JSON.stringify(c.down)}
    scale_up_cron   = ${JSON.stringify(c.up)}
    margin_minutes  = ${c.margin}
  }
  assert {
    condition     = output.stop_expression == ${JSON.stringify(expected.stop)} && output.start_expression == ${JSON.stringify(expected.start)}
    error_message = "the program derives ${expected.stop} and ${expected.start}"
  }
}`;
    }).join("\n");
    return `
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "AKIAIOSFODNN7EXAMPLE"
  secret_key                  = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

override_data {
  target = data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

override_data {
  target = data.aws_partition.current
  values = { partition = "aws" }
}

variables {
  environment         = "dev"
  scale_down_cron     = "0 20 * * *"
  scale_up_cron       = "0 7 * * 1-5"
  database_identifier = "memspine-dev-pgvector"
  database_arn        = "arn:aws:rds:us-east-1:123456789012:db:memspine-dev-pgvector"
}

run "dev_database" {
  command = plan
  assert {
    condition     = length(${schedule}) == 2 && ${schedule}["db-stop"].target[0].arn == "arn:aws:scheduler:::aws-sdk:rds:stopDBInstance" && ${schedule}["db-start"].target[0].arn == "arn:aws:scheduler:::aws-sdk:rds:startDBInstance"
    error_message = "dev stops and starts the database, nothing else"
  }
  assert {
    condition     = jsondecode(${schedule}["db-stop"].target[0].input) == { DbInstanceIdentifier = "memspine-dev-pgvector" } && ${schedule}["db-stop"].schedule_expression == "cron(15 20 ? * * *)" && ${schedule}["db-start"].schedule_expression == "cron(45 6 ? * MON,TUE,WED,THU,FRI *)"
    error_message = "the database schedule"
  }
  assert {
    condition     = ${schedule}["db-stop"].flexible_time_window[0].mode == "OFF" && ${schedule}["db-stop"].group_name == "memspine-dev-offhours" && ${schedule}["db-stop"].target[0].retry_policy[0].maximum_event_age_in_seconds == 3600
    error_message = "fires at the minute, in the environment's group, retried for an hour"
  }
  assert {
    condition     = jsondecode(data.aws_iam_policy_document.stop_start.json).Statement[0].Resource == "arn:aws:rds:us-east-1:123456789012:db:memspine-dev-pgvector" && length(jsondecode(data.aws_iam_policy_document.stop_start.json).Statement) == 1
    error_message = "the role may stop and start exactly that database"
  }
}

run "staging_instances" {
  command = plan
  variables {
    environment         = "staging"
    database_identifier = ""
    database_arn        = ""
    instance_ids        = ["i-0123456789abcdef0"]
    volume_kms_key_arns = ["arn:aws:kms:us-east-1:123456789012:key/0f0e0d0c-0b0a-4090-8070-605040302010"]
  }
  assert {
    condition     = [for st in jsondecode(data.aws_iam_policy_document.stop_start.json).Statement : st.Sid] == ["StopStartInstances", "StartWithEncryptedVolumes"] && jsondecode(data.aws_iam_policy_document.stop_start.json).Statement[0].Resource == "arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0"
    error_message = "the role may stop and start exactly those instances, and grant EC2 the volumes' key"
  }
  assert {
    condition     = length(${schedule}) == 2 && jsondecode(${schedule}["instances-stop"].target[0].input) == { InstanceIds = ["i-0123456789abcdef0"] } && ${schedule}["instances-start"].target[0].arn == "arn:aws:scheduler:::aws-sdk:ec2:startInstances"
    error_message = "staging stops and starts the Qdrant instances in one call"
  }
}
${runs}

run "refuses_prod" {
  command = plan
  variables {
    environment = "prod"
  }
  expect_failures = [var.environment]
}

run "refuses_a_margin_of_zero" {
  command = plan
  variables {
    margin_minutes = 0
  }
  expect_failures = [var.margin_minutes]
}

run "refuses_two_minute_values" {
  command = plan
  variables {
    scale_up_cron = "0,30 7 * * 1-5"
  }
  expect_failures = [var.scale_up_cron]
}
`;
}

describe("terraform: the stores' off-hours schedule (modules/offhours-schedule)", function () {
    let tree: TerraformTree;

    before(async function () {
        tree = await loadTerraform();
    });

    it("the root calls it outside prod only, with the API group's crons and the vector store's database and instances", function () {
        const call = tree.root.moduleCalls.get("offhours_schedule") as HclBody;
        expect(call.count).to.equal('${var.off_hours_stores && var.environment != "prod" ? 1 : 0}');
        expect(call).to.include({
            scale_down_cron: "${var.scale_down_cron}",
            scale_up_cron: "${var.scale_up_cron}",
            schedule_time_zone: "${var.schedule_time_zone}",
            margin_minutes: "${var.off_hours_store_margin_minutes}",
            database_identifier: "${module.vector_store.database_identifier}",
            database_arn: "${module.vector_store.database_arn}",
            instance_ids: "${module.vector_store.qdrant_instance_ids}",
        });
        const module = tree.modules.get("offhours-schedule");
        const schedule = firstBlock(module?.resources.get("aws_scheduler_schedule.this"));
        expect(firstBlock(schedule?.target)?.arn).to.equal("arn:aws:scheduler:::aws-sdk:${each.value.action}");
    });

    it("derives the same expressions as the program and plans every case with the real AWS provider (terraform test)", function () {
        this.timeout(180000);
        requireTool(this, "terraform", "https://developer.hashicorp.com/terraform/install");
        const work = fs.mkdtempSync(path.join(os.tmpdir(), "offhours-tftest-"));
        try {
            for (const file of fs.readdirSync(MODULE_DIR).filter((f) => f.endsWith(".tf"))) {
                fs.copyFileSync(path.join(MODULE_DIR, file), path.join(work, file));
            }
            fs.writeFileSync(path.join(work, "offhours.tftest.hcl"), testFile());
            const mirror = providerMirror();
            const env = { ...process.env, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" };
            if (mirror) {
                // This machine's mirror holds the 5.x provider, whose aws_region names the region `name`.
                const versions = path.join(work, "versions.tf");
                fs.writeFileSync(versions, fs.readFileSync(versions, "utf8").replace('version = "~> 6.0"', 'version = ">= 5.0"'));
                const main = path.join(work, "main.tf");
                fs.writeFileSync(main, fs.readFileSync(main, "utf8").replace(/data\.aws_region\.current\.region/g, "data.aws_region.current.name"));
                fs.appendFileSync(path.join(work, "offhours.tftest.hcl"), '\noverride_data {\n  target = data.aws_region.current\n  values = { name = "us-east-1" }\n}\n');
                execFileSync("terraform", ["init", "-backend=false", "-input=false", `-plugin-dir=${mirror}`], { cwd: work, env, stdio: "pipe" });
            } else {
                fs.appendFileSync(path.join(work, "offhours.tftest.hcl"), '\noverride_data {\n  target = data.aws_region.current\n  values = { region = "us-east-1" }\n}\n');
                execFileSync("terraform", ["init", "-backend=false", "-input=false"], { cwd: work, env, stdio: "pipe" });
            }
            // Plans never reach AWS: fake credentials, skip flags, and a closed proxy as a backstop.
            const offline = { ...env, HTTPS_PROXY: "http://127.0.0.1:9", HTTP_PROXY: "http://127.0.0.1:9", NO_PROXY: "" };
            let output: string;
            try {
                output = execFileSync("terraform", ["test", "-no-color"], { cwd: work, env: offline, encoding: "utf8", stdio: "pipe" });
            } catch (err) {
                const failed = err as { stdout?: string; stderr?: string };
                throw new Error(`terraform test failed:\n${failed.stdout ?? ""}\n${failed.stderr ?? ""}`);
            }
            expect(output).to.match(new RegExp(`Success! ${5 + CASES.length} passed, 0 failed\\.`));
        } finally {
            fs.rmSync(work, { recursive: true, force: true });
        }
    });
});
