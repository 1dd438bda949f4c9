import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

/** Marker that replaces a `secure:` value: the plan can show where a secret goes, never what it is. */
export const SECRET_PLACEHOLDER = "[secret]";

/** Config as the Pulumi CLI would hand it to the program: full keys to strings, plus which are secret. */
export interface EngineConfig {
    values: Record<string, string>;
    secretKeys: string[];
}

interface ProjectConfigDeclaration {
    type?: string;
    default?: unknown;
    secret?: boolean;
}

interface ProjectFile {
    name: string;
    config?: Record<string, ProjectConfigDeclaration | unknown>;
}

const projectFiles = new Map<string, { mtimeMs: number; project: ProjectFile }>();

/** Pulumi.yaml, parsed once per process while the file is unchanged (a cold YAML parse is slow). */
function readProjectFile(projectDir: string): ProjectFile {
    const file = path.join(projectDir, "Pulumi.yaml");
    const { mtimeMs } = fs.statSync(file);
    const cached = projectFiles.get(file);
    if (cached?.mtimeMs === mtimeMs) {
        return cached.project;
    }
    const project = parse(fs.readFileSync(file, "utf8")) as ProjectFile;
    projectFiles.set(file, { mtimeMs, project });
    return project;
}

/** The project's own name from Pulumi.yaml (the namespace of its config keys). */
export function projectName(projectDir: string): string {
    return readProjectFile(projectDir).name;
}

/** Path of a stack's config file; a path to a .yaml file is taken as is. */
export function stackFilePath(projectDir: string, stack: string): string {
    return /\.ya?ml$/.test(stack) ? path.resolve(stack) : path.join(projectDir, `Pulumi.${stack}.yaml`);
}

/** The stack name a stack file stands for: Pulumi.<name>.yaml -> <name>. */
export function stackNameOf(stackFile: string): string {
    const match = /^Pulumi\.(.+)\.ya?ml$/.exec(path.basename(stackFile));
    return match ? match[1] : path.basename(stackFile).replace(/\.ya?ml$/, "");
}

/**
 * Merges the project-level defaults of Pulumi.yaml with a stack file the way the CLI does:
 * stack values win; keys without a namespace belong to the project; non-string values are
 * passed as JSON text; `secure:` values become a marked placeholder and are listed as secret.
 */
export function loadEngineConfig(projectDir: string, stackFile: string, overrides: Record<string, unknown> = {}): EngineConfig {
    const project = readProjectFile(projectDir);
    const name = project.name;
    if (!fs.existsSync(stackFile)) {
        throw new Error(`stack file not found: ${stackFile}`);
    }
    const stack = (parse(fs.readFileSync(stackFile, "utf8")) ?? {}) as { config?: Record<string, unknown> };
    const fullKey = (key: string) => (key.includes(":") ? key : `${name}:${key}`);

    const values: Record<string, string> = {};
    const secretKeys: string[] = [];
    const set = (key: string, value: unknown) => {
        if (isSecureValue(value)) {
            values[key] = SECRET_PLACEHOLDER;
            secretKeys.push(key);
        } else {
            values[key] = typeof value === "string" ? value : JSON.stringify(value);
        }
    };

    for (const [key, declaration] of Object.entries(project.config ?? {})) {
        if (isDeclaration(declaration)) {
            if (declaration.default !== undefined) {
                set(fullKey(key), declaration.default);
            }
        } else {
            set(fullKey(key), declaration);
        }
    }
    for (const [key, value] of Object.entries(stack.config ?? {})) {
        set(fullKey(key), value);
    }
    for (const [key, value] of Object.entries(overrides)) {
        delete values[fullKey(key)];
        if (value !== undefined) {
            set(fullKey(key), value);
        }
    }
    return { values, secretKeys: [...new Set(secretKeys)] };
}

function isSecureValue(value: unknown): boolean {
    return typeof value === "object" && value !== null && "secure" in value;
}

function isDeclaration(value: unknown): value is ProjectConfigDeclaration {
    return typeof value === "object" && value !== null && !Array.isArray(value) && ("type" in value || "default" in value);
}
