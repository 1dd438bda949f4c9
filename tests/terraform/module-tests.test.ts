import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { TERRAFORM_ROOT } from "./helpers/terraform";
import { requireTool, skipOrFail } from "../support/tools";

/**
 * `terraform test` of every module that ships *.tftest.hcl files: the real Terraform evaluates the
 * module (counts, for_each keys, templatefile, conditionals) against a mocked AWS provider, so the
 * Terraform form's topology is proven the way the program's is under Pulumi's mocks.
 *
 * Offline by construction: the provider comes from the local filesystem mirror (provider 5.100 on
 * this kind of machine, so the module's "~> 6" constraint is relaxed in a temporary copy), the
 * mock provider makes no calls, and HTTPS_PROXY points at a closed port. Where terraform or the
 * mirror is absent the test is skipped and says what is missing (a failure under CI=true).
 */
const PLUGIN_DIR = "/opt/tf-plugins";

function modulesWithTests(): string[] {
    const modules = path.join(TERRAFORM_ROOT, "modules");
    return fs.readdirSync(modules).filter((m) => {
        const dir = path.join(modules, m, "tests");
        return fs.existsSync(dir) && fs.readdirSync(dir).some((f) => f.endsWith(".tftest.hcl"));
    }).sort();
}

function run(args: string[], cwd: string): { status: number | null; output: string } {
    const result = spawnSync("terraform", args, {
        cwd,
        encoding: "utf8",
        env: { ...process.env, HTTPS_PROXY: "http://127.0.0.1:9", HTTP_PROXY: "http://127.0.0.1:9", TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" },
        timeout: 240_000,
    });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("terraform: module tests (terraform test, mocked AWS provider)", function () {
    this.timeout(300_000);

    it("the vector-store and backup modules ship tests", () => {
        expect(modulesWithTests()).to.include.members(["backup", "vector-store"]);
    });

    for (const module of modulesWithTests()) {
        it(`modules/${module}: terraform test passes`, function () {
            requireTool(this, "terraform", "https://developer.hashicorp.com/terraform/install");
            if (!fs.existsSync(path.join(PLUGIN_DIR, "registry.terraform.io", "hashicorp", "aws"))) {
                skipOrFail(this, `no AWS provider mirror at ${PLUGIN_DIR} (terraform init -plugin-dir needs one offline)`);
            }
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tftest-${module}-`));
            try {
                fs.cpSync(path.join(TERRAFORM_ROOT, "modules", module), dir, { recursive: true });
                const versions = path.join(dir, "versions.tf");
                fs.writeFileSync(versions, fs.readFileSync(versions, "utf8").replace(/version\s*=\s*"~> 6[^"]*"/, 'version = ">= 5.0"'));
                const init = run(["init", "-backend=false", `-plugin-dir=${PLUGIN_DIR}`, "-input=false", "-no-color"], dir);
                expect(init.status, init.output).to.equal(0);
                const test = run(["test", "-no-color"], dir);
                expect(test.status, test.output).to.equal(0);
                expect(test.output).to.match(/Success! \d+ passed, 0 failed/);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    }
});
