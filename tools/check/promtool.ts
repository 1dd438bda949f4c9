/** `promtool check rules` (Debian: prometheus) on a Prometheus rule file's text. */
import * as fs from "fs";
import * as path from "path";
import { outputLines, runTool, withTempDir } from "./run";

export const PROMTOOL = { command: "promtool", debianPackage: "prometheus" } as const;

/** promtool's findings for a rule file (empty when it passes). */
export function checkPrometheusRules(rulesYaml: string): Promise<string[]> {
    return withTempDir("promtool", async (dir) => {
        const file = path.join(dir, "rules.yaml");
        fs.writeFileSync(file, rulesYaml);
        const result = await runTool(PROMTOOL.command, ["check", "rules", file]);
        // A clean run prints "SUCCESS: n rules found"; anything else (exit code or a lint
        // warning on stderr) is a finding.
        return result.code === 0 && result.stderr.trim() === "" ? [] : outputLines(result.stdout, result.stderr);
    });
}
