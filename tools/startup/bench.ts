/**
 * `pulumi preview` start-up, measured offline: a fresh node process loads and runs the program
 * for one stack under Pulumi's mock runtime (tools/startup/load-program.ts), started the way
 * Pulumi.yaml tells the language host to (runtime options, nodeargs), against the same program
 * precompiled by tsc and started with the same node arguments. The ratio of the medians is the
 * cost of loading TypeScript sources instead of JavaScript.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { nodeRuntime } from "./runtime-options";

export const STARTUP_TARGET_RATIO = 1.2;
const DRIVER = path.join("tools", "startup", "load-program");
/** Source trees whose non-TypeScript files the program reads at run time (templates, policy config). */
const ASSET_DIRS = ["components", "policy-pack", "tools"];

export interface StartupVariant {
    label: string;
    args: string[];
    env?: Record<string, string>;
    /** A fresh register-ts cache directory for each run (a cold start). */
    coldCache?: boolean;
}

export interface StartupResult {
    label: string;
    medianMs: number;
    runsMs: number[];
}

/**
 * The program and the driver compiled to JavaScript as tsconfig.json says (source maps included;
 * no type-check: npm test does that), with the files they read at run time.
 */
export function precompile(root: string, outDir: string): void {
    fs.rmSync(outDir, { recursive: true, force: true });
    const configFile = ts.readConfigFile(path.join(root, "tsconfig.json"), (file) => ts.sys.readFile(file));
    const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root, {
        outDir,
        rootDir: root,
        noCheck: true,
        declaration: false,
        incremental: false,
        noEmit: false,
    });
    const program = ts.createProgram({ rootNames: [path.join(root, "index.ts"), path.join(root, `${DRIVER}.ts`)], options: parsed.options });
    const emitted = program.emit();
    if (emitted.emitSkipped) {
        throw new Error(`tsc emitted nothing: ${ts.formatDiagnostics(emitted.diagnostics, ts.createCompilerHost(parsed.options))}`);
    }
    for (const file of fs.readdirSync(root).filter((f) => /^Pulumi(\.[^.]+)?\.yaml$/.test(f) || f === "package.json")) {
        fs.copyFileSync(path.join(root, file), path.join(outDir, file));
    }
    for (const dir of ASSET_DIRS) {
        copyAssets(path.join(root, dir), path.join(outDir, dir));
    }
}

function copyAssets(from: string, to: string): void {
    for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
        if (entry.name === "node_modules") {
            continue;
        }
        const source = path.join(from, entry.name);
        if (entry.isDirectory()) {
            copyAssets(source, path.join(to, entry.name));
        } else if (!entry.name.endsWith(".ts")) {
            fs.mkdirSync(to, { recursive: true });
            fs.copyFileSync(source, path.join(to, entry.name));
        }
    }
}

/** The variants: Pulumi.yaml's configured start-up (warm and cold cache) and the precompiled program. */
export function startupVariants(root: string, compiledDir: string, stack: string): StartupVariant[] {
    const runtime = nodeRuntime(root);
    const configured = runtime.typescript ? tsNodeStart(root, runtime.tsconfig ?? "tsconfig.json", runtime.nodeargs, stack) : { args: [...runtime.nodeargs, path.join(root, `${DRIVER}.ts`), stack] };
    return [
        { label: "precompiled (tsc output, same node arguments)", args: [...runtime.nodeargs, path.join(compiledDir, `${DRIVER}.js`), stack] },
        { label: `as Pulumi.yaml configures it (${describe(runtime)}), warm cache`, ...configured },
        { label: "as Pulumi.yaml configures it, cold cache (first run after npm ci)", ...configured, coldCache: true },
        { label: "for reference: precompiled, plain node", args: [path.join(compiledDir, `${DRIVER}.js`), stack] },
        { label: "for reference: ts-node transpile-only (the former Pulumi.yaml)", args: ["-r", "ts-node/register/transpile-only", path.join(root, `${DRIVER}.ts`), stack] },
    ];
}

/** What the host does with `typescript: true` (the default): ts-node, transpile-only when the tsconfig says noCheck. */
function tsNodeStart(root: string, tsconfig: string, nodeargs: string[], stack: string): Omit<StartupVariant, "label"> {
    const file = path.join(root, tsconfig);
    const config = ts.readConfigFile(file, (f) => ts.sys.readFile(f));
    const noCheck = ts.parseJsonConfigFileContent(config.config, ts.sys, root, undefined, file).options.noCheck === true;
    return { args: [...nodeargs, "-r", "ts-node/register", path.join(root, `${DRIVER}.ts`), stack], env: { TS_NODE_PROJECT: file, TS_NODE_TRANSPILE_ONLY: String(noCheck) } };
}

function describe(runtime: ReturnType<typeof nodeRuntime>): string {
    return runtime.typescript ? `ts-node${runtime.tsconfig ? ` with ${runtime.tsconfig}` : ""}` : `typescript: false, nodeargs ${runtime.nodeargs.join(" ")}`;
}

/** Median wall time of `runs` fresh processes of each variant, interleaved so load drifts hit all alike. */
export function measureStartup(root: string, variants: StartupVariant[], runs: number): StartupResult[] {
    const times = variants.map(() => [] as number[]);
    for (let run = 0; run < runs; run++) {
        variants.forEach((variant, index) => {
            const cache = variant.coldCache ? fs.mkdtempSync(path.join(os.tmpdir(), "ts-cache-")) : undefined;
            try {
                const env = { ...process.env, ...variant.env, ...(cache ? { MEMORY_SPINE_TS_CACHE: cache } : {}) };
                const start = process.hrtime.bigint();
                const child = spawnSync(process.execPath, variant.args, { cwd: root, env, encoding: "utf8" });
                times[index].push(Number(process.hrtime.bigint() - start) / 1e6);
                if (child.status !== 0) {
                    throw new Error(`${variant.label}: node ${variant.args.join(" ")} exited ${child.status}: ${child.stderr}`);
                }
            } finally {
                if (cache) {
                    fs.rmSync(cache, { recursive: true, force: true });
                }
            }
        });
    }
    return variants.map((variant, index) => ({ label: variant.label, medianMs: median(times[index]), runsMs: times[index] }));
}

export function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}
