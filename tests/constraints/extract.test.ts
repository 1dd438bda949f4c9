import { expect } from "chai";
import { Constraint, extractConstraints, resolveName } from "../../tools/constraints/extract";

/** Extracts from one doc string for a property `self` among the given siblings. */
function extract(doc: string, siblings: string[] = [], self = "self", deprecated?: string): Omit<Constraint, "sentence">[] {
    return extractConstraints({ name: self, doc, ...(deprecated !== undefined ? { deprecated } : {}) }, [self, ...siblings]).map(({ sentence: _s, ...rest }) => {
        void _s;
        return rest;
    });
}

describe("constraint extraction", function () {
    describe("what it reads", function () {
        it("conflicts and requires in one sentence, names resolved to the Pulumi inputs (costFilter -> costFilters)", function () {
            const doc = "Object containing Filter Expression to apply to budget. Conflicts with `costFilter` and requires `metrics`.";
            const constraints = extractConstraints({ name: "filterExpression", doc }, ["filterExpression", "costFilters", "metrics"]);
            expect(constraints).to.deep.equal([
                { kind: "conflicts", others: ["costFilters"], sentence: "Conflicts with `costFilter` and requires `metrics`." },
                { kind: "requires", others: ["metrics"], sentence: "Conflicts with `costFilter` and requires `metrics`." },
            ]);
        });

        it("conflicts stated as 'cannot be used with' and 'cannot be set if ... is provided'", function () {
            expect(extract("Enables encryption. Cannot be used with `snapshotId`.", ["snapshotId"])).to.deep.equal([{ kind: "conflicts", others: ["snapshotId"] }]);
            expect(extract("Cannot be set if `password` or `passwordWo` is provided.", ["password", "passwordWo"])).to.deep.equal([{ kind: "conflicts", others: ["password", "passwordWo"] }]);
        });

        it("requires, with its phrasings, and requires-a-value", function () {
            expect(extract("Netmask. Requires specifying a `ipv4IpamPoolId`.", ["ipv4IpamPoolId"])).to.deep.equal([{ kind: "requires", others: ["ipv4IpamPoolId"] }]);
            expect(extract("If set, requires `valueWoVersion`.", ["valueWoVersion"])).to.deep.equal([{ kind: "requires", others: ["valueWoVersion"] }]);
            expect(extract("Requires the `identifier` argument to be set with the name of the new DB instance.", ["identifier"])).to.deep.equal([]);
            expect(extract("Requires the `identifier` argument to be set.", ["identifier"])).to.deep.equal([{ kind: "requires", others: ["identifier"] }]);
            expect(extract("Requires `enaSrdEnabled` to be `true`.", ["enaSrdEnabled"])).to.deep.equal([{ kind: "requiresValue", other: "enaSrdEnabled", values: ["true"] }]);
        });

        it("required-if on presence or on a value", function () {
            expect(extract("Required when `valueWo` is set.", ["valueWo"])).to.deep.equal([{ kind: "requiredIf", others: ["valueWo"] }]);
            expect(extract("Required if `type` is `redirect`. See below.", ["type"])).to.deep.equal([{ kind: "requiredIf", others: ["type"], values: ["redirect"] }]);
            expect(extract("Required when `targetType` is `instance`, `ip` or `alb`.", ["targetType"])).to.deep.equal([{ kind: "requiredIf", others: ["targetType"], values: ["instance", "ip", "alb"] }]);
            expect(extract("Required if `eniId`, `subnetId`, or `vpcId` is specified.", ["eniId", "subnetId", "vpcId"])).to.deep.equal([{ kind: "requiredIf", others: ["eniId", "subnetId", "vpcId"] }]);
            expect(extract("Required when `clientIdWo` and `clientSecretWo` are set.", ["clientIdWo", "clientSecretWo"])).to.deep.equal([{ kind: "requiredIf", others: ["clientIdWo", "clientSecretWo"], all: true }]);
        });

        it("forbidden-if on a value", function () {
            expect(extract("Must not be set when `availabilityMode` is set to `regional`.", ["availabilityMode"])).to.deep.equal([{ kind: "forbiddenIf", other: "availabilityMode", values: ["regional"] }]);
        });

        it("exactly one of", function () {
            expect(extract("Zone. Exactly one of `self` or `zoneId` must be specified.", ["zoneId"])).to.deep.equal([{ kind: "exactlyOne", names: ["self", "zoneId"] }]);
        });

        it("valid values in their usual phrasings, '(default)' marks dropped", function () {
            expect(extract("Valid values are `zonal` and `regional`. Defaults to `zonal`.")).to.deep.equal([{ kind: "oneOf", values: ["zonal", "regional"] }]);
            expect(extract("Valid values: `ACCEPT`,`REJECT`, `ALL`.")).to.deep.equal([{ kind: "oneOf", values: ["ACCEPT", "REJECT", "ALL"] }]);
            expect(extract('Valid values are "Minimum", "Maximum", and "Average".')).to.deep.equal([{ kind: "oneOf", values: ["Minimum", "Maximum", "Average"] }]);
            expect(extract("Valid values are `monitor`, `defensive` (default), `strictest`.")).to.deep.equal([{ kind: "oneOf", values: ["monitor", "defensive", "strictest"] }]);
            expect(extract("Must be one of `TCP`, `HTTP`, or `HTTPS`.")).to.deep.equal([{ kind: "oneOf", values: ["TCP", "HTTP", "HTTPS"] }]);
            expect(extract("Valid Values: 0, 1, 5, 10, 15, 30, 60.")).to.deep.equal([{ kind: "oneOf", values: ["0", "1", "5", "10", "15", "30", "60"] }]);
        });

        it("numeric ranges", function () {
            expect(extract("Days to retain backups for. Must be between `0` and `35`. Default is `0`.")).to.deep.equal([{ kind: "range", min: 0, max: 35 }]);
            expect(extract("Valid values are integer from `1` to `64`. Defaults to `1`.")).to.deep.equal([{ kind: "range", min: 1, max: 64 }]);
            expect(extract("Values must be between `100` and `200`, defaults to `100`.")).to.deep.equal([{ kind: "range", min: 100, max: 200 }]);
            expect(extract("Valid values are between `60` and `6000` inclusive.")).to.deep.equal([{ kind: "range", min: 60, max: 6000 }]);
            expect(extract("The range is 5-300.")).to.deep.equal([{ kind: "range", min: 5, max: 300 }]);
            expect(extract("Valid values are from `44` to `60` in increments of 4.")).to.deep.equal([{ kind: "range", min: 44, max: 60 }]);
        });

        it("@deprecated, quoting its text", function () {
            const constraints = extractConstraints({ name: "acl", doc: "ACL.", deprecated: "acl is deprecated. Use aws.s3.BucketAcl instead." }, ["acl"]);
            expect(constraints).to.deep.equal([{ kind: "deprecated", sentence: "@deprecated acl is deprecated. Use aws.s3.BucketAcl instead." }]);
        });
    });

    describe("what it leaves alone (precision over recall)", function () {
        it("non-exhaustive or qualified value lists", function () {
            expect(extract("Valid values include `enabled` or `disabled`.")).to.deep.equal([]);
            expect(extract("For Application Load Balancers, valid values are `HTTP` and `HTTPS`.")).to.deep.equal([]);
            expect(extract("Valid values are `7`, `731` (2 years) or a multiple of `31`.")).to.deep.equal([]);
            expect(extract("Valid values: `text`, `aws:ssm:integration` and `aws:ec2:image` for AMI format.")).to.deep.equal([]);
            expect(extract("Valid values are either `traffic-port`, to use the same port, or a port between `1` and `65536`.")).to.deep.equal([]);
        });

        it("a list another sentence widens", function () {
            const doc = "Protocol to use. Valid values are: `sqs`, `sms`, `lambda`. Protocols `email` and `http` are also valid but partially supported.";
            expect(extract(doc)).to.deep.equal([]);
        });

        it("patterns and code as values", function () {
            expect(extract("Valid values are `2XX`, `4XX`, or `5XX`.")).to.deep.equal([]);
            expect(extract('Valid values are `["x8664"]` and `["arm64"]`.')).to.deep.equal([]);
            expect(extract("Valid values are `HTTP`, `HTTPS`, or `#{protocol}`.")).to.deep.equal([]);
            expect(extract("Valid values: `256|512|1024|(0.25|0.5|1) vCPU`.")).to.deep.equal([]);
        });

        it("names that resolve to no sibling: paths, other blocks' inputs, itself", function () {
            expect(extract("A list of security group IDs. Conflicts with `network_interfaces.security_groups`", ["networkInterfaces"])).to.deep.equal([]);
            expect(extract("Name of the group. Conflicts with `namePrefix`.", ["hookName"])).to.deep.equal([]);
            expect(resolveName("self", ["self"], "self")).to.equal(undefined);
        });

        it("conditions it cannot see whole", function () {
            expect(extract("Required if `a` or `b` is not specified.", ["a", "b"])).to.deep.equal([]);
            expect(extract("Required when `connectivityType` is set to `public` and `availabilityMode` is set to `zonal`.", ["connectivityType", "availabilityMode"])).to.deep.equal([]);
            expect(extract("Conflicts with `x` when `y` is set.", ["x", "y"])).to.deep.equal([]);
            expect(extract("Cannot be set if `a` and `b` are set.", ["a", "b"])).to.deep.equal([]);
            expect(extract("Required if `a`, `b` or `c` and `d` are set.", ["a", "b", "c", "d"])).to.deep.equal([]);
            expect(extract("Only valid for ALBs, conflicts with `x`.", ["x"])).to.deep.equal([]);
        });

        it("ranges in other units, or of lengths", function () {
            expect(extract("This setting can have a value from 1 hour to 12 hours.")).to.deep.equal([]);
            expect(extract("Must be between 1 and 255 characters.")).to.deep.equal([]);
        });
    });

    it("resolves Terraform and plural spellings to the sibling's Pulumi name", function () {
        expect(resolveName("cost_filter", ["costFilters"], "x")).to.equal("costFilters");
        expect(resolveName("policy", ["policies"], "x")).to.equal("policies");
        expect(resolveName("vpcId", ["vpcId"], "x")).to.equal("vpcId");
    });
});
