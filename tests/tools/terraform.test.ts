import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { renderWithTemplatefile, SHELL_QUOTED, TERRAFORM, terraformFmtCheck } from "../../tools/check/terraform";
import { requireTool } from "../support/tools";

describe("runner: terraform fmt -check and templatefile()", function () {
    let dir: string;
    beforeEach(function () {
        requireTool(this, TERRAFORM.command, TERRAFORM.install);
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "tf-runner-test-"));
    });
    afterEach(function () {
        if (dir) {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("fmt -check passes formatted HCL and names a file that is not", async function () {
        fs.writeFileSync(path.join(dir, "ok.tf"), 'variable "a" {\n  type    = string\n  default = "x"\n}\n');
        expect(await terraformFmtCheck(dir)).to.deep.equal([]);
        fs.writeFileSync(path.join(dir, "bad.tf"), 'variable "b" {\n type = string\n  default= "x"\n}\n');
        const findings = await terraformFmtCheck(dir);
        expect(findings.join("\n")).to.contain("bad.tf").and.not.contain("ok.tf:");
    });

    it("renders with the real templatefile: numbers, escapes and the modules' shell quoting", async function () {
        const template = path.join(dir, "t.tpl");
        fs.writeFileSync(template, "N=${n}\nV=${v}\necho \"$${V}\" %%{x}\n");
        const [plain, quoted] = await renderWithTemplatefile([
            { file: template, vars: { n: 1.5, v: "a" } },
            { file: template, vars: { n: "1", v: "it's" }, quoting: SHELL_QUOTED },
        ]);
        expect(plain).to.equal('N=1.5\nV=a\necho "${V}" %{x}\n');
        expect(quoted).to.equal("N='1'\nV='it'\\''s'\necho \"${V}\" %{x}\n");
    });

    it("rejects a template that uses a variable it was not given", async function () {
        const template = path.join(dir, "t.tpl");
        fs.writeFileSync(template, "A=${a}\nB=${b}\n");
        let error: Error | undefined;
        await renderWithTemplatefile([{ file: template, vars: { a: "x" } }]).catch((e: Error) => (error = e));
        expect(error?.message).to.match(/vars map does not contain key "b"|Invalid function argument/);
    });
});
