// `npm run bench`: offline plan wall time per stack against a floor (a bare Node process that
// only loads the SDKs the program uses), and policy analyses per second through the analyzer.
import { spawnSync } from "child_process";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const STACKS = ["dev", "staging", "prod"];
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TARGET_RATIO = 2.0;

interface Timed {
    ms: number;
    stdout: string;
}

function timed(args: string[]): Timed {
    const start = process.hrtime.bigint();
    const run = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (run.status !== 0 && run.status !== 1) {
        throw new Error(`${args.join(" ")} exited ${run.status}: ${run.stderr}`);
    }
    return { ms, stdout: run.stdout };
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

const floorScript = "require('@pulumi/pulumi'); require('@pulumi/aws'); require('@pulumi/vault'); require('@pulumi/random');";
const floorMs = median(Array.from({ length: RUNS }, () => timed(["-e", floorScript]).ms));
console.log(`floor (node + @pulumi/pulumi, aws, vault, random): ${floorMs.toFixed(0)} ms (median of ${RUNS})`);
console.log("stack     plan ms   ratio   analyses   policy ms   analyses/s");
let worst = 0;
for (const stack of STACKS) {
    const runs = Array.from({ length: RUNS }, () => timed(["-r", "./tools/lib/register-ts.js", "tools/plan/cli.ts", "--stack", stack, "--json"]));
    const planMs = median(runs.map((r) => r.ms));
    const last = JSON.parse(runs[runs.length - 1].stdout) as { timings: { analyses: number; policyMs: number } };
    const ratio = planMs / floorMs;
    worst = Math.max(worst, ratio);
    const perSecond = last.timings.analyses / (last.timings.policyMs / 1000);
    console.log(`${stack.padEnd(8)} ${planMs.toFixed(0).padStart(8)} ${ratio.toFixed(2).padStart(7)} ${String(last.timings.analyses).padStart(10)} ${String(last.timings.policyMs).padStart(11)} ${perSecond.toFixed(0).padStart(12)}`);
}
console.log(`worst plan/floor ratio ${worst.toFixed(2)} (target <= ${TARGET_RATIO})`);
process.exitCode = worst <= TARGET_RATIO ? 0 : 1;
