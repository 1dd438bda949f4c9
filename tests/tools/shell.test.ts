import { expect } from "chai";
import { bashSyntax, shellcheck, SHELLCHECK } from "../../tools/check/shell";
import { debianPackage, requireTool } from "../support/tools";

describe("runner: bash -n and shellcheck", function () {
    it("bash -n passes a script and rejects an unterminated if", async function () {
        expect(await bashSyntax("#!/usr/bin/env bash\nif true; then echo ok; fi\n")).to.deep.equal([]);
        expect((await bashSyntax("#!/usr/bin/env bash\nif true; then echo ok\n")).join("\n")).to.contain("syntax error");
    });

    it("shellcheck passes a clean script and rejects an unquoted expansion, with its code", async function () {
        requireTool(this, SHELLCHECK.command, debianPackage(SHELLCHECK.debianPackage));
        expect(await shellcheck('#!/usr/bin/env bash\nname="$1"\necho "${name}"\n')).to.deep.equal([]);
        const findings = await shellcheck('#!/usr/bin/env bash\nname="$1"\nrm $name\n');
        expect(findings.join("\n")).to.contain("SC2086");
        expect(await shellcheck('#!/usr/bin/env bash\nname="$1"\nrm $name\n', { exclude: ["SC2086"] })).to.deep.equal([]);
    });
});
