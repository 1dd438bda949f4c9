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
