/**
 * Every real tool on every artifact one stack renders, in both forms: the program's rendering
 * (boot scripts, Prometheus rules, alert manager definition) and Terraform's rendering of its
 * templates with the same values (real templatefile()), each distinct text checked once, all
 * tools running at once. Tools that are not on PATH are listed as missing, never passed.
 */
import * as path from "path";
import { parse } from "yaml";
import type { ProgramRun } from "../lib/mock-runtime";
import { AMTOOL, checkAmpAlertManagerDefinition } from "./amtool";
import { stackArtifacts } from "./artifacts";
import { PROMTOOL, checkPrometheusRules } from "./promtool";
import { debianPackage, hasCommand } from "./run";
import { bashSyntax, shellcheck, SHELLCHECK } from "./shell";
import { SYSTEMD_ANALYZE, verifyBootUnits } from "./systemd";
import { identifyRendering, scriptBody, snakeCase, terraformTwinPath } from "./template-twins";
import { renderWithTemplatefile, SHELL_QUOTED, TemplateRequest, TERRAFORM } from "./terraform";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const MONITORING_TEMPLATES = path.join(REPO_ROOT, "terraform", "modules", "monitoring", "templates");

export type ToolName = "bash -n" | "shellcheck" | "systemd-analyze verify" | "promtool check rules" | "amtool check-config" | "terraform templatefile";

/** The command each check needs, and how to get it. */
export const TOOL_COMMANDS: Readonly<Record<ToolName, { command: string; install: string }>> = {
    "bash -n": { command: "bash", install: "bash" },
    shellcheck: { command: SHELLCHECK.command, install: debianPackage(SHELLCHECK.debianPackage) },
    "systemd-analyze verify": { command: SYSTEMD_ANALYZE.command, install: debianPackage(SYSTEMD_ANALYZE.debianPackage) },
    "promtool check rules": { command: PROMTOOL.command, install: debianPackage(PROMTOOL.debianPackage) },
    "amtool check-config": { command: AMTOOL.command, install: debianPackage(AMTOOL.debianPackage) },
    "terraform templatefile": { command: TERRAFORM.command, install: TERRAFORM.install },
};

export interface CheckedArtifact {
    tool: ToolName;
    /** Which form rendered it and from what: `program: aws:ec2/... name` or `terraform: <template> for ...`. */
    artifact: string;
    findings: string[];
}

export interface TwinComparison {
    /** The program's resource whose rendering was compared. */
    source: string;
    programTemplate?: string;
    terraformTemplate?: string;
    /** Empty when Terraform renders the same text; otherwise what differs. */
    differences: string[];
}

export interface StackCheckReport {
    stack: string;
    checked: CheckedArtifact[];
    twins: TwinComparison[];
    /** Units the boot scripts enable that neither they nor an installed package provide. */
    unprovidedUnits: { artifact: string; units: string[] }[];
    /** Unit files verified per boot script. */
    unitsVerified: { artifact: string; units: string[] }[];
    missingTools: ToolName[];
}

/** The first line that differs, with its neighbours, for a readable failure. */
export function firstDifference(expected: string, actual: string): string[] {
    const a = expected.split("\n");
    const b = actual.split("\n");
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
        if (a[i] !== b[i]) {
            return [`line ${i + 1}:`, `  program:   ${a[i] ?? "<end>"}`, `  terraform: ${b[i] ?? "<end>"}`];
        }
    }
    return [];
}

interface Rendered {
    kind: "boot" | "rules" | "alertmanager";
    artifact: string;
    text: string;
}

export async function checkStack(run: Pick<ProgramRun, "stack" | "resources" | "config">): Promise<StackCheckReport> {
    const tools = Object.keys(TOOL_COMMANDS) as ToolName[];
    const present = new Set(tools.filter((t) => hasCommand(TOOL_COMMANDS[t].command)));
    const report: StackCheckReport = { stack: run.stack, checked: [], twins: [], unprovidedUnits: [], unitsVerified: [], missingTools: tools.filter((t) => !present.has(t)) };

    const artifacts = stackArtifacts(run);
    const rendered: Rendered[] = [
        ...artifacts.bootScripts.map((a) => ({ kind: "boot" as const, artifact: `program: ${a.source}`, text: a.text })),
        ...artifacts.prometheusRules.map((a) => ({ kind: "rules" as const, artifact: `program: ${a.source}`, text: a.text })),
        ...artifacts.alertManagerDefinitions.map((a) => ({ kind: "alertmanager" as const, artifact: `program: ${a.source}`, text: a.text })),
    ];
    if (present.has("terraform templatefile")) {
        rendered.push(...(await renderTerraformTwins(run, artifacts, report)));
    }

    // Each distinct text once per tool; every tool at once.
    const seen = new Set<string>();
    const jobs: Promise<void>[] = [];
    const check = (tool: ToolName, item: Rendered, run: () => Promise<string[]>) => {
        if (present.has(tool)) {
            jobs.push(run().then((findings) => void report.checked.push({ tool, artifact: item.artifact, findings })));
        }
    };
    for (const item of rendered) {
        const key = `${item.kind}\0${item.kind === "boot" ? scriptBody(item.text) : item.text}`;
        if (seen.has(key)) {
            continue;
        }
        seen.add(key);
        if (item.kind === "boot") {
            check("bash -n", item, () => bashSyntax(item.text));
            check("shellcheck", item, () => shellcheck(item.text));
            check("systemd-analyze verify", item, async () => {
                const result = await verifyBootUnits(item.text);
                report.unitsVerified.push({ artifact: item.artifact, units: result.units });
                if (result.unprovided.length > 0) {
                    report.unprovidedUnits.push({ artifact: item.artifact, units: result.unprovided });
                }
                return result.findings;
            });
        } else if (item.kind === "rules") {
            check("promtool check rules", item, () => checkPrometheusRules(item.text));
        } else {
            check("amtool check-config", item, () => checkAmpAlertManagerDefinition(item.text));
        }
    }
    await Promise.all(jobs);
    report.checked.sort((a, b) => a.tool.localeCompare(b.tool) || a.artifact.localeCompare(b.artifact));
    return report;
}

function configValue(run: Pick<ProgramRun, "config">, key: string): string | undefined {
    return run.config.values[`memory-spine:${key}`];
}

/**
 * Terraform's rendering of each template the program rendered, with the program's values; the
 * comparisons go into the report and the texts are returned for the tools.
 */
async function renderTerraformTwins(run: Pick<ProgramRun, "resources" | "config">, artifacts: ReturnType<typeof stackArtifacts>, report: StackCheckReport): Promise<Rendered[]> {
    const requests: { request: TemplateRequest; kind: Rendered["kind"]; source: string; program: string; compare: (s: string) => string }[] = [];
    for (const script of artifacts.bootScripts) {
        const identified = identifyRendering(script.text);
        const twin = identified && terraformTwinPath(identified.template);
        if (!identified || !twin) {
            report.twins.push({
                source: script.source,
                programTemplate: identified?.template,
                differences: [identified ? `components/templates/${identified.template} has no Terraform twin in TERRAFORM_TWINS` : "no template in components/templates renders like this script"],
            });
            continue;
        }
        const vars = Object.fromEntries(Object.entries(identified.values).map(([k, v]) => [snakeCase(k), v]));
        requests.push({ request: { file: twin, vars, quoting: SHELL_QUOTED }, kind: "boot", source: script.source, program: script.text, compare: scriptBody });
    }
    const environment = configValue(run, "environment") ?? "";
    const latencyMs = Number(configValue(run, "alarmLatencyMs") ?? "1000");
    for (const rules of artifacts.prometheusRules) {
        // The monitoring module's template variables (main.tf: severity is local.severity).
        const vars = { environment, severity: environment === "prod" ? "page" : "notify", latency_s: latencyMs / 1000, latency_ms: latencyMs };
        requests.push({ request: { file: path.join(MONITORING_TEMPLATES, "rules.yaml.tftpl"), vars }, kind: "rules", source: rules.source, program: rules.text, compare: (s) => s });
    }
    for (const definition of artifacts.alertManagerDefinitions) {
        const config = parse(String((parse(definition.text) as Record<string, unknown>).alertmanager_config)) as { receivers?: { sns_configs?: { topic_arn?: string; sigv4?: { region?: string } }[] }[] };
        const sns = config.receivers?.[0]?.sns_configs?.[0];
        const vars = { topic_arn: sns?.topic_arn ?? "", region: sns?.sigv4?.region ?? "" };
        requests.push({ request: { file: path.join(MONITORING_TEMPLATES, "alertmanager.yaml.tftpl"), vars }, kind: "alertmanager", source: definition.source, program: definition.text, compare: (s) => s });
    }
    const texts = await renderWithTemplatefile(requests.map((r) => r.request));
    return requests.map((r, i) => {
        const terraformTemplate = path.relative(REPO_ROOT, r.request.file);
        report.twins.push({ source: r.source, terraformTemplate, differences: firstDifference(r.compare(r.program), r.compare(texts[i])) });
        return { kind: r.kind, artifact: `terraform: ${terraformTemplate} as for ${r.source}`, text: texts[i] };
    });
}
