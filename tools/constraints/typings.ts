/**
 * Reads what a Pulumi provider SDK documents about its inputs, from its own typings: for a
 * resource, the properties of its `<Class>Args` interface; for nested blocks, the interfaces of
 * `types/input.d.ts`. Each property keeps its JSDoc text, its `@deprecated` note and the input
 * type it nests (`inputs.budgets.BudgetFilterExpression` -> "budgets.BudgetFilterExpression").
 * Parsed with the TypeScript compiler's own parser, so comments, generics and namespaces are
 * read the way tsc reads them.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

export interface PropertyDoc {
    name: string;
    /** The JSDoc comment text, without the tags. */
    doc: string;
    /** The `@deprecated` tag's text ("" when the tag has none); absent when not deprecated. */
    deprecated?: string;
    /** Qualified name of the input interface the property nests, if any. */
    nested?: string;
}

export interface ShapeDoc {
    properties: PropertyDoc[];
}

export interface ResourceDoc extends ShapeDoc {
    /** The resource class's `@deprecated` text, if the class is deprecated. */
    deprecated?: string;
}

/** `aws:budgets/budget:Budget` -> package aws, module budgets, file budget, class Budget. */
export interface TypeToken {
    pkg: string;
    module: string;
    file: string;
    className: string;
}

export function parseTypeToken(token: string): TypeToken | undefined {
    const m = /^([\w-]+):([\w-]+)\/(\w+):(\w+)$/.exec(token);
    return m ? { pkg: m[1], module: m[2], file: m[3], className: m[4] } : undefined;
}

/** The directory of an installed `@pulumi/<pkg>` SDK, or undefined when it is not installed. */
export function sdkDir(pkg: string): string | undefined {
    try {
        return path.dirname(require.resolve(`@pulumi/${pkg}/package.json`));
    } catch {
        return undefined;
    }
}

export function sdkVersion(pkg: string): string | undefined {
    const dir = sdkDir(pkg);
    return dir ? (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string }).version : undefined;
}

/**
 * The .d.ts that declares a resource: `<sdk>/<module>/<file>.d.ts` (the `index` module at the
 * root; directories may differ in case: `vault:appRole/...` lives in approle/), confirmed by the
 * `__pulumiType` the SDK's JavaScript registers for it.
 */
export function resourceTypingsFile(token: TypeToken): string | undefined {
    const dir = sdkDir(token.pkg);
    if (!dir) {
        return undefined;
    }
    const moduleDirs = token.module === "index" ? [dir] : fs.readdirSync(dir).filter((d) => d.toLowerCase() === token.module.toLowerCase()).map((d) => path.join(dir, d));
    const tokenText = `${token.pkg}:${token.module}/${token.file}:${token.className}`;
    for (const moduleDir of moduleDirs) {
        const file = path.join(moduleDir, `${token.file}.d.ts`);
        const js = file.replace(/\.d\.ts$/, ".js");
        if (fs.existsSync(file) && fs.existsSync(js) && fs.readFileSync(js, "utf8").includes(`__pulumiType = '${tokenText}'`)) {
            return file;
        }
    }
    return undefined;
}

export function inputTypingsFile(pkg: string): string | undefined {
    const dir = sdkDir(pkg);
    const file = dir && path.join(dir, "types", "input.d.ts");
    return file && fs.existsSync(file) ? file : undefined;
}

function parse(file: string): ts.SourceFile {
    return ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
}

/** The resource's `<Class>Args` properties and the class's own deprecation, or undefined if absent. */
export function readResourceDoc(file: string, className: string): ResourceDoc | undefined {
    const source = parse(file);
    let args: ts.InterfaceDeclaration | undefined;
    let cls: ts.ClassDeclaration | undefined;
    for (const statement of source.statements) {
        if (ts.isInterfaceDeclaration(statement) && statement.name.text === `${className}Args`) {
            args = statement;
        } else if (ts.isClassDeclaration(statement) && statement.name?.text === className) {
            cls = statement;
        }
    }
    if (!args || !cls) {
        return undefined;
    }
    const deprecated = deprecation(cls);
    return { properties: propertiesOf(args), ...(deprecated !== undefined ? { deprecated } : {}) };
}

/** Every interface of types/input.d.ts by qualified name ("budgets.BudgetFilterExpression"). */
export function readInputDocs(file: string): Map<string, ShapeDoc> {
    const shapes = new Map<string, ShapeDoc>();
    const visit = (statements: ts.NodeArray<ts.Statement>, prefix: string): void => {
        for (const statement of statements) {
            if (ts.isInterfaceDeclaration(statement)) {
                shapes.set(prefix + statement.name.text, { properties: propertiesOf(statement) });
            } else if (ts.isModuleDeclaration(statement) && statement.body && ts.isModuleBlock(statement.body)) {
                visit(statement.body.statements, `${prefix}${statement.name.text}.`);
            }
        }
    };
    visit(parse(file).statements, "");
    return shapes;
}

function propertiesOf(node: ts.InterfaceDeclaration): PropertyDoc[] {
    const properties: PropertyDoc[] = [];
    for (const member of node.members) {
        if (!ts.isPropertySignature(member) || !(ts.isIdentifier(member.name) || ts.isStringLiteral(member.name))) {
            continue;
        }
        const nested = member.type ? nestedInput(member.type) : undefined;
        const deprecated = deprecation(member);
        properties.push({
            name: member.name.text,
            doc: docText(member),
            ...(deprecated !== undefined ? { deprecated } : {}),
            ...(nested ? { nested } : {}),
        });
    }
    return properties;
}

function docText(node: ts.Node): string {
    return ts
        .getJSDocCommentsAndTags(node)
        .filter(ts.isJSDoc)
        .map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? "")
        .join("\n")
        .trim();
}

function deprecation(node: ts.Node): string | undefined {
    const tag = ts.getJSDocTags(node).find((t) => t.tagName.text === "deprecated");
    return tag ? (ts.getTextOfJSDocComment(tag.comment) ?? "").trim() : undefined;
}

/** The first `inputs.<qualified>` type a property's type mentions (through Input<>, arrays, unions). */
function nestedInput(type: ts.TypeNode): string | undefined {
    let found: string | undefined;
    const visit = (node: ts.Node): void => {
        if (found) {
            return;
        }
        if (ts.isTypeReferenceNode(node)) {
            const name = node.typeName.getText();
            if (name.startsWith("inputs.")) {
                found = name.slice("inputs.".length);
                return;
            }
        }
        ts.forEachChild(node, visit);
    };
    visit(type);
    return found;
}
