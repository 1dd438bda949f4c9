import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseTypeToken, readInputDocs, readResourceDoc, resourceTypingsFile } from "../../tools/constraints/typings";
import { ConstraintTable } from "../../tools/constraints/table";

describe("provider typings", function () {
    it("finds a resource's .d.ts from its token, confirmed by the SDK's registered type (also where directory case differs)", function () {
        const budget = resourceTypingsFile(parseTypeToken("aws:budgets/budget:Budget")!);
        expect(budget).to.match(/@pulumi\/aws\/budgets\/budget\.d\.ts$/);
        expect(resourceTypingsFile(parseTypeToken("vault:appRole/authBackendRole:AuthBackendRole")!)).to.match(/@pulumi\/vault\/approle\/authBackendRole\.d\.ts$/);
        expect(resourceTypingsFile(parseTypeToken("vault:index/mount:Mount")!)).to.match(/@pulumi\/vault\/mount\.d\.ts$/);
        expect(resourceTypingsFile(parseTypeToken("aws:budgets/budget:NotAResource")!)).to.equal(undefined);
        expect(parseTypeToken("pulumi:providers:aws")).to.equal(undefined);
    });

    it("reads the Args interface: each input's JSDoc and the input type it nests", function () {
        const doc = readResourceDoc(resourceTypingsFile(parseTypeToken("aws:budgets/budget:Budget")!)!, "Budget")!;
        const filterExpression = doc.properties.find((p) => p.name === "filterExpression");
        expect(filterExpression?.doc).to.contain("Conflicts with `costFilter` and requires `metrics`.");
        expect(filterExpression?.nested).to.equal("budgets.BudgetFilterExpression");
        expect(doc.properties.map((p) => p.name)).to.include.members(["metrics", "costFilters", "notifications"]);
    });

    it("reads input interfaces inside namespaces, with @deprecated notes", function () {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "typings-"));
        try {
            const file = path.join(dir, "input.d.ts");
            fs.writeFileSync(
                file,
                [
                    'import * as inputs from "../types/input";',
                    "export declare namespace svc {",
                    "    interface Outer {",
                    "        /** Valid values are `a` and `b`. */",
                    "        mode?: pulumi.Input<string>;",
                    "        /**",
                    "         * Old.",
                    "         * @deprecated use mode",
                    "         */",
                    "        legacy?: pulumi.Input<string>;",
                    "        inner?: pulumi.Input<pulumi.Input<inputs.svc.Inner>[]>;",
                    "    }",
                    "    interface Inner { x?: pulumi.Input<number>; }",
                    "}",
                ].join("\n"),
            );
            const shapes = readInputDocs(file);
            expect([...shapes.keys()]).to.deep.equal(["svc.Outer", "svc.Inner"]);
            expect(shapes.get("svc.Outer")?.properties).to.deep.equal([
                { name: "mode", doc: "Valid values are `a` and `b`." },
                { name: "legacy", doc: "Old.", deprecated: "use mode" },
                { name: "inner", doc: "", nested: "svc.Inner" },
            ]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("constraint table cache", function () {
    it("writes what it read, and a later table answers from the file", function () {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "constraints-cache-"));
        try {
            // @pulumi/vault: its input types are small, so reading them cold stays cheap.
            const token = "vault:index/authBackend:AuthBackend";
            const first = new ConstraintTable(dir);
            expect(first.resource(token)?.shape.properties.tune.nested).to.equal("AuthBackendTune");
            expect(first.input("vault", "AuthBackendTune")?.properties.listingVisibility.constraints).to.deep.equal([
                { kind: "oneOf", values: ["unauth", "hidden"], sentence: 'Valid values are "unauth" or "hidden".' },
            ]);
            first.save();
            const [file] = fs.readdirSync(dir);
            expect(file).to.match(/^vault@\d+\.\d+\.\d+-[0-9a-f]{16}\.json$/);
            // Mark the stored table: a second table must answer from it instead of the typings.
            const stored = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
            stored.resources[token].shape.properties.path.constraints = [{ kind: "deprecated", sentence: "from the cache" }];
            fs.writeFileSync(path.join(dir, file), JSON.stringify(stored));
            const second = new ConstraintTable(dir);
            expect(second.resource(token)?.shape.properties.path.constraints).to.deep.equal([{ kind: "deprecated", sentence: "from the cache" }]);
            expect(second.input("vault", "AuthBackendTune")?.properties.listingVisibility.constraints).to.have.lengthOf(1);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
