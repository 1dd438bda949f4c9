import { expect } from "chai";
import { MAYBE } from "../../tools/constraints/evaluate";
import { checkResources, fromWire } from "../../tools/constraints/pulumi";
import { RESOURCE_REFERENCE_SIG, SECRET_SIG, SIG_KEY, UNKNOWN_VALUE, RecordedResource } from "../../tools/lib/recorded-resource";
import { constraintTable } from "../support/checked-runs";

function recorded(type: string, inputs: Record<string, unknown>, custom = true): RecordedResource {
    return { urn: `urn:pulumi:dev::memory-spine::${type}::r`, type, name: "r", custom, inputs, options: {} };
}

describe("Pulumi resources as checked inputs", function () {
    it("unwraps secrets, turns unknowns into MAYBE and resource references into their URN", function () {
        const wire = {
            password: { [SIG_KEY]: SECRET_SIG, value: "s3cret" },
            arn: UNKNOWN_VALUE,
            target: { [SIG_KEY]: RESOURCE_REFERENCE_SIG, urn: "urn:x", id: "i-1" },
            list: [{ [SIG_KEY]: SECRET_SIG, value: 1 }],
        };
        expect(fromWire(wire)).to.deep.equal({ password: "s3cret", arn: MAYBE, target: "urn:x", list: [1] });
    });

    it("skips components and the engine's own types; reports custom types without typings as unchecked", function () {
        const check = checkResources(constraintTable, [
            recorded("memory-spine:network:Networking", {}, false),
            recorded("pulumi:providers:aws", { region: "us-east-1" }),
            recorded("aws:nosuch/thing:Thing", {}),
            recorded("aws:budgets/budget:Budget", { budgetType: "COST", timeUnit: "WEEKLY" }),
        ]);
        expect(check.unchecked).to.deep.equal(["aws:nosuch/thing:Thing"]);
        expect(check.violations.map((v) => `${v.path}: ${v.detail}`)).to.deep.equal(['timeUnit: "WEEKLY" is not one of MONTHLY, QUARTERLY, ANNUALLY, DAILY']);
    });

    it("an unknown value (first preview) never fires a rule", function () {
        const check = checkResources(constraintTable, [recorded("aws:budgets/budget:Budget", { filterExpression: UNKNOWN_VALUE, timeUnit: UNKNOWN_VALUE })]);
        expect(check.violations).to.deep.equal([]);
    });
});
