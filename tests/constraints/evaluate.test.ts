import { expect } from "chai";
import { ConstraintLookup, evaluate, formatViolation, isAbsent, isSet, MAYBE, Violation } from "../../tools/constraints/evaluate";
import type { Constraint } from "../../tools/constraints/extract";
import type { ResourceConstraints, ShapeConstraints } from "../../tools/constraints/table";

const TOKEN = "test:mod/thing:Thing";

/** A lookup with one resource whose inputs carry the given constraints, and one nested block type. */
function lookup(properties: Record<string, Constraint[]>, nested: Record<string, Constraint[]> = {}, deprecated?: string): ConstraintLookup {
    const shape = (props: Record<string, Constraint[]>): ShapeConstraints => ({
        properties: Object.fromEntries(Object.entries(props).map(([name, constraints]) => [name, { constraints }])),
    });
    const resource: ResourceConstraints = { token: TOKEN, ...(deprecated !== undefined ? { deprecated } : {}), shape: shape(properties) };
    resource.shape.properties.blocks = { constraints: [], nested: "mod.Block" };
    return {
        resource: (token) => (token === TOKEN ? resource : undefined),
        input: (_pkg, qualified) => (qualified === "mod.Block" ? shape(nested) : undefined),
    };
}

function run(table: ConstraintLookup, inputs: Record<string, unknown>): Violation[] {
    return evaluate(table, { type: TOKEN, name: "thing", inputs });
}

const S = "the sentence.";

describe("constraint evaluation", function () {
    it("conflicts: both set fails; one set, false, empty or unknown passes", function () {
        const table = lookup({ a: [{ kind: "conflicts", others: ["b"], sentence: S }], b: [] });
        expect(run(table, { a: "x", b: "y" }).map((v) => v.detail)).to.deep.equal(['a = "x" is set together with b = "y"']);
        for (const b of [undefined, false, "", [], MAYBE]) {
            expect(run(table, { a: "x", b }), String(b)).to.deep.equal([]);
        }
    });

    it("requires: set without the other fails; the other present in any form (even unknown) passes", function () {
        const table = lookup({ filterExpression: [{ kind: "requires", others: ["metrics"], sentence: S }], metrics: [] });
        const [violation] = run(table, { filterExpression: { ands: [] } });
        expect(violation).to.include({ path: "filterExpression", kind: "requires", sentence: S, detail: 'filterExpression = {"ands":[]} is set but metrics is not' });
        expect(run(table, { filterExpression: { x: 1 }, metrics: MAYBE })).to.deep.equal([]);
        expect(run(table, { filterExpression: { x: 1 }, metrics: "UnblendedCost" })).to.deep.equal([]);
        expect(run(table, { filterExpression: MAYBE })).to.deep.equal([]);
    });

    it("requiredIf and forbiddenIf decide only on known values", function () {
        const table = lookup({
            sslPolicy: [{ kind: "requiredIf", others: ["protocol"], values: ["HTTPS", "TLS"], sentence: S }],
            subnetId: [{ kind: "forbiddenIf", other: "mode", values: ["regional"], sentence: S }],
            protocol: [],
            mode: [],
        });
        expect(run(table, { protocol: "https" }).map((v) => v.path)).to.deep.equal(["sslPolicy"]);
        expect(run(table, { protocol: "HTTP" })).to.deep.equal([]);
        expect(run(table, { protocol: MAYBE })).to.deep.equal([]);
        expect(run(table, { subnetId: "s", mode: "regional" }).map((v) => v.path)).to.deep.equal(["subnetId"]);
        expect(run(table, { subnetId: "s", mode: MAYBE })).to.deep.equal([]);
    });

    it("requiredIf with 'and' needs every condition", function () {
        const table = lookup({ version: [{ kind: "requiredIf", others: ["id", "secret"], all: true, sentence: S }], id: [], secret: [] });
        expect(run(table, { id: "i" })).to.deep.equal([]);
        expect(run(table, { id: "i", secret: "s" }).map((v) => v.detail)).to.deep.equal(['id = "i" and secret = "s" but version is not set']);
    });

    it("requiresValue compares the other input when it is known", function () {
        const table = lookup({ udp: [{ kind: "requiresValue", other: "srd", values: ["true"], sentence: S }], srd: [] });
        expect(run(table, { udp: true, srd: false })).to.have.lengthOf(1);
        expect(run(table, { udp: true, srd: true })).to.deep.equal([]);
        expect(run(table, { udp: true })).to.deep.equal([]);
    });

    it("exactlyOne reports once: two set, or none", function () {
        const c: Constraint = { kind: "exactlyOne", names: ["az", "azId"], sentence: S };
        const table = lookup({ az: [c], azId: [c] });
        expect(run(table, { az: "a", azId: "b" })).to.have.lengthOf(1);
        expect(run(table, {})).to.have.lengthOf(1);
        expect(run(table, { azId: "b" })).to.deep.equal([]);
        expect(run(table, { az: MAYBE })).to.deep.equal([]);
    });

    it("oneOf (case-insensitive, each element of a list) and range (numbers only)", function () {
        const table = lookup({ kind: [{ kind: "oneOf", values: ["ACCEPT", "ALL"], sentence: S }], days: [{ kind: "range", min: 0, max: 35, sentence: S }] });
        expect(run(table, { kind: "all" })).to.deep.equal([]);
        expect(run(table, { kind: ["ALL", "NONE"] }).map((v) => v.detail)).to.deep.equal(['"NONE" is not one of ACCEPT, ALL']);
        expect(run(table, { days: 36 }).map((v) => v.detail)).to.deep.equal(["36 is outside 0..35"]);
        expect(run(table, { days: "36", kind: MAYBE })).to.deep.equal([]);
    });

    it("deprecated inputs and deprecated resource types", function () {
        expect(run(lookup({ acl: [{ kind: "deprecated", sentence: "@deprecated use BucketAcl" }] }), { acl: "private" }).map((v) => v.kind)).to.deep.equal(["deprecated"]);
        expect(run(lookup({}, {}, "use V2"), {}).map((v) => v.kind)).to.deep.equal(["deprecatedResource"]);
    });

    it("walks nested blocks, objects and lists of them, naming the path", function () {
        const table = lookup({}, { threshold: [{ kind: "range", min: 0, max: 100, sentence: S }] });
        expect(run(table, { blocks: [{ threshold: 50 }, { threshold: 150 }] }).map((v) => v.path)).to.deep.equal(["blocks[1].threshold"]);
        expect(run(table, { blocks: { threshold: 150 } }).map((v) => v.path)).to.deep.equal(["blocks.threshold"]);
    });

    it("formats a violation with the resource, the path, the values and the provider's sentence", function () {
        const table = lookup({ a: [{ kind: "conflicts", others: ["b"], sentence: "Conflicts with `b`." }], b: [] });
        expect(formatViolation(run(table, { a: 1, b: 2 })[0])).to.equal('test:mod/thing:Thing thing: a: a = 1 is set together with b = 2. The provider documents: "Conflicts with `b`."');
    });

    it("set and absent are not each other's negation: unknown is neither", function () {
        expect([isSet(MAYBE), isAbsent(MAYBE)]).to.deep.equal([false, false]);
        expect([isSet(false), isAbsent(false)]).to.deep.equal([false, false]);
        expect([isSet(undefined), isAbsent(null)]).to.deep.equal([false, true]);
    });

    it("ignores types the lookup does not know", function () {
        expect(evaluate(lookup({}), { type: "other:x/y:Y", name: "y", inputs: { a: 1 } })).to.deep.equal([]);
    });
});
