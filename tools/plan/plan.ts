import * as fs from "fs";
import * as path from "path";
import { runProgram, PROJECT_DIR, ProgramRun } from "../lib/mock-runtime";
import { loadEngineConfig, projectName, stackFilePath, stackNameOf } from "../lib/stack-config";
import { loadPolicyPackConfig, startPolicyPack, AnalyzerInfo, PolicyPackClient, StackInfo, PolicyViolation, EnforcementLevel, PolicyPackConfigFile } from "../analyzer/client";
import type { CostEstimate } from "../../policy-pack/policies/lib/estimate";
import { ESTIMATE_JSON_PREFIX } from "../../policy-pack/policies/lib/report";

import { countByAction, renderSummary, renderTree, stackResource, PlanAction } from "./tree";
import { EXIT_CLEAN, EXIT_MANDATORY_VIOLATION, EXIT_PROGRAM_ERROR } from "./exit-codes";
import { renderUndecided, separateUndecided, UndecidedPolicy } from "./undecided";

export { EXIT_CLEAN, EXIT_MANDATORY_VIOLATION, EXIT_PROGRAM_ERROR };

export interface PlanOptions {
    /** Stack name (Pulumi.<stack>.yaml) or a path to any stack file. */
    stack: string;
    /** Policy pack config; default policy-pack/config/<environment>.json. */
    policyConfig?: string;
    projectDir?: string;
    /** A running pack to reuse (tests plan many stacks); by default one is started and stopped. */
    pack?: PolicyPackClient | Promise<PolicyPackClient>;
    /**
     * Plan as the first `pulumi preview` of a new stack: every value a provider computes on create
     * is unknown, and what the pack cannot decide without it is listed in `undecided`.
     */
    firstPreview?: boolean;
}

export interface PlanResult {
    stack: string;
    project?: string;
    environment?: string;
    exitCode: number;
    /** The program's error (config or apply), when it failed. */
    error?: { name: string; message: string };
    policyPack?: { name: string; version: string; config?: string };
    /** Every resource the program registers; `action` is what a preview would do (no state here: create). */
    resources: { urn: string; type: string; name: string; parent?: string; protect: boolean; action: PlanAction }[];
    /** Resources per action as `pulumi preview` counts them: the stack resource included. */
    summary?: Partial<Record<PlanAction, number>>;
    violations: PolicyViolation[];
    /** First preview: the policies that could not decide a resource (or the stack) without values unknown until apply. */
    firstPreview?: boolean;
    undecided: UndecidedPolicy[];
    costEstimate?: CostEstimate;
    /**
     * programMs: the program's run under mocks; policyMs: how long the verdicts took after the
     * program finished (the per-resource analyses overlap the run); analyses: Analyze and
     * AnalyzeStack calls made.
     */
    timings: { programMs: number; policyMs: number; analyses: number };
}

/**
 * Runs the real program under mocks with the stack's config while the real policy pack, started
 * as its own process, judges every resource through the analyzer protocol, exactly as
 * `pulumi preview --policy-pack` does: each resource is analyzed as soon as it is registered,
 * then the whole stack once the program has finished. No policy logic lives here.
 */
export async function plan(options: PlanOptions): Promise<PlanResult> {
    const projectDir = options.projectDir ?? PROJECT_DIR;
    // The pack boots in its own process while this one loads the program: the two overlap.
    const packStarting = options.pack ? Promise.resolve(options.pack) : startPolicyPack();
    packStarting.catch(() => undefined);
    try {
        return await planWith(packStarting, projectDir, options);
    } finally {
        if (!options.pack) {
            await (await packStarting.catch(() => undefined))?.close();
        }
    }
}

async function planWith(packStarting: Promise<PolicyPackClient>, projectDir: string, options: PlanOptions): Promise<PlanResult> {
    const stackFile = stackFilePath(projectDir, options.stack);
    const stackConfig = loadEngineConfig(projectDir, stackFile);
    const project = projectName(projectDir);
    const environment = stackConfig.values[`${project}:environment`];
    const configFile = options.policyConfig ?? policyConfigFor(projectDir, environment);
    const policyPack = configureWhenReady(packStarting, configFile, { stack: stackNameOf(stackFile), project, config: stackConfig.values });

    // Each resource is analyzed as soon as it is registered, as the engine does, so the pack
    // works through them while the program goes on.
    const analyses: Promise<PolicyViolation[]>[] = [];
    const programStart = Date.now();
    const run = await runProgram({
        stack: options.stack,
        projectDir,
        firstPreview: options.firstPreview,
        onRegistered: (resource, registeredSoFar) => {
            const analysis = policyPack.then(({ pack }) => pack.analyze(resource, { resources: registeredSoFar }));
            analysis.catch(() => undefined); // awaited below; a failed program discards it
            analyses.push(analysis);
        },
    });
    const programEnd = Date.now();
    const result: PlanResult = {
        stack: run.stack,
        project,
        environment,
        exitCode: EXIT_CLEAN,
        resources: run.resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name, parent: r.parent, protect: r.options.protect === true, action: "create" as const })),
        violations: [],
        ...(options.firstPreview ? { firstPreview: true } : {}),
        undecided: [],
        timings: { programMs: programEnd - programStart, policyMs: 0, analyses: 0 },
    };
    if (run.error) {
        return { ...result, exitCode: EXIT_PROGRAM_ERROR, error: { name: run.error.name, message: run.error.message } };
    }
    const { pack, info } = await policyPack;
    result.policyPack = { name: info.name, version: info.version, config: configFile ? path.relative(process.cwd(), configFile) : undefined };
    const perResource = await Promise.all(analyses);
    const stack = await pack.analyzeStack(run.resources);
    const { violations, undecided } = separateUndecided([...perResource.flat(), ...stack]);
    result.violations.push(...violations);
    result.undecided.push(...undecided);
    result.timings.analyses = analyses.length + 1;
    result.timings.policyMs = Date.now() - programEnd;
    result.summary = countByAction([stackResource(project, run.stack), ...result.resources]);
    result.costEstimate = extractEstimate(result.violations);
    result.exitCode = result.violations.some((v) => v.enforcementLevel === "mandatory") ? EXIT_MANDATORY_VIOLATION : EXIT_CLEAN;
    return result;
}

/** Configures the pack (policy config, then stack identity) as soon as it is up. */
function configureWhenReady(
    packStarting: Promise<PolicyPackClient>,
    configFile: string | undefined,
    stack: StackInfo,
): Promise<{ pack: PolicyPackClient; info: AnalyzerInfo }> {
    const policyConfig: PolicyPackConfigFile = configFile ? loadPolicyPackConfig(configFile) : {};
    const configured = packStarting.then(async (pack) => ({ pack, info: await configurePack(pack, policyConfig, stack) }));
    configured.catch(() => undefined); // awaited by plan(); a failed program discards it
    return configured;
}

/** What `pulumi preview --policy-pack` sends before any resource: the policy config, then the stack. */
export async function configurePack(pack: PolicyPackClient, policyConfig: PolicyPackConfigFile, stack: StackInfo): Promise<AnalyzerInfo> {
    const info = await pack.getAnalyzerInfo();
    await pack.configure(policyConfig);
    await pack.configureStack({ ...stack, dryRun: true });
    return info;
}

/** policy-pack/config/<environment>.json, when the environment has one. */
export function policyConfigFor(projectDir: string, environment: string | undefined): string | undefined {
    const file = path.join(projectDir, "policy-pack", "config", `${environment}.json`);
    return environment && fs.existsSync(file) ? file : undefined;
}

/** The pack reports its estimate as JSON after a fixed prefix; the plan only renders it. */
export function extractEstimate(violations: readonly PolicyViolation[]): CostEstimate | undefined {
    for (const violation of violations) {
        const line = violation.message.split("\n").find((l) => l.startsWith(ESTIMATE_JSON_PREFIX));
        if (line) {
            return JSON.parse(line.slice(ESTIMATE_JSON_PREFIX.length)) as CostEstimate;
        }
    }
    return undefined;
}

const LEVEL_ORDER: EnforcementLevel[] = ["mandatory", "remediate", "advisory", "disabled"];

/** The plan for a person: resource tree, violations by enforcement level, cost table. */
export function renderPlan(result: PlanResult, run?: Pick<ProgramRun, "resources">): string {
    const lines: string[] = [];
    lines.push(`Offline plan for stack "${result.stack}"${result.environment ? ` (environment ${result.environment})` : ""}${result.firstPreview ? ", as its first preview" : ""}`);
    if (result.error) {
        lines.push("", `${result.error.name === "ConfigError" ? "Configuration error" : "Program error"}:`, result.error.message, "", "Result: FAILED (exit 2)");
        return lines.join("\n");
    }
    const root = stackResource(result.project ?? projectName(PROJECT_DIR), result.stack);
    const resources = run?.resources ?? result.resources;
    lines.push("", ...renderTree(root, resources), "", ...renderSummary(result.summary ?? countByAction([root, ...resources])));

    if (result.policyPack) {
        lines.push("", `Policy pack ${result.policyPack.name} ${result.policyPack.version}${result.policyPack.config ? ` with ${result.policyPack.config}` : ""}:`);
    }
    const names = new Map(result.resources.map((r) => [r.urn, `${r.type} ${r.name}`]));
    for (const level of LEVEL_ORDER) {
        const found = result.violations.filter((v) => v.enforcementLevel === level && !(level === "advisory" && v.policyName === "cost-estimate-report"));
        if (found.length === 0 && level !== "mandatory") {
            continue;
        }
        lines.push(`  ${level} (${found.length})`);
        for (const violation of found) {
            const where = violation.urn ? names.get(violation.urn) ?? violation.urn : "stack";
            lines.push(`    [${violation.policyName}] ${where}`);
            for (const detail of violation.detail.split("\n").filter((l) => l.trim() !== "")) {
                lines.push(`      ${detail}`);
            }
        }
    }

    if (result.firstPreview) {
        lines.push("", ...renderUndecided(result.undecided, (urn) => names.get(urn) ?? urn));
    }
    if (result.costEstimate) {
        lines.push("", ...renderEstimate(result.costEstimate));
    }
    const mandatory = result.violations.filter((v) => v.enforcementLevel === "mandatory").length;
    lines.push("", mandatory === 0 ? "Result: PASSED (no mandatory violations)" : `Result: FAILED (${mandatory} mandatory violation${mandatory === 1 ? "" : "s"}, exit 1)`);
    return lines.join("\n");
}

function money(value: number): string {
    return `$${value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

function renderEstimate(estimate: CostEstimate): string[] {
    const header = ["item", "resource", "desired", "with schedule", "max capacity"];
    const rows = estimate.lines.map((l) => [l.item, l.name, money(l.monthlyUsd.desired), money(l.monthlyUsd.withSchedule), money(l.monthlyUsd.max)]);
    const t = estimate.totals;
    rows.push(["total", "", money(t.desiredMonthlyUsd), money(t.withScheduleMonthlyUsd), money(t.maxMonthlyUsd)]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const format = (row: string[]) => "  " + row.map((cell, i) => (i >= 2 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join("  ");
    const out = [`Cost estimate (${estimate.currency}/month, ${estimate.region} on-demand, ${estimate.hoursPerMonth} h/month):`, format(header), format(widths.map((w) => "-".repeat(w)))];
    out.push(...rows.slice(0, -1).map(format), format(widths.map((w) => "-".repeat(w))), format(rows[rows.length - 1]));
    if (t.scheduleSavingMonthlyUsd > 0) {
        out.push(`  off-hours schedule saves ${money(t.scheduleSavingMonthlyUsd)}/month`);
    }
    for (const store of estimate.storeSchedules ?? []) {
        out.push(`  stopped off hours: ${store.resourceName} ${store.stoppedHoursPerWeek} of 168 h/week (runs ${store.runningHoursPerWeek} h; stop ${store.stop.join(" | ")}, start ${store.start.join(" | ")}, ${store.timeZone})`);
    }
    for (const item of estimate.unpriced) {
        out.push(`  ${item.byUse ? "billed by use" : "unpriced"}: ${item.item} (${item.name}): ${item.reason}`);
    }
    return out;
}
