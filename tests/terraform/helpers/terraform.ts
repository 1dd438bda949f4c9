/**
 * Loads the HCL module set under terraform/ with HashiCorp's own parser (@cdktf/hcl2json, the
 * HCL library compiled to WASM) into a small model the tests query: per directory, its
 * variables, locals, outputs, module calls, resources and data sources, plus every reference
 * its expressions make. Parsed once per test process.
 */
import * as fs from "fs";
import * as path from "path";
import { getReferencesInExpression, parse } from "@cdktf/hcl2json";

export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
export const TERRAFORM_ROOT = path.join(REPO_ROOT, "terraform");
/** The one composition root every environment applies (terraform/scripts/tf.sh). */
export const ROOT_MODULE_DIR = path.join(TERRAFORM_ROOT, "stack");
export const MODULE_NAMES = ["networking", "memory-spine", "vector-store", "kv-store", "secrets", "monitoring", "data-key", "backup", "offhours-schedule"] as const;
export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** A file of one environment's directory, which holds only what differs: backend.hcl, terraform.tfvars. */
export function environmentFile(env: Environment, file: "backend.hcl" | "terraform.tfvars"): string {
    return path.join(TERRAFORM_ROOT, "environments", env, file);
}

/** A value as hcl2json returns it: literals as JSON, expressions as "${...}" template strings. */
export type HclValue = string | number | boolean | null | HclValue[] | HclBody;
export interface HclBody {
    [key: string]: HclValue;
}
/** Blocks come as lists of bodies (a block type may repeat). */
export type HclBlocks = HclBody[];

/** The top level of one parsed .tf file. */
export interface HclDocument {
    terraform?: HclBlocks;
    provider?: Record<string, HclBlocks>;
    variable?: Record<string, HclBlocks>;
    output?: Record<string, HclBlocks>;
    locals?: HclBlocks;
    module?: Record<string, HclBlocks>;
    resource?: Record<string, Record<string, HclBlocks>>;
    data?: Record<string, Record<string, HclBlocks>>;
}

export interface TerraformFile {
    /** Path relative to the repository root. */
    path: string;
    text: string;
    document: HclDocument;
}

/** One directory of .tf files: a child module or the composition root. */
export interface TerraformModule {
    /** Path relative to the repository root, e.g. terraform/modules/networking. */
    dir: string;
    files: TerraformFile[];
    variables: Map<string, HclBody>;
    outputs: Map<string, HclBody>;
    locals: Map<string, HclValue>;
    moduleCalls: Map<string, HclBody>;
    /** Keyed "type.name". */
    resources: Map<string, HclBody>;
    /** Keyed "type.name" (without the "data." prefix). */
    dataSources: Map<string, HclBody>;
    providers: Map<string, HclBody>;
    /** Every reference its expressions make ("var.x", "aws_lb.this.arn", ...), de-duplicated. */
    references: Set<string>;
    /** Names of `dynamic` block iterators (they are references too: tag.key). */
    iterators: Set<string>;
}

export function isHclBody(value: HclValue | undefined): value is HclBody {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The first body of a block list (hcl2json wraps every block in a list). */
export function firstBlock(value: HclValue | undefined): HclBody | undefined {
    if (Array.isArray(value)) {
        const first = value[0];
        return isHclBody(first) ? first : undefined;
    }
    return isHclBody(value) ? value : undefined;
}

/** All bodies of a nested block, e.g. blocks(launchTemplate, "tag_specifications"). */
export function blocks(body: HclBody, name: string): HclBody[] {
    const value = body[name];
    return Array.isArray(value) ? value.filter(isHclBody) : isHclBody(value) ? [value] : [];
}

export function walkFiles(dir: string, accept: (file: string) => boolean): string[] {
    if (!fs.existsSync(dir)) {
        return [];
    }
    return fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((entry) => {
            const full = path.join(dir, entry.name);
            return entry.isDirectory() ? walkFiles(full, accept) : accept(full) ? [full] : [];
        })
        .sort();
}

/**
 * The `${...}` interpolations of an hcl2json template string, outermost only. `$${` is a
 * literal; braces inside nested strings and nested interpolations are balanced.
 */
export function interpolations(template: string): string[] {
    const found: string[] = [];
    let i = 0;
    while (i < template.length) {
        if (template.startsWith("$${", i)) {
            i += 3;
        } else if (template.startsWith("${", i)) {
            const end = endOfInterpolation(template, i + 2);
            found.push(template.slice(i + 2, end - 1));
            i = end;
        } else {
            i += 1;
        }
    }
    return found;
}

/** Index just after the `}` closing an interpolation whose code starts at `start`. */
function endOfInterpolation(text: string, start: number): number {
    let depth = 1;
    let i = start;
    while (i < text.length) {
        const c = text[i];
        if (c === '"') {
            i = endOfString(text, i + 1);
            continue;
        }
        if (c === "{" || c === "[" || c === "(") {
            depth += 1;
        } else if (c === "}" || c === "]" || c === ")") {
            depth -= 1;
            if (depth === 0) {
                return i + 1;
            }
        }
        i += 1;
    }
    return text.length;
}

function endOfString(text: string, start: number): number {
    let i = start;
    while (i < text.length) {
        if (text[i] === "\\") {
            i += 2;
        } else if (text[i] === '"') {
            return i + 1;
        } else if (text.startsWith("$${", i)) {
            i += 3;
        } else if (text.startsWith("${", i)) {
            i = endOfInterpolation(text, i + 2);
        } else {
            i += 1;
        }
    }
    return i;
}

/** Every string in a parsed value, depth first. */
export function stringsIn(value: HclValue | undefined): string[] {
    if (typeof value === "string") {
        return [value];
    }
    if (Array.isArray(value)) {
        return value.flatMap(stringsIn);
    }
    if (isHclBody(value)) {
        return Object.values(value).flatMap(stringsIn);
    }
    return [];
}

/**
 * References made by a set of expressions, asked of the HCL parser in one call: the expressions
 * become the elements of one tuple, so the WASM bridge is crossed once per module, not once per
 * expression (which would cost seconds).
 */
async function referencesOf(expressions: string[], label: string): Promise<Set<string>> {
    const unique = [...new Set(expressions)];
    if (unique.length === 0) {
        return new Set();
    }
    // The parser does not look inside the bodies of `for` expressions; locals and variables used
    // only there are found by their names in the expression text.
    const inForBodies = unique.flatMap((e) => (/\bfor\b/.test(e) ? e.match(/\b(?:local|var)\.[A-Za-z_][A-Za-z0-9_]*/g) ?? [] : []));
    try {
        const refs = await getReferencesInExpression(label, `\${[\n${unique.join(",\n")}\n]}`);
        return new Set([...refs.map((r) => r.value), ...inForBodies]);
    } catch {
        // One expression the tuple trick cannot take: fall back to one call each, so that the
        // failing expression is named.
        const all = new Set<string>();
        for (const expression of unique) {
            try {
                for (const ref of await getReferencesInExpression(label, `\${${expression}}`)) {
                    all.add(ref.value);
                }
            } catch (error) {
                throw new Error(`${label}: cannot parse expression ${JSON.stringify(expression)}: ${String(error)}`, { cause: error });
            }
        }
        return all;
    }
}

function collectDynamicIterators(value: HclValue | undefined, into: Set<string>): void {
    if (Array.isArray(value)) {
        value.forEach((v) => collectDynamicIterators(v, into));
        return;
    }
    if (!isHclBody(value)) {
        return;
    }
    for (const [key, inner] of Object.entries(value)) {
        if (key === "dynamic" && isHclBody(inner)) {
            for (const [label, bodies] of Object.entries(inner)) {
                const iterator = firstBlock(bodies)?.iterator;
                into.add(typeof iterator === "string" ? iterator : label);
            }
        }
        collectDynamicIterators(inner, into);
    }
}

export async function parseFile(file: string): Promise<TerraformFile> {
    const text = fs.readFileSync(file, "utf8");
    const relative = path.relative(REPO_ROOT, file);
    const document = (await parse(relative, text)) as HclDocument;
    return { path: relative, text, document };
}

async function loadModule(dir: string): Promise<TerraformModule> {
    const files = await Promise.all(
        fs
            .readdirSync(dir)
            .filter((f) => f.endsWith(".tf"))
            .sort()
            .map((f) => parseFile(path.join(dir, f))),
    );
    const module: TerraformModule = {
        dir: path.relative(REPO_ROOT, dir),
        files,
        variables: new Map(),
        outputs: new Map(),
        locals: new Map(),
        moduleCalls: new Map(),
        resources: new Map(),
        dataSources: new Map(),
        providers: new Map(),
        references: new Set(),
        iterators: new Set(),
    };
    const addAll = (target: Map<string, HclBody>, source: Record<string, HclBlocks> | undefined, what: string, file: string): void => {
        for (const [name, bodies] of Object.entries(source ?? {})) {
            if (target.has(name)) {
                throw new Error(`${file}: ${what} ${name} is declared twice in ${module.dir}`);
            }
            const body = firstBlock(bodies);
            if (body) {
                target.set(name, body);
            }
        }
    };
    const expressions: string[] = [];
    for (const file of files) {
        const doc = file.document;
        addAll(module.variables, doc.variable, "variable", file.path);
        addAll(module.outputs, doc.output, "output", file.path);
        addAll(module.moduleCalls, doc.module, "module", file.path);
        addAll(module.providers, doc.provider, "provider", file.path);
        for (const localsBlock of doc.locals ?? []) {
            for (const [name, value] of Object.entries(localsBlock)) {
                module.locals.set(name, value);
            }
        }
        for (const [type, byName] of Object.entries(doc.resource ?? {})) {
            for (const [name, bodies] of Object.entries(byName)) {
                const body = firstBlock(bodies);
                if (body) {
                    module.resources.set(`${type}.${name}`, body);
                }
            }
        }
        for (const [type, byName] of Object.entries(doc.data ?? {})) {
            for (const [name, bodies] of Object.entries(byName)) {
                const body = firstBlock(bodies);
                if (body) {
                    module.dataSources.set(`${type}.${name}`, body);
                }
            }
        }
        // Everything but the terraform block (backend settings) may hold expressions.
        const { terraform: _settings, ...rest } = doc;
        void _settings;
        for (const text of stringsIn(rest)) {
            expressions.push(...interpolations(text));
        }
        collectDynamicIterators(rest, module.iterators);
    }
    module.references = await referencesOf(expressions, `${module.dir}/*.tf`);
    return module;
}

export interface TerraformTree {
    modules: Map<string, TerraformModule>;
    /** terraform/stack: the contract, the module wiring and the outputs, once for every environment. */
    root: TerraformModule;
    /** Every module and the root, by directory relative to the repository root. */
    byDir: Map<string, TerraformModule>;
}

let cached: Promise<TerraformTree> | undefined;

/** Parses terraform/modules/* and terraform/stack once per process. */
export function loadTerraform(): Promise<TerraformTree> {
    cached ??= (async () => {
        const modules = new Map<string, TerraformModule>();
        const byDir = new Map<string, TerraformModule>();
        // Sequentially: the WASM parser is single-threaded anyway.
        for (const name of MODULE_NAMES) {
            const module = await loadModule(path.join(TERRAFORM_ROOT, "modules", name));
            modules.set(name, module);
            byDir.set(module.dir, module);
        }
        const root = await loadModule(ROOT_MODULE_DIR);
        byDir.set(root.dir, root);
        return { modules, root, byDir };
    })();
    return cached;
}

export function requireModule(tree: TerraformTree, name: string): TerraformModule {
    const module = tree.modules.get(name);
    if (!module) {
        throw new Error(`module ${name} not loaded`);
    }
    return module;
}

export function requireResource(module: TerraformModule, address: string): HclBody {
    const body = module.resources.get(address);
    if (!body) {
        throw new Error(`${module.dir} has no resource ${address}`);
    }
    return body;
}

/** The directory a module call's `source` points at, relative to the repository root. */
export function moduleSourceDir(caller: TerraformModule, call: HclBody): string | undefined {
    const source = call.source;
    if (typeof source !== "string" || !source.startsWith(".")) {
        return undefined;
    }
    return path.relative(REPO_ROOT, path.resolve(REPO_ROOT, caller.dir, source));
}

/** A variable's HCL type expression without the "${...}" wrapper, e.g. "list(string)". */
export function typeOf(variable: HclBody): string | undefined {
    const type = variable.type;
    return typeof type === "string" ? type.replace(/^\$\{([\s\S]*)\}$/, "$1").replace(/\s+/g, "") : undefined;
}

/** "${expr}" -> "expr"; literal strings stay as they are. */
export function expressionText(value: HclValue | undefined): string | undefined {
    if (typeof value !== "string") {
        return undefined;
    }
    const m = /^\$\{([\s\S]*)\}$/.exec(value);
    return m && interpolations(value).length === 1 ? m[1] : value;
}

/** A value as text for assertions and messages: a string as it is, anything else as JSON (never "[object Object]"). */
export function hclText(value: HclValue | undefined): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}
