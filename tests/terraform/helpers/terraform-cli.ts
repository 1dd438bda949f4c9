/**
 * Runs the real `terraform` on temporary copies of the modules, offline: `terraform validate`
 * and `terraform test` (the modules' own tests/*.tftest.hcl, command = plan) with the AWS provider
 * from a local filesystem mirror. Used by tests/terraform/offline.test.ts.
 *
 * - Never reaches out: HTTP(S)_PROXY point at a closed loopback port, CHECKPOINT_DISABLE stops
 *   the version check, the CLI configuration is empty and providers come from -plugin-dir only.
 *   A data source a test forgot to override fails at once, naming itself.
 * - The copy's `aws` constraint is pinned to the mirror's provider (5.100.0 on this kind of
 *   machine) while the modules require 6.x: that relaxation is ours, never the modules'.
 * - Fast: one provider process per worker, shared by all the commands the worker runs (see
 *   ProviderMode); the modules run in parallel, started as soon as offline.test.ts is loaded, so
 *   that they overlap with the rest of the suite. Everything lives in one temporary directory,
 *   removed (and the provider processes stopped) when the process exits.
 */
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { hasCommand, runTool } from "../../../tools/check/run";
import { CLOSED_PROXY, TERRAFORM, offlineTerraformEnv } from "../../../tools/check/terraform";
import { VERSIONED_CONSTRUCTS, VersionedConstruct, quotedName, referencePattern } from "./provider-constructs";
import { TERRAFORM_ROOT } from "./terraform";
import { Version, compareVersions, formatVersion, parseVersion } from "./version-constraints";

export const MODULES_DIR = path.join(TERRAFORM_ROOT, "modules");

export interface OfflineTerraform {
    /** The directory holding registry.terraform.io/hashicorp/aws/<version>/<os_arch>. */
    mirror: string;
    /** The newest AWS provider version in the mirror. */
    awsVersion: Version;
}

/** What is missing for the offline Terraform tests, or undefined when everything is there. */
export function offlineTerraformMissing(): string | undefined {
    if (!hasCommand(TERRAFORM.command)) {
        return `${TERRAFORM.command} is not on PATH (${TERRAFORM.install})`;
    }
    if (!findOfflineTerraform()) {
        return (
            "no AWS provider in a local filesystem mirror (set TF_PLUGIN_MIRROR to a directory holding registry.terraform.io/hashicorp/aws/<version>/, " +
            "e.g. made with `terraform providers mirror <dir>` on a machine with network access)"
        );
    }
    return undefined;
}

let located: OfflineTerraform | null | undefined;

/** The provider mirror: $TF_PLUGIN_MIRROR, or one of the usual places (/opt/*, the plugin dirs). */
export function findOfflineTerraform(): OfflineTerraform | undefined {
    if (located !== undefined) {
        return located ?? undefined;
    }
    const candidates = [
        process.env.TF_PLUGIN_MIRROR,
        ...(fs.existsSync("/opt") ? fs.readdirSync("/opt").map((d) => path.join("/opt", d)) : []),
        path.join(os.homedir(), ".terraform.d", "plugins"),
        "/usr/local/share/terraform/plugins",
        "/usr/share/terraform/plugins",
    ].filter((d): d is string => typeof d === "string" && d !== "");
    located = null;
    for (const dir of candidates) {
        const aws = path.join(dir, "registry.terraform.io", "hashicorp", "aws");
        // Unpacked layout: <version>/<os_arch>/; packed (terraform providers mirror): terraform-provider-aws_<version>_<os>_<arch>.zip.
        const entries = fs.existsSync(aws) ? fs.readdirSync(aws) : [];
        const versions = entries.flatMap((entry) => /^(\d+\.\d+\.\d+)$/.exec(entry)?.[1] ?? /^terraform-provider-aws_(\d+\.\d+\.\d+)_linux_amd64\.zip$/.exec(entry)?.[1] ?? []);
        if (versions.length > 0) {
            const newest = versions.map(parseVersion).sort(compareVersions).pop() as Version;
            located = { mirror: dir, awsVersion: newest };
            break;
        }
    }
    return located ?? undefined;
}

/** Modules Terraform can load here: every terraform/modules/<name> whose providers are all aws. */
export function discoverModules(): { offline: string[]; needsOtherProviders: Map<string, string[]> } {
    const offline: string[] = [];
    const needsOtherProviders = new Map<string, string[]>();
    for (const name of fs.readdirSync(MODULES_DIR).sort()) {
        const versions = path.join(MODULES_DIR, name, "versions.tf");
        if (!fs.existsSync(versions)) {
            continue;
        }
        const providers = [...fs.readFileSync(versions, "utf8").matchAll(/source\s*=\s*"hashicorp\/([a-z0-9-]+)"/g)].map((m) => m[1]);
        const others = providers.filter((p) => p !== "aws");
        if (others.length === 0) {
            offline.push(name);
        } else {
            needsOtherProviders.set(name, others);
        }
    }
    return { offline, needsOtherProviders };
}

/** Constructs newer than the offline provider: their errors are tolerated, and only theirs. */
export function newerThanOffline(awsVersion: Version): VersionedConstruct[] {
    return VERSIONED_CONSTRUCTS.filter((c) => c.product === "aws" && compareVersions(parseVersion(c.since), awsVersion) > 0);
}

export interface Diagnostic {
    severity: "error" | "warning";
    summary: string;
    detail: string;
    range?: { filename: string; start: { line: number } };
}

export interface CommandResult {
    code: number;
    stdout: string;
    stderr: string;
    seconds: number;
}

async function runTerraform(cwd: string, args: string[], home: string, extraEnv: Record<string, string>): Promise<CommandResult> {
    const started = Date.now();
    const result = await runTool("terraform", args, { cwd, env: offlineTerraformEnv(home, extraEnv) });
    return { ...result, seconds: (Date.now() - started) / 1000 };
}

/**
 * How Terraform gets the provider. "reattach": one provider process per worker, started from the
 * mirror in the provider's debug mode and shared by every command the worker runs
 * (TF_REATTACH_PROVIDERS): Terraform then neither installs nor re-launches it, which halves the
 * CPU the suite spends (a provider launch costs about half a second, and each run block launches
 * it twice). "plugin-dir": `terraform init -backend=false -plugin-dir=<mirror>` once, its
 * .terraform shared by every copy; used when the mirror holds only packed (zip) providers or the
 * provider does not start in debug mode.
 */
type ProviderMode = { kind: "reattach"; env: Record<string, string> } | { kind: "plugin-dir"; initialized: string };

interface Workspace {
    root: string;
    /** Runs a task on a free worker, giving it that worker's provider. */
    schedule: <T>(task: (mode: ProviderMode) => Promise<T>) => Promise<T>;
}

let workspace: Workspace | undefined;

/** The provider binary of the mirror's aws version, when the mirror holds it unpacked. */
function providerBinary(offline: OfflineTerraform): string | undefined {
    const dir = path.join(offline.mirror, "registry.terraform.io", "hashicorp", "aws", formatVersion(offline.awsVersion), "linux_amd64");
    const binary = fs.existsSync(dir) ? fs.readdirSync(dir).find((f) => f.startsWith("terraform-provider-aws")) : undefined;
    return binary === undefined ? undefined : path.join(dir, binary);
}

/** Starts the provider in debug mode; resolves with its TF_REATTACH_PROVIDERS value. */
function startProvider(binary: string, root: string, index: number): Promise<string> {
    // Its stdout goes to a file, not a pipe: nothing may break under it when this process stops reading.
    const out = path.join(root, `provider-${index}.out`);
    const fd = fs.openSync(out, "w");
    const child = spawn(binary, ["-debug"], {
        stdio: ["ignore", fd, "ignore"],
        // A clean environment: no CA bundle, no credentials, no proxy exceptions.
        env: { PATH: process.env.PATH ?? "", HOME: root, HTTPS_PROXY: CLOSED_PROXY, HTTP_PROXY: CLOSED_PROXY, AWS_EC2_METADATA_DISABLED: "true" },
    });
    fs.closeSync(fd);
    child.unref();
    const pid = child.pid;
    if (pid !== undefined) {
        process.on("exit", () => {
            try {
                process.kill(pid);
            } catch {
                // already gone
            }
        });
    }
    return new Promise((resolve, reject) => {
        const started = Date.now();
        const poll = (): void => {
            const m = /TF_REATTACH_PROVIDERS='([^']+)'/.exec(fs.existsSync(out) ? fs.readFileSync(out, "utf8") : "");
            if (m) {
                resolve(m[1]);
            } else if (child.exitCode !== null || Date.now() - started > 60000) {
                reject(new Error(`${binary} -debug did not start (exit ${String(child.exitCode)})`));
            } else {
                setTimeout(poll, 100).unref();
            }
        };
        child.once("error", reject);
        poll();
    });
}

function getWorkspace(offline: OfflineTerraform): Workspace {
    if (workspace) {
        return workspace;
    }
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "memory-spine-terraform-"));
    process.on("exit", () => fs.rmSync(root, { recursive: true, force: true }));
    const workers = Math.max(2, os.cpus().length);

    const pluginDir = (async (): Promise<ProviderMode> => {
        const dir = path.join(root, "provider");
        fs.mkdirSync(dir);
        fs.writeFileSync(
            path.join(dir, "versions.tf"),
            `terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = "${formatVersion(offline.awsVersion)}"\n    }\n  }\n}\n`,
        );
        const init = await runTerraform(dir, ["init", "-backend=false", "-input=false", "-no-color", `-plugin-dir=${offline.mirror}`], root, {});
        if (init.code !== 0) {
            throw new Error(`terraform init with the mirror ${offline.mirror} failed:\n${init.stdout}${init.stderr}`);
        }
        return { kind: "plugin-dir", initialized: dir };
    });
    // TF_OFFLINE_PROVIDER_MODE=plugin-dir forces the fallback (to check it, or to debug without reattach).
    const binary = process.env.TF_OFFLINE_PROVIDER_MODE === "plugin-dir" ? undefined : providerBinary(offline);
    const modes: Promise<ProviderMode>[] = Array.from({ length: workers }, (_, i) =>
        binary === undefined
            ? Promise.reject(new Error("packed mirror"))
            : startProvider(binary, root, i).then((reattach): ProviderMode => ({ kind: "reattach", env: { TF_REATTACH_PROVIDERS: reattach } })),
    );
    let fallback: Promise<ProviderMode> | undefined;
    const slots = modes.map((mode) => mode.catch(() => (fallback ??= pluginDir())));

    const free: number[] = slots.map((_, i) => i);
    const waiting: ((slot: number) => void)[] = [];
    const acquire = (): Promise<number> => new Promise((resolve) => (free.length > 0 ? resolve(free.shift() as number) : waiting.push(resolve)));
    const release = (slot: number): void => {
        const next = waiting.shift();
        if (next) {
            next(slot);
        } else {
            free.push(slot);
        }
    };
    workspace = {
        root,
        schedule: async <T>(task: (mode: ProviderMode) => Promise<T>): Promise<T> => {
            const slot = await acquire();
            try {
                return await task(await slots[slot]);
            } finally {
                release(slot);
            }
        },
    };
    return workspace;
}

/** A temporary copy of a module, its aws constraint pinned to the offline provider. */
function copyModule(name: string, suffix: string, offline: OfflineTerraform, mode: ProviderMode, edit?: (dir: string) => void): string {
    const ws = getWorkspace(offline);
    const dir = path.join(ws.root, `${name}${suffix}`);
    fs.cpSync(path.join(MODULES_DIR, name), dir, { recursive: true });
    const versions = path.join(dir, "versions.tf");
    const pinned = fs
        .readFileSync(versions, "utf8")
        .replace(/(aws\s*=\s*\{[^}]*?version\s*=\s*)"[^"]*"/, `$1"${formatVersion(offline.awsVersion)}"`);
    fs.writeFileSync(versions, pinned);
    if (mode.kind === "plugin-dir") {
        // The provider installation is a symlink into the mirror: share it instead of re-initializing.
        fs.cpSync(path.join(mode.initialized, ".terraform"), path.join(dir, ".terraform"), { recursive: true, verbatimSymlinks: true });
        fs.copyFileSync(path.join(mode.initialized, ".terraform.lock.hcl"), path.join(dir, ".terraform.lock.hcl"));
    }
    edit?.(dir);
    return dir;
}

export interface ValidateResult {
    diagnostics: Diagnostic[];
    seconds: number;
    raw: string;
}

/** `terraform validate -json` on a copy of a module (optionally edited first). */
export function validateModule(name: string, offline: OfflineTerraform, edit?: { suffix: string; apply: (dir: string) => void }): Promise<ValidateResult> {
    return getWorkspace(offline).schedule(async (mode) => {
        const dir = copyModule(name, edit ? `-${edit.suffix}` : "-validate", offline, mode, edit?.apply);
        const result = await runTerraform(dir, ["validate", "-json", "-no-color"], getWorkspace(offline).root, mode.kind === "reattach" ? mode.env : {});
        let parsed: { diagnostics?: Diagnostic[] };
        try {
            parsed = JSON.parse(result.stdout) as { diagnostics?: Diagnostic[] };
        } catch {
            throw new Error(`terraform validate of ${name} printed no JSON:\n${result.stdout}${result.stderr}`);
        }
        return { diagnostics: parsed.diagnostics ?? [], seconds: result.seconds, raw: result.stdout };
    });
}

/** Whether an error is about exactly one of the tolerated constructs, read at its source line. */
export function toleratedBy(diagnostic: Diagnostic, moduleDir: string, tolerated: VersionedConstruct[]): VersionedConstruct | undefined {
    if (diagnostic.severity !== "error" || !diagnostic.range) {
        return undefined;
    }
    const file = path.join(moduleDir, diagnostic.range.filename);
    const line = fs.existsSync(file) ? (fs.readFileSync(file, "utf8").split("\n")[diagnostic.range.start.line - 1] ?? "") : "";
    return tolerated.find((construct) => {
        const name = quotedName(construct.use);
        if (name === undefined || !diagnostic.detail.includes(`"${name}"`) || !new RegExp(`\\b${name}\\b`).test(line)) {
            return false;
        }
        switch (construct.use.kind) {
            case "argument":
                return /^Unsupported (argument|block type)$/.test(diagnostic.summary);
            case "data-attribute":
                return diagnostic.summary === "Unsupported attribute" && (referencePattern(construct.use)?.test(line) ?? false);
            default:
                return false;
        }
    });
}

export interface PlanTestResult {
    code: number;
    output: string;
    /** Test files run, and those not run against this provider with the reason. */
    ran: string[];
    skipped: { file: string; reason: string }[];
    seconds: number;
}

/**
 * `terraform test` of a module's own test files on a copy rewritten for the offline provider
 * (only the constructs newer than it, each as its table entry says). Test files that reference
 * such a construct are not run: they need the provider the module requires.
 */
export function planTestModule(name: string, offline: OfflineTerraform, edit?: { suffix: string; apply: (dir: string) => void }): Promise<PlanTestResult> {
    return getWorkspace(offline).schedule(async (mode) => {
        const newer = newerThanOffline(offline.awsVersion);
        const dir = copyModule(name, edit ? `-${edit.suffix}` : "-test", offline, mode, (copy) => {
            for (const file of fs.readdirSync(copy).filter((f) => f.endsWith(".tf"))) {
                const full = path.join(copy, file);
                fs.writeFileSync(full, newer.reduce((text, construct) => construct.offline?.rewrite(text) ?? text, fs.readFileSync(full, "utf8")));
            }
            edit?.apply(copy);
        });
        const testDir = path.join(dir, "tests");
        const files = fs.existsSync(testDir) ? fs.readdirSync(testDir).filter((f) => f.endsWith(".tftest.hcl")).sort() : [];
        const ran: string[] = [];
        const skipped: { file: string; reason: string }[] = [];
        for (const file of files) {
            const text = fs.readFileSync(path.join(testDir, file), "utf8");
            const needs = newer.filter((c) => referencePattern(c.use)?.test(text));
            if (needs.length > 0) {
                skipped.push({ file, reason: `needs hashicorp/aws >= ${needs.map((c) => c.since).sort().pop() ?? ""} (${needs.map((c) => c.name).join(", ")}); the offline mirror has ${formatVersion(offline.awsVersion)}` });
            } else {
                ran.push(file);
            }
        }
        if (ran.length === 0) {
            return { code: 0, output: "", ran, skipped, seconds: 0 };
        }
        const result = await runTerraform(dir, ["test", "-no-color", ...ran.map((f) => `-filter=tests/${f}`)], getWorkspace(offline).root, mode.kind === "reattach" ? mode.env : {});
        return { code: result.code, output: `${result.stdout}${result.stderr}`, ran, skipped, seconds: result.seconds };
    });
}

/** The terraform version on PATH, e.g. "1.11.4". */
export function terraformVersion(): string {
    const out = execFileSync("terraform", ["version", "-json"], { encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
    return (JSON.parse(out) as { terraform_version: string }).terraform_version;
}
