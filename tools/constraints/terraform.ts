/**
 * The same provider-documented constraints on Terraform resources: an HCL resource body (as
 * HashiCorp's parser, @cdktf/hcl2json, returns it) is converted to the Pulumi inputs it stands
 * for (snake_case attributes and blocks -> camelCase inputs, `notification` blocks ->
 * `notifications`), with every expression a value this check cannot know.
 */
import * as fs from "fs";
import * as path from "path";
import { evaluate, MAYBE, SOURCE_BODY, SOURCE_NAMES, Violation } from "./evaluate";
import type { ConstraintTable, ShapeConstraints } from "./table";
import { sdkDir } from "./typings";

/** A value as hcl2json returns it: literals as JSON, expressions as "${...}" strings, blocks as lists of bodies. */
export type HclValue = string | number | boolean | null | HclValue[] | { [key: string]: HclValue };
export type HclBody = { [key: string]: HclValue };

export interface TerraformResource {
    /** e.g. aws_budgets_budget */
    type: string;
    /** How the report names it, e.g. terraform/modules/monitoring/main.tf: aws_budgets_budget.monthly */
    address: string;
    body: HclBody;
}

/** Meta-arguments and settings of Terraform itself, not of the provider's schema. */
const META_ARGUMENTS = new Set(["count", "for_each", "lifecycle", "depends_on", "provider", "provisioner", "connection", "timeouts"]);

export interface TerraformCheck {
    violations: Violation[];
    /** Resource types no provider typings were found for. */
    unmapped: string[];
}

/**
 * Checks Terraform resources; `knownTokens` maps Terraform types to Pulumi tokens where the
 * name alone does not tell (aws_lb -> aws:lb/loadBalancer:LoadBalancer), the rest are found
 * by their name (aws_budgets_budget -> aws:budgets/budget:Budget).
 */
export function checkTerraform(table: ConstraintTable, resources: readonly TerraformResource[], knownTokens: Readonly<Record<string, string>>): TerraformCheck {
    const violations: Violation[] = [];
    const unmapped = new Set<string>();
    for (const resource of resources) {
        const token = knownTokens[resource.type] ?? tokenFromTerraformType(resource.type);
        const constraints = token ? table.resource(token) : undefined;
        if (!token || !constraints) {
            unmapped.add(resource.type);
            continue;
        }
        const pkg = token.split(":")[0];
        violations.push(...evaluate(table, { type: token, name: resource.address, inputs: toInputs(resource.body, constraints.shape, (q) => table.input(pkg, q)) }));
    }
    table.save();
    return { violations, unmapped: [...unmapped].sort() };
}

/** The Pulumi inputs an HCL body stands for, keyed as the shape names them. */
export function toInputs(body: HclBody, shape: ShapeConstraints, nestedShape: (qualified: string) => ShapeConstraints | undefined): Record<string, unknown> {
    const inputs: Record<string, unknown> = {};
    const sourceNames: Record<string, string> = {};
    const names = Object.keys(shape.properties);
    const assign = (key: string, value: unknown): void => {
        const name = pulumiName(key, names);
        if (name) {
            inputs[name] = value;
            sourceNames[name] = key;
        }
    };
    for (const [key, value] of Object.entries(body)) {
        if (META_ARGUMENTS.has(key)) {
            continue;
        }
        if (key === "dynamic" && isBody(value)) {
            // How many blocks a dynamic block makes is known only at plan time.
            Object.keys(value).forEach((blockType) => assign(blockType, MAYBE));
            continue;
        }
        const name = pulumiName(key, names);
        const nestedName = name ? shape.properties[name].nested : undefined;
        const nested = nestedName ? nestedShape(nestedName) : undefined;
        if (nested && Array.isArray(value) && value.every(isBody)) {
            assign(key, value.map((block) => toInputs(block, nested, nestedShape)));
        } else {
            assign(key, literal(value));
        }
    }
    Object.defineProperty(inputs, SOURCE_NAMES, { value: sourceNames, enumerable: false });
    Object.defineProperty(inputs, SOURCE_BODY, { value: body, enumerable: false });
    return inputs;
}

/** The input a Terraform name means: its camelCase, or the plural Pulumi gives blocks and lists. */
export function pulumiName(key: string, names: readonly string[]): string | undefined {
    const camel = key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
    return [camel, `${camel}s`, `${camel}es`, camel.replace(/y$/, "ies")].find((candidate) => names.includes(candidate));
}

function literal(value: HclValue): unknown {
    if (typeof value === "string") {
        return value.includes("${") ? MAYBE : value;
    }
    if (Array.isArray(value)) {
        return value.map(literal);
    }
    if (isBody(value)) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, literal(v)]));
    }
    return value;
}

function isBody(value: HclValue | undefined): value is HclBody {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The Pulumi token of a Terraform type named `<pkg>_<module>_<resource>` (or `<pkg>_<resource>`
 * for the index module), read from the `__pulumiType` the SDK registers: aws_budgets_budget ->
 * aws:budgets/budget:Budget, vault_approle_auth_backend_role -> vault:appRole/authBackendRole:AuthBackendRole.
 */
export function tokenFromTerraformType(type: string): string | undefined {
    const [pkg, ...parts] = type.split("_");
    const dir = sdkDir(pkg);
    if (!dir || parts.length === 0) {
        return undefined;
    }
    for (let split = 0; split < parts.length; split++) {
        const moduleDir = split === 0 ? dir : path.join(dir, parts.slice(0, split).join(""));
        const file = camelCase(parts.slice(split));
        const js = path.join(moduleDir, `${file}.js`);
        if (fs.existsSync(js)) {
            const token = /__pulumiType = '([^']+)'/.exec(fs.readFileSync(js, "utf8"))?.[1];
            if (token) {
                return token;
            }
        }
    }
    return undefined;
}

function camelCase(parts: string[]): string {
    return parts.map((p, i) => (i === 0 ? p : p.charAt(0).toUpperCase() + p.slice(1))).join("");
}
