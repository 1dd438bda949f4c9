/**
 * `amtool check-config` (Debian: prometheus-alertmanager) on an Amazon Managed Prometheus alert
 * manager definition. AMP wraps the Alertmanager configuration in an envelope: a YAML document
 * whose `alertmanager_config` key holds the configuration as a string (and `template_files`, the
 * templates by name). The envelope is checked here, then amtool checks the configuration itself.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { outputLines, runTool, withTempDir } from "./run";

export const AMTOOL = { command: "amtool", debianPackage: "prometheus-alertmanager" } as const;

const ENVELOPE_KEYS = ["alertmanager_config", "template_files"];

export interface AmpEnvelope {
    alertmanagerConfig: string;
    templateFiles: Record<string, string>;
}

/** The Alertmanager configuration and templates inside an AMP definition, or the envelope's faults. */
export function openAmpEnvelope(definition: string): AmpEnvelope | { errors: string[] } {
    let document: unknown;
    try {
        document = parse(definition);
    } catch (error) {
        return { errors: [`the definition is not YAML: ${(error as Error).message}`] };
    }
    if (typeof document !== "object" || document === null || Array.isArray(document)) {
        return { errors: ["the definition is not a YAML mapping"] };
    }
    const record = document as Record<string, unknown>;
    const errors = Object.keys(record).filter((k) => !ENVELOPE_KEYS.includes(k)).map((k) => `unknown key ${k} in the AMP envelope (allowed: ${ENVELOPE_KEYS.join(", ")})`);
    const config = record.alertmanager_config;
    if (typeof config !== "string") {
        errors.push("alertmanager_config must be a string holding the Alertmanager configuration (a YAML block scalar)");
    }
    const templates = record.template_files ?? {};
    if (typeof templates !== "object" || templates === null || Object.values(templates).some((t) => typeof t !== "string")) {
        errors.push("template_files must map template names to their text");
    }
    return errors.length > 0 ? { errors } : { alertmanagerConfig: config as string, templateFiles: templates as Record<string, string> };
}

/** The envelope's and amtool's findings for an AMP alert manager definition (empty when it passes). */
export function checkAmpAlertManagerDefinition(definition: string): Promise<string[]> {
    const envelope = openAmpEnvelope(definition);
    if ("errors" in envelope) {
        return Promise.resolve(envelope.errors);
    }
    return withTempDir("amtool", async (dir) => {
        const file = path.join(dir, "alertmanager.yaml");
        fs.writeFileSync(file, envelope.alertmanagerConfig);
        for (const [name, text] of Object.entries(envelope.templateFiles)) {
            fs.writeFileSync(path.join(dir, path.basename(name)), text);
        }
        const result = await runTool(AMTOOL.command, ["check-config", file], { cwd: dir });
        return result.code === 0 ? [] : outputLines(result.stdout, result.stderr);
    });
}
