// `npm run bench`: offline plan wall time per stack against a floor (a bare Node process that
// only loads the SDKs the program uses), policy analyses per second through the analyzer, and
// `pulumi preview` start-up as Pulumi.yaml configures it against the precompiled program
// (tools/startup/bench.ts).
//
// Wall times are medians of BENCH_RUNS (default 5) fresh processes, exactly as `npm run plan`
// starts them. Throughput is measured in this process against one running pack: every resource
// of the stack analyzed concurrently, then the stack, after one warm-up pass.
import { spawnSync } from "child_process";
import * as path from "path";
import { loadPolicyPackConfig, startPolicyPack, PolicyPackClient } from "./analyzer/client";
import { PROJECT_DIR, runProgram } from "./lib/mock-runtime";
import { projectName } from "./lib/stack-config";
import { configurePack, policyConfigFor } from "./plan/plan";
import { measureStartup, median, precompile, startupVariants, STARTUP_TARGET_RATIO } from "./startup/bench";

const ROOT = path.resolve(__dirname, "..");
const STACKS = ["dev", "staging", "prod"];
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const THROUGHPUT_PASSES = 5;
const TARGET_RATIO = 2.0;
const PLAN_ARGS = ["-r", "./tools/lib/defer-closure-deps.js", "-r", "./tools/lib/register-ts.js", "tools/plan/cli.ts"];
const STARTUP_STACK = "prod";
const FLOOR_SCRIPT = "require('@pulumi/pulumi'); require('@pulumi/aws'); require('@pulumi/vault'); require('@pulumi/random');";

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

/** Analyses per second: all of the stack's Analyze calls in flight together, then AnalyzeStack. */
async function analysesPerSecond(pack: PolicyPackClient, stack: string): Promise<number> {
    const run = await runProgram({ stack });
    if (run.error) {
        throw run.error;
    }
    const project = projectName(PROJECT_DIR);
    const configFile = policyConfigFor(PROJECT_DIR, run.config.values[`${project}:environment`]);
    await configurePack(pack, configFile ? loadPolicyPackConfig(configFile) : {}, { stack, project, config: run.config.values });
    const pass = async (): Promise<number> => {
        const start = process.hrtime.bigint();
        await Promise.all(run.resources.map((resource) => pack.analyze(resource, { resources: run.resources })));
        await pack.analyzeStack(run.resources);
        return Number(process.hrtime.bigint() - start) / 1e6;
    };
    await pass(); // warm-up: the pack's first pass includes its JIT
    const ms = median(await sequentially(THROUGHPUT_PASSES, pass));
    return (run.resources.length + 1) / (ms / 1000);
}

async function sequentially<T>(count: number, fn: () => Promise<T>): Promise<T[]> {
    const out: T[] = [];
    for (let i = 0; i < count; i++) {
        out.push(await fn());
    }
    return out;
}

async function main(): Promise<number> {
    const floorMs = median(Array.from({ length: RUNS }, () => timed(["-e", FLOOR_SCRIPT]).ms));
    console.log(`floor (bare node loading @pulumi/pulumi, aws, vault, random): ${floorMs.toFixed(0)} ms (median of ${RUNS})`);
    const pack = await startPolicyPack();
    console.log("stack     plan ms   ratio   program ms   policy tail ms   analyses   analyses/s");
    let worst = 0;
    try {
        for (const stack of STACKS) {
            const runs = Array.from({ length: RUNS }, () => timed([...PLAN_ARGS, "--stack", stack, "--json"]));
            const planMs = median(runs.map((r) => r.ms));
            const timings = runs.map((r) => (JSON.parse(r.stdout) as { timings: { programMs: number; policyMs: number; analyses: number } }).timings);
            const ratio = planMs / floorMs;
            worst = Math.max(worst, ratio);
            const perSecond = await analysesPerSecond(pack, stack);
            console.log(
                [
                    stack.padEnd(8),
                    planMs.toFixed(0).padStart(8),
                    ratio.toFixed(2).padStart(7),
                    String(median(timings.map((t) => t.programMs))).padStart(12),
                    String(median(timings.map((t) => t.policyMs))).padStart(16),
                    String(timings[0].analyses).padStart(10),
                    perSecond.toFixed(0).padStart(12),
                ].join(" "),
            );
        }
    } finally {
        await pack.close();
    }
    console.log(`worst plan/floor ratio ${worst.toFixed(2)} (target <= ${TARGET_RATIO})`);
    const startupRatio = pulumiStartup();
    return worst <= TARGET_RATIO && startupRatio <= STARTUP_TARGET_RATIO ? 0 : 1;
}

/** `pulumi preview` start-up as Pulumi.yaml configures it against the precompiled program; returns the ratio. */
function pulumiStartup(): number {
    const compiled = path.join(ROOT, ".bench", "precompiled");
    precompile(ROOT, compiled);
    const results = measureStartup(ROOT, startupVariants(ROOT, compiled, STARTUP_STACK), RUNS);
    const baseline = results[0].medianMs;
    console.log(`\npulumi preview start-up: the ${STARTUP_STACK} program loaded and run under mocks, fresh process, median of ${RUNS}`);
    for (const result of results) {
        console.log(`  ${result.medianMs.toFixed(0).padStart(6)} ms  ${(result.medianMs / baseline).toFixed(2)}x  ${result.label}`);
    }
    const ratio = results[1].medianMs / baseline;
    console.log(`start-up ratio (configured, warm / precompiled) ${ratio.toFixed(2)} (target <= ${STARTUP_TARGET_RATIO})`);
    return ratio;
}

main().then(
    (code) => process.exit(code),
    (err: Error) => {
        console.error(err.message);
        process.exit(2);
    },
);
