import * as fs from "fs";
import * as path from "path";

const TEMPLATE_DIR = path.join(__dirname, "templates");
const PLACEHOLDER = /@@([A-Za-z][A-Za-z0-9_]*)@@/g;

/** Quotes a value for POSIX shells: the template can never be broken out of by config. */
export function shellQuote(value: string): string {
    return `'${value.replace(/'/g, `'"'"'`)}'`;
}

/**
 * Renders `components/templates/<name>` by replacing `@@key@@` with the shell-quoted value.
 * A placeholder without a value, or a value without a placeholder, is an error: a typo in
 * either place would otherwise ship a node that boots with a blank setting.
 */
export function renderTemplate(name: string, values: Readonly<Record<string, string>>): string {
    const template = fs.readFileSync(path.join(TEMPLATE_DIR, name), "utf8");
    const used = new Set<string>();
    const rendered = template.replace(PLACEHOLDER, (_match, key: string) => {
        const value = values[key];
        if (value === undefined) {
            throw new Error(`template ${name} uses @@${key}@@ but no value was given`);
        }
        used.add(key);
        return shellQuote(value);
    });
    const unused = Object.keys(values).filter((key) => !used.has(key));
    if (unused.length > 0) {
        throw new Error(`template ${name} has no placeholder for: ${unused.join(", ")}`);
    }
    return rendered;
}
