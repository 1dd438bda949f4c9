// Fast TypeScript loader for `pulumi preview` (Pulumi.yaml nodeargs) and the developer tools
// (offline plan, policy pack host, bench): transpiles each .ts file once with TypeScript's
// transpileModule and caches the JavaScript on disk keyed by the source's content hash, so a warm
// run never loads the TypeScript compiler at all.
// Type-checking stays with `tsc --noEmit` (npm test); this hook only strips types.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const Module = require("module");

// MEMORY_SPINE_TS_CACHE moves the cache (`npm run bench` points it at an empty directory to time a cold start).
const CACHE_DIR = process.env.MEMORY_SPINE_TS_CACHE || path.join(__dirname, "..", "..", "node_modules", ".cache", "memory-spine-ts");
const COMPILER_OPTIONS = { module: 1 /* CommonJS */, target: 9 /* ES2022 */, esModuleInterop: true, sourceMap: false, inlineSourceMap: true };
const OPTIONS_KEY = `${JSON.stringify(COMPILER_OPTIONS)}\0`;
let typescript;

function transpile(source, filename) {
    const key = crypto.createHash("sha256").update(OPTIONS_KEY).update(filename).update("\0").update(source).digest("hex");
    const cached = path.join(CACHE_DIR, `${key}.js`);
    try {
        return fs.readFileSync(cached, "utf8");
    } catch {
        typescript ??= require("typescript");
        const output = typescript.transpileModule(source, { fileName: filename, compilerOptions: COMPILER_OPTIONS }).outputText;
        fs.mkdirSync(CACHE_DIR, { recursive: true });
        const temporary = `${cached}.${process.pid}.tmp`;
        fs.writeFileSync(temporary, output);
        fs.renameSync(temporary, cached);
        return output;
    }
}

Module._extensions[".ts"] = function loadTypeScript(module, filename) {
    module._compile(transpile(fs.readFileSync(filename, "utf8"), filename), filename);
};

/** Fills the cache for these files now (`npm test` does this once, before its worker processes start). */
module.exports.warm = function warm(filenames) {
    for (const filename of filenames) {
        transpile(fs.readFileSync(filename, "utf8"), filename);
    }
};
