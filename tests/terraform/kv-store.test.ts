// The Terraform key-value layer: its HCL read with HashiCorp's parser. Its terraform test file
// (terraform/modules/kv-store/tests) is planned for real by offline.test.ts with every module's.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { KV_POSTURE } from "../../components/kv-store";
import { kvStoreTestFile } from "./helpers/kv-store-tftest";
import { HclBody, TERRAFORM_ROOT, TerraformTree, blocks, firstBlock, loadTerraform } from "./helpers/terraform";

const MODULE_DIR = path.join(TERRAFORM_ROOT, "modules", "kv-store");

describe("terraform: the key-value layer (modules/kv-store)", function () {
    let tree: TerraformTree;
    let module: NonNullable<ReturnType<TerraformTree["modules"]["get"]>>;

    before(async function () {
        tree = await loadTerraform();
        module = tree.modules.get("kv-store") as typeof module;
        expect(module, "terraform/modules/kv-store").to.not.equal(undefined);
    });

    const resource = (address: string): HclBody => {
        const body = firstBlock(module.resources.get(address));
        expect(body, address).to.not.equal(undefined);
        return body as HclBody;
    };

    it("needs only the aws provider; the token arrives as a sensitive input, never generated here", function () {
        expect([...module.resources.keys()].every((address) => address.startsWith("aws_"))).to.equal(true);
        expect(module.variables.get("auth_token")?.sensitive).to.equal(true);
        expect(module.outputs.get("url")?.sensitive).to.equal(true);
        const group = resource("aws_elasticache_replication_group.kv");
        expect(group.auth_token).to.equal("${var.auth_token}");
        expect(group).to.include({ engine: "valkey", at_rest_encryption_enabled: true, transit_encryption_enabled: true, transit_encryption_mode: "required", auth_token_update_strategy: "ROTATE" });
    });

    it("admits 6379 from the node group by reference only, and the nodes may reach it", function () {
        const ingress = resource("aws_vpc_security_group_ingress_rule.kv_from_nodes");
        expect(ingress.referenced_security_group_id).to.equal("${var.node_security_group_id}");
        expect(ingress.cidr_ipv4).to.equal(undefined);
        const egress = resource("aws_vpc_security_group_egress_rule.nodes_to_kv");
        expect(egress).to.include({ security_group_id: "${var.node_security_group_id}", referenced_security_group_id: "${aws_security_group.kv.id}" });
        expect(blocks(resource("aws_security_group.kv"), "ingress")).to.deep.equal([]);
    });

    it("the secrets module generates the token (>= 32 characters) and keeps it in Vault at <mount>/<env>/kv", function () {
        const secrets = tree.modules.get("secrets");
        const token = firstBlock(secrets?.resources.get("random_password.kv_auth_token"));
        expect(token?.special).to.equal(false);
        expect(secrets?.variables.get("kv_auth_token_length")?.default).to.be.at.least(32);
        const entry = firstBlock(secrets?.resources.get("vault_kv_secret_v2.kv"));
        expect(entry?.name).to.equal("${var.environment}/kv");
        expect(entry?.data_json).to.contain("random_password.kv_auth_token.result");
        expect(secrets?.outputs.get("kv_auth_token")?.sensitive).to.equal(true);
    });

    it("its terraform test file (run offline by offline.test.ts) is the one generated from the posture table", function () {
        // Comments and `terraform fmt` alignment aside, the committed file is the generator's text.
        const normalize = (text: string) => text.split("\n").filter((line) => !/^\s*#/.test(line)).join("\n").replace(/\s+/g, " ").trim();
        const committed = fs.readFileSync(path.join(MODULE_DIR, "tests", "environments.tftest.hcl"), "utf8");
        expect(normalize(committed), "regenerate terraform/modules/kv-store/tests/environments.tftest.hcl (see helpers/kv-store-tftest.ts)").to.equal(normalize(kvStoreTestFile()));
        expect(committed).to.contain(`snapshot_retention_limit == ${KV_POSTURE.prod.snapshotRetentionDays}`);
    });
});
