/**
 * The constraint table: for each resource type token, the constraints its provider documents on
 * every input and, through the nested input types, on every block below it.
 *
 * Reading typings is the slow part (@pulumi/aws's types/input.d.ts alone is 5.7 MB, about a
 * second to parse), so the table is cached on disk under node_modules/.cache, one file per SDK
 * version and extractor version; a type not yet in the cache is read once and added.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { ConstraintLookup } from "./evaluate";
import { Constraint, extractConstraints } from "./extract";
import { inputTypingsFile, parseTypeToken, readInputDocs, readResourceDoc, resourceTypingsFile, sdkVersion, ShapeDoc } from "./typings";

export interface PropertyConstraints {
    constraints: Constraint[];
    /** Qualified name of the input type it nests (a key of `inputs`). */
    nested?: string;
}

/** Every input of one shape, by its Pulumi (camelCase) name. */
export interface ShapeConstraints {
    properties: Record<string, PropertyConstraints>;
}

export interface ResourceConstraints {
    token: string;
    /** The class's `@deprecated` text, when the resource type itself is deprecated. */
    deprecated?: string;
    shape: ShapeConstraints;
}

interface PackageCache {
    key: string;
    /** Tokens of the package looked up so far; null = no typings for that token. */
    resources: Record<string, ResourceConstraints | null>;
    /** Nested input shapes reachable from those resources. */
    inputs: Record<string, ShapeConstraints>;
}

const SOURCES = ["extract.ts", "sentences.ts", "typings.ts", "table.ts"].map((f) => path.join(__dirname, f));
export const DEFAULT_CACHE_DIR = path.join(__dirname, "..", "..", "node_modules", ".cache", "provider-constraints");

export class ConstraintTable implements ConstraintLookup {
    private readonly packages = new Map<string, PackageCache>();
    private readonly inputDocs = new Map<string, Map<string, ShapeDoc>>();
    private readonly dirty = new Set<string>();
    private readonly extractorHash = crypto.createHash("sha256").update(SOURCES.map((f) => fs.readFileSync(f, "utf8")).join("\0")).digest("hex").slice(0, 16);

    /** `cacheDir: undefined` keeps the table in memory only. */
    constructor(private readonly cacheDir: string | undefined = DEFAULT_CACHE_DIR) {}

    /** The resource's constraints, or undefined when its SDK or its typings are not installed. */
    resource(token: string): ResourceConstraints | undefined {
        const parsed = parseTypeToken(token);
        const cache = parsed && this.packageCache(parsed.pkg);
        if (!parsed || !cache) {
            return undefined;
        }
        if (!(token in cache.resources)) {
            const file = resourceTypingsFile(parsed);
            const doc = file ? readResourceDoc(file, parsed.className) : undefined;
            cache.resources[token] = doc
                ? { token, ...(doc.deprecated !== undefined ? { deprecated: doc.deprecated } : {}), shape: this.addShape(parsed.pkg, cache, doc) }
                : null;
            this.dirty.add(parsed.pkg);
        }
        return cache.resources[token] ?? undefined;
    }

    /** A nested input shape of a package, by qualified name. */
    input(pkg: string, qualified: string): ShapeConstraints | undefined {
        return this.packages.get(pkg)?.inputs[qualified];
    }

    /** Writes what was looked up since the last save to the cache (callers save after a batch). */
    save(): void {
        if (!this.cacheDir) {
            this.dirty.clear();
            return;
        }
        for (const pkg of this.dirty) {
            const cache = this.packages.get(pkg);
            if (cache) {
                fs.mkdirSync(this.cacheDir, { recursive: true });
                const file = this.cacheFile(cache.key);
                const temporary = `${file}.${process.pid}.tmp`;
                fs.writeFileSync(temporary, JSON.stringify(cache));
                fs.renameSync(temporary, file);
                // Tables of other SDK or extractor versions of this package are stale.
                for (const other of fs.readdirSync(this.cacheDir)) {
                    if (other.startsWith(`${pkg}@`) && other.endsWith(".json") && path.join(this.cacheDir, other) !== file) {
                        fs.rmSync(path.join(this.cacheDir, other), { force: true });
                    }
                }
            }
        }
        this.dirty.clear();
    }

    private packageCache(pkg: string): PackageCache | undefined {
        const existing = this.packages.get(pkg);
        if (existing) {
            return existing;
        }
        const version = sdkVersion(pkg);
        if (!version) {
            return undefined;
        }
        const key = `${pkg}@${version}-${this.extractorHash}`;
        let cache: PackageCache = { key, resources: {}, inputs: {} };
        if (this.cacheDir) {
            try {
                const stored = JSON.parse(fs.readFileSync(this.cacheFile(key), "utf8")) as PackageCache;
                if (stored.key === key) {
                    cache = stored;
                }
            } catch {
                // no cache yet: start empty
            }
        }
        this.packages.set(pkg, cache);
        return cache;
    }

    private cacheFile(key: string): string {
        return path.join(this.cacheDir ?? "", `${key.replace(/[^\w@.-]/g, "_")}.json`);
    }

    /** Extracts a shape's constraints and, recursively, those of every input type it nests. */
    private addShape(pkg: string, cache: PackageCache, doc: ShapeDoc): ShapeConstraints {
        const siblings = doc.properties.map((p) => p.name);
        const shape: ShapeConstraints = { properties: {} };
        for (const property of doc.properties) {
            shape.properties[property.name] = {
                constraints: extractConstraints(property, siblings),
                ...(property.nested ? { nested: property.nested } : {}),
            };
            if (property.nested && !(property.nested in cache.inputs)) {
                const nestedDoc = this.inputDocsOf(pkg).get(property.nested);
                if (nestedDoc) {
                    cache.inputs[property.nested] = { properties: {} }; // placeholder: input types may be recursive
                    cache.inputs[property.nested] = this.addShape(pkg, cache, nestedDoc);
                }
            }
        }
        return shape;
    }

    private inputDocsOf(pkg: string): Map<string, ShapeDoc> {
        let docs = this.inputDocs.get(pkg);
        if (!docs) {
            const file = inputTypingsFile(pkg);
            docs = file ? readInputDocs(file) : new Map();
            this.inputDocs.set(pkg, docs);
        }
        return docs;
    }
}
