/**
 * Generates policy-pack/data/taggable-types.json: the Pulumi type tokens of every @pulumi/aws
 * resource whose constructor arguments (`XxxArgs`) accept `tags`.
 *
 *   npx ts-node --transpile-only policy-pack/scripts/generate-taggable-types.ts          # write
 *   npx ts-node --transpile-only policy-pack/scripts/generate-taggable-types.ts --check  # exit 1 if stale
 *
 * How: every `*.d.ts` under node_modules/@pulumi/aws is scanned for `export interface XxxArgs {`
 * blocks that declare a top-level `tags?:` member (a tag map or a list of tag blocks) and for `export declare class Xxx extends
 * pulumi.CustomResource`. The token is read from the sibling `.js` file, where the SDK exposes it as
 * `static __pulumiType = '<token>'` (or `Xxx.__pulumiType = '<token>'` in older codegen); the `.d.ts`
 * marks it @internal and strips it.
 */
import * as fs from "fs";
import * as path from "path";

export interface TaggableTypesFile {
    description: string;
    generatedBy: string;
    provider: { package: string; version: string };
    count: number;
    types: string[];
}

const ARGS_BLOCK = /^export interface (\w+)Args \{\n([\s\S]*?)^\}/gm;
// A tag map (`tags?: pulumi.Input<{ [key: string]: ... }>`) or a list of tag blocks such as the
// Auto Scaling group's `tags?: pulumi.Input<pulumi.Input<inputs.autoscaling.GroupTag>[]>`. Members
// named `tags` with another shape (devopsguru's ResourceCollectionTags filter) are not resource tags.
const TAGS_MEMBER = /^ {4}tags\?: pulumi\.Input<(\{|pulumi\.Input<inputs\.\w+\.\w*Tag>\[\])/m;

function walk(dir: string, out: string[]): void {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            if (entry.name !== "node_modules") {
                walk(full, out);
            }
        } else if (entry.name.endsWith(".d.ts")) {
            out.push(full);
        }
    }
}

function pulumiTypeOf(jsSource: string, className: string): string | undefined {
    const patterns = [
        new RegExp(`static __pulumiType = '([^']+)'`),
        new RegExp(`${className}\\.__pulumiType = '([^']+)'`),
    ];
    // A file may hold a single resource class; prefer the class-qualified assignment when present.
    const qualified = patterns[1].exec(jsSource);
    if (qualified) {
        return qualified[1];
    }
    const classStart = jsSource.indexOf(`class ${className} extends`);
    if (classStart < 0) {
        return undefined;
    }
    const m = patterns[0].exec(jsSource.slice(classStart));
    return m ? m[1] : undefined;
}

/** Scans an installed @pulumi/aws and returns the sorted, de-duplicated taggable type tokens. */
export function scanTaggableTypes(awsPackageDir: string): string[] {
    const files: string[] = [];
    walk(awsPackageDir, files);
    const tokens = new Set<string>();
    for (const dts of files) {
        const source = fs.readFileSync(dts, "utf8");
        if (!source.includes("Args {")) {
            continue;
        }
        for (const m of source.matchAll(ARGS_BLOCK)) {
            const className = m[1];
            const body = m[2];
            if (!TAGS_MEMBER.test(body)) {
                continue;
            }
            if (!new RegExp(`export declare class ${className} extends pulumi\\.CustomResource`).test(source)) {
                continue;
            }
            const js = dts.replace(/\.d\.ts$/, ".js");
            if (!fs.existsSync(js)) {
                continue;
            }
            const token = pulumiTypeOf(fs.readFileSync(js, "utf8"), className);
            if (token && token.startsWith("aws:")) {
                tokens.add(token);
            }
        }
    }
    return [...tokens].sort();
}

export function defaultAwsPackageDir(): string {
    return path.dirname(require.resolve("@pulumi/aws/package.json"));
}

export const TAGGABLE_TYPES_PATH = path.join(__dirname, "..", "data", "taggable-types.json");

export function buildTaggableTypesFile(awsPackageDir: string = defaultAwsPackageDir()): TaggableTypesFile {
    const pkg = JSON.parse(fs.readFileSync(path.join(awsPackageDir, "package.json"), "utf8")) as { name: string; version: string };
    const types = scanTaggableTypes(awsPackageDir);
    return {
        description: "Pulumi type tokens of @pulumi/aws resources whose Args accept `tags`. Generated; do not edit.",
        generatedBy: "policy-pack/scripts/generate-taggable-types.ts",
        provider: { package: pkg.name, version: pkg.version },
        count: types.length,
        types,
    };
}

export function renderTaggableTypesFile(file: TaggableTypesFile): string {
    return JSON.stringify(file, null, 2) + "\n";
}

function main(): void {
    const rendered = renderTaggableTypesFile(buildTaggableTypesFile());
    if (process.argv.includes("--check")) {
        const current = fs.existsSync(TAGGABLE_TYPES_PATH) ? fs.readFileSync(TAGGABLE_TYPES_PATH, "utf8") : "";
        if (current !== rendered) {
            console.error(`${TAGGABLE_TYPES_PATH} is stale: run policy-pack/scripts/generate-taggable-types.ts`);
            process.exit(1);
        }
        console.log(`${TAGGABLE_TYPES_PATH} is up to date`);
        return;
    }
    fs.writeFileSync(TAGGABLE_TYPES_PATH, rendered);
    console.log(`wrote ${TAGGABLE_TYPES_PATH}`);
}

if (require.main === module) {
    main();
}
