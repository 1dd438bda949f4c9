/**
 * Just enough of Terraform's templatefile() to check the boot scripts: `${name}` is replaced
 * by a variable, `$${` and `%%{` are literal `${` and `%{`. Anything else templatefile would
 * interpret (an expression, a directive) is an error here, because the scripts use none.
 */
const TOKEN = /\$\$\{|%%\{|\$\{([^}]*)\}|%\{/g;

/** Names of the variables a template interpolates. */
export function templateVariables(template: string): Set<string> {
    const names = new Set<string>();
    for (const m of template.matchAll(TOKEN)) {
        if (m[0].startsWith("${")) {
            names.add(m[1].trim());
        }
    }
    return names;
}

/** Renders a template; throws on an unknown variable or on any expression or directive. */
export function renderTemplate(template: string, vars: Readonly<Record<string, string>>): string {
    return template.replace(TOKEN, (token: string, name: string | undefined) => {
        if (token === "$${") {
            return "${";
        }
        if (token === "%%{") {
            return "%{";
        }
        if (token === "%{") {
            throw new Error("template directive %{ found: escape it as %%{");
        }
        const key = (name ?? "").trim();
        if (!/^[a-z_][a-z0-9_]*$/.test(key)) {
            throw new Error(`template expression \${${key}} is not a plain variable: escape shell expansions as $\${...}`);
        }
        const value = vars[key];
        if (value === undefined) {
            throw new Error(`template variable ${key} has no value`);
        }
        return value;
    });
}

/** The module's quoting, format("'%s'", replace(v, "'", "'\\''")), for rendering in tests. */
export function shellQuote(value: string): string {
    return `'${value.replace(/'/g, "'\\''")}'`;
}

