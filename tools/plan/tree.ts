/**
 * The resource tree as `pulumi preview` draws it: one line per resource with the action's symbol,
 * the component tree drawn with ├─ └─ │, and a summary that counts by action.
 *
 *      Type                                  Name              Plan
 *  +   pulumi:pulumi:Stack                   memory-spine-dev  create
 *  +   ├─ memory-spine:network:Networking    network           create
 *  +   │  ├─ aws:ec2:Vpc                     memspine-dev-vpc  create
 *  +   │  └─ aws:ec2:Subnet                  memspine-dev-...  create
 *
 *  Resources:
 *      + 78 to create
 */

/** What a preview would do to a resource. The offline plan has no state, so it only creates. */
export type PlanAction = "create" | "update" | "replace" | "delete" | "same";

export interface TreeResource {
    urn: string;
    type: string;
    name: string;
    parent?: string;
    action?: PlanAction;
}

/** The symbol and the summary wording `pulumi preview` uses for each action, in its order. */
const ACTIONS: Record<PlanAction, { symbol: string; summary: string }> = {
    create: { symbol: "+", summary: "to create" },
    update: { symbol: "~", summary: "to update" },
    delete: { symbol: "-", summary: "to delete" },
    replace: { symbol: "+-", summary: "to replace" },
    same: { symbol: " ", summary: "unchanged" },
};

/** The root resource every Pulumi program has; the mocks never register it, the engine does. */
export const STACK_TYPE = "pulumi:pulumi:Stack";

/** `pulumi:pulumi:Stack` is named `<project>-<stack>` by the engine. */
export function stackResource(project: string, stack: string): TreeResource {
    return { urn: `urn:pulumi:${stack}::${project}::${STACK_TYPE}::${project}-${stack}`, type: STACK_TYPE, name: `${project}-${stack}`, action: "create" };
}

/**
 * The type as Pulumi displays it: a module path that only repeats the type's name is dropped
 * (`aws:ec2/vpc:Vpc` is shown as `aws:ec2:Vpc`); anything else is left as it is.
 */
export function displayType(type: string): string {
    const match = /^([^:]+):([^:/]+)\/([^:/]+):([^:]+)$/.exec(type);
    if (match && match[3].toLowerCase() === match[4].toLowerCase()) {
        return `${match[1]}:${match[2]}:${match[4]}`;
    }
    return type;
}

/** Counts per action, in Pulumi's order; the stack resource counts like any other. */
export function countByAction(resources: readonly TreeResource[]): Partial<Record<PlanAction, number>> {
    const counts: Partial<Record<PlanAction, number>> = {};
    for (const action of Object.keys(ACTIONS) as PlanAction[]) {
        const count = resources.filter((r) => (r.action ?? "create") === action).length;
        if (count > 0) {
            counts[action] = count;
        }
    }
    return counts;
}

/** `Resources:` and one line per action, e.g. `    + 78 to create`. */
export function renderSummary(counts: Partial<Record<PlanAction, number>>): string[] {
    const lines = ["Resources:"];
    for (const [action, count] of Object.entries(counts) as [PlanAction, number][]) {
        lines.push(`    ${ACTIONS[action].symbol} ${count} ${ACTIONS[action].summary}`);
    }
    return lines;
}

/**
 * The tree under `root` (the stack): components first, then by type and name, so the same
 * program always prints the same tree. Resources whose parent is not in the list hang off the root.
 */
export function renderTree(root: TreeResource, resources: readonly TreeResource[]): string[] {
    const known = new Set(resources.map((r) => r.urn));
    const children = new Map<string, TreeResource[]>();
    for (const resource of resources) {
        const parent = resource.parent && known.has(resource.parent) ? resource.parent : root.urn;
        children.set(parent, [...(children.get(parent) ?? []), resource]);
    }
    const rows: { action: PlanAction; label: string; name: string }[] = [{ action: root.action ?? "create", label: displayType(root.type), name: root.name }];
    const walk = (parent: string, indent: string): void => {
        const list = [...(children.get(parent) ?? [])].sort(
            (a, b) => Number(children.has(b.urn)) - Number(children.has(a.urn)) || a.type.localeCompare(b.type) || a.name.localeCompare(b.name),
        );
        list.forEach((resource, index) => {
            const last = index === list.length - 1;
            rows.push({ action: resource.action ?? "create", label: `${indent}${last ? "└─ " : "├─ "}${displayType(resource.type)}`, name: resource.name });
            walk(resource.urn, `${indent}${last ? "   " : "│  "}`);
        });
    };
    walk(root.urn, "");
    const labelWidth = Math.max("Type".length, ...rows.map((r) => r.label.length));
    const nameWidth = Math.max("Name".length, ...rows.map((r) => r.name.length));
    const line = (symbol: string, label: string, name: string, plan: string): string =>
        ` ${symbol.padEnd(2)}  ${label.padEnd(labelWidth)}  ${name.padEnd(nameWidth)}  ${plan}`.trimEnd();
    return [line("", "Type", "Name", "Plan"), ...rows.map((r) => line(ACTIONS[r.action].symbol, r.label, r.name, r.action === "same" ? "" : r.action))];
}
