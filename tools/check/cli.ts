// `npm run check-artifacts -- --stack <name|file> [...]`: the real tools on what the stacks render
// (tools/check/stack-check.ts), for a person. Exit 0 clean, 1 a finding, 2 a program error.
import { runProgram } from "../lib/mock-runtime";
import { checkStack, StackCheckReport, TOOL_COMMANDS } from "./stack-check";

const USAGE = "usage: npm run check-artifacts -- --stack <name|Pulumi.<name>.yaml> [--stack ...]";

function render(report: StackCheckReport): { lines: string[]; failed: boolean } {
    const lines = [`Artifacts of stack "${report.stack}":`];
    let failed = false;
    for (const checked of report.checked) {
        failed ||= checked.findings.length > 0;
        lines.push(`  ${checked.findings.length === 0 ? "ok  " : "FAIL"}  ${checked.tool.padEnd(24)} ${checked.artifact}`);
        lines.push(...checked.findings.map((f) => `          ${f}`));
    }
    for (const twin of report.twins) {
        failed ||= twin.differences.length > 0;
        lines.push(`  ${twin.differences.length === 0 ? "ok  " : "FAIL"}  ${"terraform = program".padEnd(24)} ${twin.terraformTemplate ?? twin.programTemplate ?? "?"} for ${twin.source}`);
        lines.push(...twin.differences.map((d) => `          ${d}`));
    }
    for (const unprovided of report.unprovidedUnits) {
        failed = true;
        lines.push(`  FAIL  units enabled but never written nor installed by ${unprovided.artifact}: ${unprovided.units.join(", ")}`);
    }
    for (const tool of report.missingTools) {
        lines.push(`  skip  ${tool.padEnd(24)} not on PATH (${TOOL_COMMANDS[tool].install})`);
    }
    return { lines, failed };
}

async function main(argv: string[]): Promise<number> {
    const stacks: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === "--stack" && argv[i + 1] !== undefined) {
            stacks.push(argv[++i]);
        } else {
            console.error(USAGE);
            return 2;
        }
    }
    if (stacks.length === 0) {
        stacks.push("dev", "staging", "prod");
    }
    let failed = false;
    for (const stack of stacks) {
        const run = await runProgram({ stack }); // one at a time: the Pulumi runtime is process-global
        if (run.error) {
            console.error(`stack ${stack}: ${run.error.message}`);
            return 2;
        }
        const result = render(await checkStack(run));
        failed ||= result.failed;
        console.log(result.lines.join("\n"));
    }
    return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
        console.error(error);
        process.exit(2);
    },
);
