// The Terraform key-value layer: its HCL read with HashiCorp's parser, then planned for real by
// `terraform test` (the real AWS provider, fake credentials, no AWS call) where Terraform exists.
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { KV_POSTURE } from "../../components/kv-store";
import { requireTool } from "../support/tools";
import { HclBody, TERRAFORM_ROOT, TerraformTree, blocks, firstBlock, loadTerraform } from "./helpers/terraform";

const MODULE_DIR = path.join(TERRAFORM_ROOT, "modules", "kv-store");

/** The parent of the registry.terraform.io directory of a local provider mirror, if this machine has one. */
function providerMirror(): string | undefined {
    for (const dir of ["/opt/tf-plugins", path.join(os.homedir(), ".terraform.d", "plugins")]) {
        if (fs.existsSync(path.join(dir, "registry.terraform.io", "hashicorp", "aws"))) {
            return dir;
        }
    }
    return undefined;
}

/** Plan-mode runs: every environment's posture, cluster mode, and each validation that must refuse. */
function testFile(): string {
    const posture = (env: "dev" | "staging" | "prod") => KV_POSTURE[env];
    const run = (name: string, variables: Record<string, string | number>, asserts: [string, string][]) => `
run "${name}" {
  command = plan
  variables {
${Object.entries(variables).map(([k, v]) => `    ${k} = ${JSON.stringify(v)}`).join("\n")}
  }
${asserts.map(([condition, message]) => `  assert {
    condition     = ${condition}
    error_message = ${JSON.stringify(message)}
  }`).join("\n")}
}
`;
    const refuse = (name: string, variables: Record<string, string | number>, variable: string) => `
run "${name}" {
  command = plan
  variables {
${Object.entries(variables).map(([k, v]) => `    ${k} = ${JSON.stringify(v)}`).join("\n")}
  }
  expect_failures = [var.${variable}]
}
`;
    const rg = "aws_elasticache_replication_group.kv";
    return `
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "AKIAIOSFODNN7EXAMPLE"
  secret_key                  = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

variables {
  vpc_id                 = "vpc-0123456789abcdef0"
  private_subnet_ids     = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"]
  node_security_group_id = "sg-0123456789abcdef0"
  auth_token             = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ01"
}
${run("dev", { environment: "dev", kv_node_type: "cache.t4g.micro", kv_replicas: 0 }, [
        [`${rg}.engine == "valkey" && ${rg}.engine_version == "8.2" && ${rg}.node_type == "cache.t4g.micro" && ${rg}.num_cache_clusters == 1`, "dev size"],
        [`${rg}.multi_az_enabled == ${posture("dev").multiAz} && ${rg}.automatic_failover_enabled == false && ${rg}.snapshot_retention_limit == ${posture("dev").snapshotRetentionDays}`, "dev posture"],
        [`tostring(${rg}.at_rest_encryption_enabled) == "true" && ${rg}.transit_encryption_enabled == true && ${rg}.transit_encryption_mode == "required" && ${rg}.cluster_mode == "disabled"`, "encryption"],
        [`${rg}.final_snapshot_identifier == null && length(aws_kms_key.kv) == 0`, "no final snapshot or key outside prod"],
        [`aws_vpc_security_group_ingress_rule.kv_from_nodes.referenced_security_group_id == "sg-0123456789abcdef0" && aws_vpc_security_group_ingress_rule.kv_from_nodes.from_port == 6379 && aws_vpc_security_group_ingress_rule.kv_from_nodes.cidr_ipv4 == null`, "6379 from the node group only"],
        [`aws_elasticache_parameter_group.kv.family == "valkey8" && aws_elasticache_parameter_group.kv.name == "memspine-dev-kv-valkey8"`, "parameter group"],
        [`output.member_cluster_ids == ["memspine-dev-kv-001"] && output.cluster_mode == false`, "member ids"],
    ])}
${run("staging", { environment: "staging" }, [
        [`${rg}.node_type == "cache.t4g.small" && ${rg}.num_cache_clusters == 2 && ${rg}.multi_az_enabled == true && ${rg}.automatic_failover_enabled == true`, "staging"],
        [`${rg}.snapshot_retention_limit == ${posture("staging").snapshotRetentionDays} && ${rg}.snapshot_window == "03:00-04:00"`, "staging snapshots"],
    ])}
${run("prod", { environment: "prod", kv_node_type: "cache.r7g.large", kv_replicas: 2 }, [
        [`${rg}.num_cache_clusters == 3 && ${rg}.multi_az_enabled == true && ${rg}.automatic_failover_enabled == true`, "prod replicas and failover"],
        [`${rg}.snapshot_retention_limit == ${posture("prod").snapshotRetentionDays} && ${rg}.final_snapshot_identifier == "memspine-prod-kv-final" && ${rg}.apply_immediately == false`, "prod snapshots"],
        [`length(aws_kms_key.kv) == 1 && aws_kms_key.kv[0].enable_key_rotation == true`, "prod key"],
        [`output.member_cluster_ids == ["memspine-prod-kv-001", "memspine-prod-kv-002", "memspine-prod-kv-003"]`, "member ids"],
    ])}
${run("cluster_mode", { environment: "staging", kv_shards: 3 }, [
        [`${rg}.cluster_mode == "enabled" && ${rg}.num_node_groups == 3 && ${rg}.replicas_per_node_group == 1 && ${rg}.automatic_failover_enabled == true`, "cluster mode"],
        [`aws_elasticache_parameter_group.kv.name == "memspine-staging-kv-valkey8-cluster" && length([for p in aws_elasticache_parameter_group.kv.parameter : p if p.name == "cluster-enabled" && p.value == "yes"]) == 1`, "cluster parameter group"],
        [`length(output.member_cluster_ids) == 6 && output.member_cluster_ids[5] == "memspine-staging-kv-0003-002" && output.cluster_mode == true`, "member ids"],
    ])}
${refuse("prod_without_replicas", { environment: "prod", kv_replicas: 0 }, "kv_replicas")}
${refuse("negative_replicas", { environment: "dev", kv_replicas: -1 }, "kv_replicas")}
${refuse("fractional_shards", { environment: "dev", kv_shards: 2.5 }, "kv_shards")}
${refuse("unknown_family", { environment: "dev", kv_node_type: "cache.x9.large" }, "kv_node_type")}
${refuse("valkey_7", { environment: "dev", kv_engine_version: "7.2" }, "kv_engine_version")}
${refuse("short_token", { environment: "dev", auth_token: "too-short" }, "auth_token")}
`;
}

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

    it("plans every environment, cluster mode and each refused value with the real AWS provider (terraform test)", function () {
        this.timeout(180000);
        requireTool(this, "terraform", "https://developer.hashicorp.com/terraform/install");
        const work = fs.mkdtempSync(path.join(os.tmpdir(), "kv-store-tftest-"));
        try {
            for (const file of fs.readdirSync(MODULE_DIR).filter((f) => f.endsWith(".tf"))) {
                fs.copyFileSync(path.join(MODULE_DIR, file), path.join(work, file));
            }
            fs.writeFileSync(path.join(work, "kv-store.tftest.hcl"), testFile());
            const mirror = providerMirror();
            const env = { ...process.env, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" };
            if (mirror) {
                // This machine's mirror holds the 5.x provider; the module uses nothing newer.
                const versions = path.join(work, "versions.tf");
                fs.writeFileSync(versions, fs.readFileSync(versions, "utf8").replace('version = "~> 6.0"', 'version = ">= 5.0"'));
                execFileSync("terraform", ["init", "-backend=false", "-input=false", `-plugin-dir=${mirror}`], { cwd: work, env, stdio: "pipe" });
            } else {
                execFileSync("terraform", ["init", "-backend=false", "-input=false"], { cwd: work, env, stdio: "pipe" });
            }
            // Plans never reach AWS: fake credentials, skip flags, and a closed proxy as a backstop.
            const offline = { ...env, HTTPS_PROXY: "http://127.0.0.1:9", HTTP_PROXY: "http://127.0.0.1:9", NO_PROXY: "" };
            let output: string;
            try {
                output = execFileSync("terraform", ["test", "-no-color"], { cwd: work, env: offline, encoding: "utf8", stdio: "pipe" });
            } catch (err) {
                const failed = err as { stdout?: string; stderr?: string };
                throw new Error(`terraform test failed:\n${failed.stdout ?? ""}\n${failed.stderr ?? ""}`);
            }
            expect(output).to.match(/Success! 10 passed, 0 failed\./);
        } finally {
            fs.rmSync(work, { recursive: true, force: true });
        }
    });
});
