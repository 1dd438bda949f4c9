import { expect } from "chai";
import { AMTOOL, checkAmpAlertManagerDefinition, openAmpEnvelope } from "../../tools/check/amtool";
import { debianPackage, requireTool } from "../support/tools";

const GOOD = `alertmanager_config: |
  route:
    receiver: sns
  receivers:
    - name: sns
      sns_configs:
        - topic_arn: arn:aws:sns:us-east-1:123456789012:alerts
          sigv4:
            region: us-east-1
`;

describe("runner: amtool check-config inside AMP's envelope", function () {
    it("opens the envelope and refuses one that is not AMP's", function () {
        expect(openAmpEnvelope(GOOD)).to.have.property("alertmanagerConfig").that.contains("receiver: sns");
        expect(openAmpEnvelope("route:\n  receiver: sns\n")).to.deep.equal({
            errors: [
                "unknown key route in the AMP envelope (allowed: alertmanager_config, template_files)",
                "alertmanager_config must be a string holding the Alertmanager configuration (a YAML block scalar)",
            ],
        });
        expect(openAmpEnvelope("alertmanager_config:\n  route: {}\n")).to.have.property("errors").with.lengthOf(1);
    });

    it("passes a valid definition", async function () {
        requireTool(this, AMTOOL.command, debianPackage(AMTOOL.debianPackage));
        expect(await checkAmpAlertManagerDefinition(GOOD)).to.deep.equal([]);
    });

    it("rejects a route to a receiver that does not exist, quoting amtool", async function () {
        requireTool(this, AMTOOL.command, debianPackage(AMTOOL.debianPackage));
        const findings = await checkAmpAlertManagerDefinition(GOOD.replace("receiver: sns", "receiver: pager"));
        expect(findings.join("\n")).to.contain('undefined receiver "pager"');
    });
});
