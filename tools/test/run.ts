// `npm test`: the static checks (type-check + ESLint, tools/test/check.ts) and mocha run at the
// same time. Mocha runs in parallel mode with one worker per core: each test file goes to the next
// free worker, so added files spread across cores by themselves. A worker is one process that
// runs its files one after another, so the per-process caches (shippedStack) and the process-wide
// Pulumi mock runtime stay safe. Under CI=true a skipped (pending) test fails the run.
//
// The last line is the plain "N passed, N failed, N skipped" a CI reads.
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");
const LIB = path.join(ROOT, "tools", "lib");
/** Where the TypeScript the tests load lives (everything but node_modules). */
const SOURCE_DIRS = ["components", "policy-pack", "tools", "tests"];

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS hook this process was started with
const registerTs = require(path.join(LIB, "register-ts.js")) as { warm(files: string[]): void };

function typeScriptFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            return entry.name === "node_modules" ? [] : typeScriptFiles(full);
        }
        return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [full] : [];
    });
}

interface Finished {
    code: number;
    output: string;
}

/** Runs a node script; echoes its output live when `live`, and always keeps it. */
function node(args: string[], live: boolean): Promise<Finished> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? (process.stdout.isTTY ? "1" : "0") } });
        let output = "";
        const collect = (chunk: Buffer): void => {
            output += chunk.toString();
            if (live) {
                process.stdout.write(chunk);
            }
        };
        child.stdout.on("data", collect);
        child.stderr.on("data", collect);
        child.on("error", reject);
        child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), output }));
    });
}

function count(output: string, word: string): number {
    // eslint-disable-next-line no-control-regex -- colour codes around mocha's summary
    const plain = output.replace(/\u001b\[[0-9;]*m/g, "");
    const match = new RegExp(`^\\s*(\\d+) ${word}\\b`, "m").exec(plain);
    return match ? Number(match[1]) : 0;
}

async function main(): Promise<number> {
    const started = Date.now();
    const jobs = Math.max(2, os.availableParallelism());
    const check = node(["-r", path.join(LIB, "register-ts.js"), path.join(ROOT, "tools", "test", "check.ts")], false);
    // On a fresh clone the type-stripping cache is empty: fill it here once, while the type-check
    // runs, instead of in every worker and policy-pack process (each would load the compiler).
    registerTs.warm([path.join(ROOT, "index.ts"), ...SOURCE_DIRS.flatMap((dir) => typeScriptFiles(path.join(ROOT, dir)))]);
    const mochaBin = require.resolve("mocha/bin/mocha.js");
    const mocha = node([mochaBin, "--parallel", "--jobs", String(jobs), ...process.argv.slice(2)], true);
    const [tests, statics] = await Promise.all([mocha, check]);

    process.stdout.write(`\n${statics.output}`);
    const passed = count(tests.output, "passing");
    const failed = count(tests.output, "failing");
    const skipped = count(tests.output, "pending");
    let code = tests.code !== 0 || statics.code !== 0 ? 1 : 0;
    if (process.env.CI === "true" && skipped > 0) {
        console.log(`CI=true: ${skipped} skipped test${skipped === 1 ? "" : "s"} fail the run (every check must run in CI)`);
        code = 1;
    }
    if (passed + failed === 0) {
        console.log("no test ran");
        code = 1;
    }
    const staticFailure = statics.code === 0 ? 0 : 1;
    console.log(`npm test: ${((Date.now() - started) / 1000).toFixed(1)} s, ${jobs} mocha workers; type-check and ESLint ${staticFailure ? "FAILED (counted as one failure below)" : "passed"}`);
    console.log(`${passed} passed, ${failed + staticFailure} failed, ${skipped} skipped`);
    return code;
}

main().then(
    (code) => process.exit(code),
    (err: unknown) => {
        console.error(err instanceof Error ? err.stack : String(err));
        process.exit(2);
    },
);
