import { expect } from "chai";
import { execFileSync } from "child_process";
import { renderTemplate, shellQuote } from "../components/user-data";
import { shippedStack, SHIPPED_STACKS, onlyResource } from "./support/stacks";

describe("node boot script", () => {
    it("shell-quotes every value so that config cannot inject commands", () => {
        expect(shellQuote("it's; rm -rf /")).to.equal(`'it'"'"'s; rm -rf /'`);
        const out = execFileSync("bash", ["-c", `X=${shellQuote("a'b $(id) `x`")}; printf %s "$X"`]).toString();
        expect(out).to.equal("a'b $(id) `x`");
    });

    it("refuses a missing or an unused value", () => {
        const values = {
            environment: "dev", vaultAddress: "v", vaultAwsAuthPath: "aws", vaultRole: "r", openaiSecretPath: "o", qdrantSecretPath: "",
            vectorStoreEngine: "qdrant", vectorStoreEndpoint: "e", databaseSecretArn: "", containerImage: "i:1", apiPort: "8788",
            kvSecretPath: "k", kvUrl: "rediss://kv:6379", kvClusterMode: "false",
        };
        expect(() => renderTemplate("memory-spine-node.sh", { ...values, apiPort: undefined as unknown as string })).to.throw("uses @@apiPort@@ but no value was given");
        expect(() => renderTemplate("memory-spine-node.sh", { ...values, extra: "x" })).to.throw("no placeholder for: extra");
    });

    it("the Qdrant node's boot script (staging) has every value (tests/artifacts.test.ts runs the real tools on it)", async function () {
        const run = await shippedStack("staging");
        const script = onlyResource(run, "aws:ec2/instance:Instance", "-qdrant-node-0").props.userData as string;
        expect(script).to.contain("ENVIRONMENT='staging'");
        expect(script).to.match(/DATA_VOLUME_ID='vol-[0-9a-f]+'/);
        expect(script).to.not.match(/@@/);
    });

    for (const stack of SHIPPED_STACKS) {
        it(`${stack}: renders with the stack's settings (tests/artifacts.test.ts runs the real tools on it)`, async function () {
            const run = await shippedStack(stack);
            const lt = onlyResource(run, "aws:ec2/launchTemplate:LaunchTemplate");
            const script = Buffer.from(lt.props.userData, "base64").toString("utf8");
            expect(script).to.contain(`ENVIRONMENT='${stack}'`);
            expect(script).to.match(/VAULT_ADDR='https:\/\/vault\.[a-z]+\.chaozcode\.internal'/);
            expect(script).to.match(/CONTAINER_IMAGE='ghcr\.io\/chaozcode\/memory-spine:1\.0\.0'/);
            expect(script).to.contain("-p ${API_PORT}:${API_PORT}");
            expect(script).to.not.match(/@@/);
        });
    }
});
