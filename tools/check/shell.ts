/** `bash -n` and `shellcheck` (Debian: shellcheck) on a script's text. */
import { outputLines, runTool } from "./run";

export const SHELLCHECK = { command: "shellcheck", debianPackage: "shellcheck" } as const;

/** bash's syntax errors (empty when the script parses). */
export async function bashSyntax(script: string): Promise<string[]> {
    const result = await runTool("bash", ["-n"], { input: script });
    return result.code === 0 ? [] : outputLines(result.stderr, result.stdout);
}

export interface ShellcheckOptions {
    shell?: string;
    exclude?: readonly string[];
}

/** shellcheck's findings (empty when clean). */
export async function shellcheck(script: string, options: ShellcheckOptions = {}): Promise<string[]> {
    const args = ["--shell", options.shell ?? "bash", "--severity", "style", "--format", "gcc"];
    if (options.exclude && options.exclude.length > 0) {
        args.push("--exclude", options.exclude.join(","));
    }
    const result = await runTool(SHELLCHECK.command, [...args, "-"], { input: script });
    return result.code === 0 ? [] : outputLines(result.stdout, result.stderr);
}
