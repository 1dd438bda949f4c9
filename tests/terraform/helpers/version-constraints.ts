/**
 * Version numbers and the two constraint languages the project states versions in:
 * Terraform's (`required_version`, `required_providers`: ">= 1.11", "~> 6.42", comma-separated)
 * and npm's/the GitHub setup actions' (`engines.node`, `node-version`, `terraform_version`:
 * "20", "20.x", "~1.10", "^1.11", ">=20", "1.11.4").
 */

export type Version = readonly [number, number, number];

export function parseVersion(text: string): Version {
    const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(text.trim());
    if (!m) {
        throw new Error(`not a version: ${JSON.stringify(text)}`);
    }
    return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

export function compareVersions(a: Version, b: Version): number {
    return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

export function formatVersion(v: Version): string {
    return v.join(".");
}

export function maxVersion(versions: Version[]): Version {
    return versions.reduce((max, v) => (compareVersions(v, max) > 0 ? v : max));
}

type Operator = "=" | "!=" | ">" | ">=" | "<" | "<=" | "~>";

interface Clause {
    operator: Operator;
    version: Version;
    /** How many parts were written: "~> 6.42" (2) pins the major, "~> 6.42.1" (3) the minor. */
    parts: number;
}

/** A Terraform version constraint string, e.g. "~> 6.42" or ">= 1.11, < 2.0". */
export function parseTerraformConstraint(text: string): Clause[] {
    return text.split(",").map((raw) => {
        const m = /^\s*(=|!=|>=|<=|>|<|~>)?\s*(v?\d+(?:\.\d+){0,2})\s*$/.exec(raw);
        if (!m) {
            throw new Error(`not a Terraform version constraint: ${JSON.stringify(text)}`);
        }
        return { operator: (m[1] ?? "=") as Operator, version: parseVersion(m[2]), parts: m[2].replace(/^v/, "").split(".").length };
    });
}

function clauseAdmits(clause: Clause, v: Version): boolean {
    const c = compareVersions(v, clause.version);
    switch (clause.operator) {
        case "=":
            return c === 0;
        case "!=":
            return c !== 0;
        case ">":
            return c > 0;
        case ">=":
            return c >= 0;
        case "<":
            return c < 0;
        case "<=":
            return c <= 0;
        case "~>": {
            // "~> 6.42" = ">= 6.42, < 7.0"; "~> 6.42.1" = ">= 6.42.1, < 6.43"; "~> 6" = ">= 6".
            if (c < 0) {
                return false;
            }
            if (clause.parts === 1) {
                return true;
            }
            const upper: Version = clause.parts === 2 ? [clause.version[0] + 1, 0, 0] : [clause.version[0], clause.version[1] + 1, 0];
            return compareVersions(v, upper) < 0;
        }
    }
}

/** Whether a Terraform constraint admits a version. */
export function terraformAdmits(constraint: string, version: Version): boolean {
    return parseTerraformConstraint(constraint).every((clause) => clauseAdmits(clause, version));
}

/**
 * The oldest version a Terraform constraint admits: the largest of its lower bounds (0.0.0 when
 * it states none). Exclusions ("!=", ">") are not lower bounds the project uses; they are refused.
 */
export function terraformLowerBound(constraint: string): Version {
    const bounds = parseTerraformConstraint(constraint).map((clause) => {
        if (clause.operator === ">" || clause.operator === "!=") {
            throw new Error(`unsupported operator ${clause.operator} in ${JSON.stringify(constraint)}: state the oldest admitted version with >= or ~>`);
        }
        return clause.operator === "<" || clause.operator === "<=" ? ([0, 0, 0] as Version) : clause.version;
    });
    return maxVersion([[0, 0, 0], ...bounds]);
}

/**
 * The oldest version an npm-style version spec (actions/setup-node `node-version`,
 * hashicorp/setup-terraform `terraform_version`, package.json `engines`) can resolve to.
 * Supported: "20", "20.x", "1.11.4", "~1.10", "^1.11", ">=20", ">= 1.11". Anything else (aliases
 * such as "lts/*" or "latest") is refused, because its version cannot be checked offline.
 */
export function npmSpecLowest(spec: string | number): Version {
    const text = String(spec).trim();
    const m = /^(>=|\^|~|=)?\s*v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?$/.exec(text);
    if (!m) {
        throw new Error(`cannot check version spec ${JSON.stringify(text)} offline: use a number, a range such as ~1.11 or >=20, or an exact version`);
    }
    const part = (p: string | undefined): number => (p === undefined || p === "x" || p === "*" ? 0 : Number(p));
    return [Number(m[2]), part(m[3]), part(m[4])];
}

/** Whether an npm-style lower-bound spec (">=20", "20", "^20") admits a version. */
export function npmAdmits(spec: string, version: Version): boolean {
    const text = spec.trim();
    const lowest = npmSpecLowest(text);
    if (compareVersions(version, lowest) < 0) {
        return false;
    }
    if (/^>=/.test(text)) {
        return true;
    }
    // A bare major ("20", "20.x") or a caret range stays within the major; a tilde within the minor.
    if (/^~/.test(text) && text.split(".").length >= 2) {
        return version[0] === lowest[0] && version[1] === lowest[1];
    }
    if (/^\d+(\.\d+){2}$/.test(text)) {
        return compareVersions(version, lowest) === 0;
    }
    return version[0] === lowest[0];
}
