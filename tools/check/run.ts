/**
 * How the artifact checks run an external tool: asynchronously (several tools run at once on a
 * two-core machine), with stdin, and returning the exit code and both streams instead of
 * throwing, so that a check can quote what the tool said.
 */
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export interface ToolResult {
    code: number;
    stdout: string;
    stderr: string;
}

export interface RunOptions {
    input?: string;
    cwd?: string;
    env?: NodeJS.ProcessEnv;
}

export function runTool(command: string, args: readonly string[], options: RunOptions = {}): Promise<ToolResult> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["pipe", "pipe", "pipe"] });
        const stdout: Buffer[] = [];
        const stderr: Buffer[] = [];
        child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
        child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
        child.on("error", reject);
        child.on("close", (code, signal) =>
            resolve({ code: code ?? (signal ? 128 : 1), stdout: Buffer.concat(stdout).toString("utf8"), stderr: Buffer.concat(stderr).toString("utf8") }),
        );
        child.stdin.on("error", () => undefined); // a tool that exits without reading stdin
        child.stdin.end(options.input ?? "");
    });
}

/** Runs `use` with a fresh temporary directory that is removed afterwards, whatever happens. */
export async function withTempDir<T>(prefix: string, use: (dir: string) => Promise<T>): Promise<T> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
    try {
        return await use(dir);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** The non-empty lines of a tool's output, for findings. */
export function outputLines(...texts: string[]): string[] {
    return texts.flatMap((t) => t.split("\n")).map((l) => l.trimEnd()).filter((l) => l.trim() !== "");
}

const onPath = new Map<string, boolean>();

/** Whether a command is on PATH, asked once per process (tests skip, or fail under CI=true, without it). */
export function hasCommand(command: string): boolean {
    let found = onPath.get(command);
    if (found === undefined) {
        try {
            execFileSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" });
            found = true;
        } catch {
            found = false;
        }
        onPath.set(command, found);
    }
    return found;
}

/** The install hint for a Debian package, as every skip message and report words it. */
export function debianPackage(name: string): string {
    return `apt-get install ${name}`;
}
