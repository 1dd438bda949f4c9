/**
 * The program's boot-script templates (components/templates, `@@camelCase@@` placeholders) and
 * their Terraform twins (templatefile(), `${snake_case}` variables): which is whose, and the values
 * a rendered script was given, read back from the rendering so that Terraform can be asked to
 * render its twin with the very same values.
 */
import * as fs from "fs";
import * as path from "path";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const PULUMI_TEMPLATE_DIR = path.join(REPO_ROOT, "components", "templates");

/** Program template -> Terraform template (repository-relative). */
export const TERRAFORM_TWINS: Readonly<Record<string, string>> = {
    "memory-spine-node.sh": "terraform/modules/memory-spine/templates/user-data.sh.tpl",
    "qdrant-node.sh": "terraform/modules/vector-store/templates/qdrant-node.sh.tpl",
};

export function terraformTwinPath(pulumiTemplate: string): string | undefined {
    const twin = TERRAFORM_TWINS[pulumiTemplate];
    return twin === undefined ? undefined : path.join(REPO_ROOT, twin);
}

export function snakeCase(key: string): string {
    return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

const PLACEHOLDER = /@@([A-Za-z][A-Za-z0-9_]*)@@/g;
/** components/user-data.ts's shellQuote output: '…' pieces joined by "'" (as '"'"'). */
const QUOTED = `('[^']*'(?:"'"'[^']*')*)`;

function escapeRegExp(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function unquote(quoted: string): string {
    return quoted.slice(1, -1).split(`'"'"'`).join("'");
}

/**
 * The template a script was rendered from and the values it was given, or undefined when no
 * template in components/templates renders like it.
 */
export function identifyRendering(script: string): { template: string; values: Record<string, string> } | undefined {
    for (const template of fs.readdirSync(PULUMI_TEMPLATE_DIR).sort()) {
        const text = fs.readFileSync(path.join(PULUMI_TEMPLATE_DIR, template), "utf8");
        const keys: string[] = [];
        const pattern = text
            .split(PLACEHOLDER)
            .map((part, index) => {
                if (index % 2 === 1) {
                    keys.push(part);
                    return QUOTED;
                }
                return escapeRegExp(part);
            })
            .join("");
        const match = new RegExp(`^${pattern}$`).exec(script);
        if (match) {
            const values: Record<string, string> = {};
            keys.forEach((key, i) => {
                values[key] = unquote(match[i + 1]);
            });
            return { template, values };
        }
    }
    return undefined;
}

/** The script below its header comment: the two forms word their headers differently. */
export function scriptBody(script: string): string {
    const start = script.indexOf("\nset -");
    return start < 0 ? script : script.slice(start + 1);
}
