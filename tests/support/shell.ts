import { execFileSync } from "child_process";

/** Whether a command is on PATH (.ci/run installs shellcheck; a bare developer machine may lack it). */
export function hasCommand(command: string): boolean {
    try {
        execFileSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" });
        return true;
    } catch {
        return false;
    }
}

/** shellcheck's findings for a script given on stdin (empty when clean). */
export function shellcheck(script: string, shell = "bash"): string {
    try {
        execFileSync("shellcheck", ["--shell", shell, "--severity", "style", "-"], { input: script, stdio: ["pipe", "pipe", "pipe"] });
        return "";
    } catch (error) {
        const failure = error as { stdout?: Buffer; message: string };
        return failure.stdout?.toString() || failure.message;
    }
}
