import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { firstFormattingDifference, formatHcl } from "./helpers/hcl-format";
import { REPO_ROOT, TERRAFORM_ROOT, walkFiles } from "./helpers/terraform";

describe("terraform: terraform fmt layout", function () {
    const files = walkFiles(TERRAFORM_ROOT, (f) => /\.(tf|tfvars|hcl)$/.test(f));

    it("finds the HCL files", function () {
        expect(files.length).to.be.greaterThan(30);
    });

    for (const file of files) {
        const relative = path.relative(REPO_ROOT, file);
        it(`${relative}: two-space indentation, aligned =, no trailing whitespace`, function () {
            expect(firstFormattingDifference(fs.readFileSync(file, "utf8")), relative).to.equal(undefined);
        });
    }

    describe("the layout check itself", function () {
        it("accepts what terraform fmt writes", function () {
            const formatted = [
                'resource "aws_lb" "this" {',
                "  name     = local.name",
                '  internal = var.environment != "prod"',
                "  tags = merge(local.tags, {",
                '    Name = "x"',
                "  })",
                "  policy = <<-EOT",
                "      kept   = as is",
                "  EOT",
                "",
                "  after = 1",
                "",
                "  lifecycle {",
                "    ignore_changes = [tags]",
                "  }",
                "}",
                "",
            ].join("\n");
            expect(firstFormattingDifference(formatted)).to.equal(undefined);
        });

        it("rejects four-space indentation, unaligned or over-aligned =, tabs and trailing spaces", function () {
            expect(firstFormattingDifference('x {\n    a = 1\n}\n')).to.contain("line 2");
            expect(firstFormattingDifference('x {\n  a = 1\n  bbb = 2\n}\n')).to.contain("line 2");
            expect(firstFormattingDifference('x {\n  a    = 1\n  bb   = 2\n}\n')).to.contain("line 2");
            expect(firstFormattingDifference('x {\n\ta = 1\n}\n')).to.equal("contains a tab");
            expect(firstFormattingDifference('x {\n  a = 1 \n}\n')).to.contain("line 2");
            expect(firstFormattingDifference('x {\n  a = 1\n}')).to.not.equal(undefined);
        });

        it("aligns runs the way hclwrite does: blank lines, comments and blocks end a run", function () {
            const input = 'x {\n  a = 1\n  long_name = 2\n\n  b = 3\n  # c\n  cc = 4\n  m = {\n  k = 1\n  }\n}\n';
            expect(formatHcl(input)).to.equal('x {\n  a         = 1\n  long_name = 2\n\n  b = 3\n  # c\n  cc = 4\n  m = {\n    k = 1\n  }\n}\n');
            // A heredoc is one "line" for hclwrite: the run goes on after its closing marker.
            expect(formatHcl('x {\n  p = <<-EOT\n  body\n  EOT\n  long = 1\n}\n')).to.equal('x {\n  p    = <<-EOT\n  body\n  EOT\n  long = 1\n}\n');
        });
    });
});
