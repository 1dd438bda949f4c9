// policy-pack/policies/lib/unknowns.ts: how a validation records the values it needed and found unknown.
import { expect } from "chai";
import { asString, getPath, rawProps } from "../../policy-pack/policies/lib/props";
import { decideWithUnknowns, forgetUnknownReads, markUndecided, UndecidedAtPreview, watchUnknowns, willBeSet } from "../../policy-pack/policies/lib/unknowns";
import { UNKNOWN } from "./fixtures";

function undecidedPaths(validate: () => void): string[] {
    try {
        decideWithUnknowns(validate);
        return [];
    } catch (error) {
        expect(error).to.be.instanceOf(UndecidedAtPreview);
        return (error as UndecidedAtPreview).paths;
    }
}

describe("policy helpers: deciding with values unknown at preview", () => {
    const props = { instanceType: "t3.large", metadataOptions: { httpTokens: UNKNOWN }, tags: { Team: UNKNOWN }, bucket: UNKNOWN };

    it("records the unknown values a validation reads, with their path, and nothing else", () => {
        expect(undecidedPaths(() => {
            const p = watchUnknowns(props);
            expect(asString(p.instanceType)).to.equal("t3.large");
            expect(asString(getPath(p, "metadataOptions.httpTokens"))).to.equal(undefined);
        })).to.deep.equal(["metadataOptions.httpTokens"]);
        expect(undecidedPaths(() => void asString(watchUnknowns(props).instanceType))).to.deep.equal([]);
        expect(undecidedPaths(() => void watchUnknowns(props, "api-lt").bucket)).to.deep.equal(["api-lt.bucket"]);
    });

    it("reads through rawProps and willBeSet do not count; markUndecided and forgetUnknownReads adjust the record", () => {
        expect(undecidedPaths(() => {
            const p = watchUnknowns(props);
            expect(Object.keys(rawProps(p).tags as object)).to.deep.equal(["Team"]);
            expect(willBeSet(p, "bucket")).to.equal(true);
            expect(willBeSet(p, "missing")).to.equal(false);
        })).to.deep.equal([]);
        expect(undecidedPaths(() => markUndecided(watchUnknowns(props, "lt"), "tags.Team"))).to.deep.equal(["lt.tags.Team"]);
        expect(undecidedPaths(() => {
            const p = watchUnknowns(props, "lt");
            void p.metadataOptions.httpTokens;
            void p.bucket;
            forgetUnknownReads("lt.metadataOptions");
        })).to.deep.equal(["lt.bucket"]);
    });

    it("leaves props without unknowns, and reads outside a validation, untouched", () => {
        const known = { a: { b: 1 } };
        expect(undecidedPaths(() => expect(watchUnknowns(known)).to.equal(known))).to.deep.equal([]);
        expect(watchUnknowns(props)).to.equal(props);
    });

    it("names every value in the message the policy runtime shows", () => {
        expect(new UndecidedAtPreview(["a.b", "c"]).message).to.equal("values .a.b, .c can't be known during preview");
        expect(new UndecidedAtPreview(["a"]).message).to.equal("value .a can't be known during preview");
    });
});
