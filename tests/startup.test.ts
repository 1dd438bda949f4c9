import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { nodeRuntime } from "../tools/startup/runtime-options";
import { shippedStack } from "./support/stacks";

const ROOT = path.resolve(__dirname, "..");

describe("pulumi preview start-up (Pulumi.yaml runtime options)", () => {
    const runtime = nodeRuntime(ROOT);

    it("loads index.ts without ts-node: typescript false, type-stripping preloads that exist, package.json main names the program", () => {
        expect(runtime.typescript).to.equal(false);
        expect(runtime.main).to.equal("index.ts");
        expect(fs.existsSync(path.join(ROOT, runtime.main))).to.equal(true);
        // Only --require pairs, each a file of this repository (the host runs node from the project root).
        expect(runtime.nodeargs.filter((_, i) => i % 2 === 0)).to.satisfy((flags: string[]) => flags.every((f) => f === "--require"));
        const preloads = runtime.nodeargs.filter((_, i) => i % 2 === 1);
        expect(preloads).to.include("./tools/lib/register-ts.js");
        for (const preload of preloads) {
            expect(fs.existsSync(path.join(ROOT, preload)), preload).to.equal(true);
        }
    });

    it("no build step: nothing names a build output that nothing produces", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { main?: string; scripts: Record<string, string> };
        expect(pkg.scripts).to.not.have.property("build");
        expect(pkg.main).to.equal(runtime.main);
    });

    it("node with exactly those arguments runs the program: the dev stack registers what the tests' run registers", async function () {
        const expected = (await shippedStack("dev")).resources.length;
        const run = spawnSync(process.execPath, [...runtime.nodeargs, path.join("tools", "startup", "load-program.ts"), "dev"], { cwd: ROOT, encoding: "utf8" });
        expect(run.status, run.stderr).to.equal(0);
        expect(JSON.parse(run.stdout)).to.deep.equal({ stack: "dev", resources: expected });
    });
});
