import { expect } from "chai";
import * as fs from "fs";
import { renderTemplate } from "../../components/user-data";
import { firstDifference } from "../../tools/check/stack-check";
import { identifyRendering, PULUMI_TEMPLATE_DIR, scriptBody, snakeCase, terraformTwinPath } from "../../tools/check/template-twins";

describe("runner support: the program's templates and their Terraform twins", function () {
    it("every template in components/templates has a Terraform twin that exists", function () {
        for (const template of fs.readdirSync(PULUMI_TEMPLATE_DIR)) {
            const twin = terraformTwinPath(template);
            expect(twin, template).to.be.a("string");
            expect(fs.existsSync(twin as string), twin).to.equal(true);
        }
    });

    it("reads back the values a rendering was given, quotes included", function () {
        const values = {
            environment: "staging", qdrantVersion: "v1.15.0", apiKeyParameter: "/p/it's", dataVolumeId: "vol-1", httpPort: "6333", grpcPort: "6334",
            p2pPort: "6335", nodeIndex: "0", nodeLabel: "qdrant-0", peerUris: "", replicationFactor: "2", writeConsistencyFactor: "1",
            snapshotBucket: "b", monthlySnapshots: "false",
            diskMetricNamespace: "N", diskMetricName: "M", diskMetricIntervalSeconds: "300",
        };
        expect(identifyRendering(renderTemplate("qdrant-node.sh", values))).to.deep.equal({ template: "qdrant-node.sh", values });
        expect(identifyRendering("#!/usr/bin/env bash\necho hi\n")).to.equal(undefined);
        expect(snakeCase("diskMetricIntervalSeconds")).to.equal("disk_metric_interval_seconds");
    });

    it("compares below the header and names the first line that differs", function () {
        expect(scriptBody("#!/bin/bash\n# header\nset -euo pipefail\necho\n")).to.equal("set -euo pipefail\necho\n");
        expect(firstDifference("a\nb\nc", "a\nB\nc")).to.deep.equal(["line 2:", "  program:   b", "  terraform: B"]);
        expect(firstDifference("a", "a")).to.deep.equal([]);
    });
});
