/**
 * The key-value layer's terraform test file, terraform/modules/kv-store/tests/environments.tftest.hcl,
 * as generated from the Pulumi program's posture table (KV_POSTURE), so that both forms assert the
 * same replicas, Multi-AZ and snapshot retention. tests/terraform/kv-store.test.ts checks that the
 * committed file is this text (modulo `terraform fmt` alignment and comments); regenerate it with
 *   npx ts-node --transpile-only -e 'process.stdout.write(require("./tests/terraform/helpers/kv-store-tftest").kvStoreTestFile())'
 */
import { KV_POSTURE } from "../../../components/kv-store";
import { OFFLINE_AWS_PROVIDER, tagsOf } from "./tftest-text";

/** Plan-mode runs: every environment's posture, cluster mode, and each validation that must refuse. */
export function kvStoreTestFile(): string {
    const posture = (env: "dev" | "staging" | "prod") => KV_POSTURE[env];
    const run = (name: string, variables: Record<string, string | number>, asserts: [string, string][], tags?: string) => `
run "${name}" {
  command = plan
  variables {
${Object.entries(variables).map(([k, v]) => `    ${k} = ${JSON.stringify(v)}`).join("\n")}${tags === undefined ? "" : `\n    tags = ${tags}`}
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
${OFFLINE_AWS_PROVIDER}

variables {
  vpc_id                 = "vpc-0123456789abcdef0"
  private_subnet_ids     = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"]
  node_security_group_id = "sg-0123456789abcdef0"
  auth_token             = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ01"
  kv_node_type           = "cache.t4g.small"
  kv_replicas            = 1
}
${run("dev", { environment: "dev", kv_node_type: "cache.t4g.micro", kv_replicas: 0 }, [
        [`${rg}.engine == "valkey" && ${rg}.engine_version == "8.2" && ${rg}.node_type == "cache.t4g.micro" && ${rg}.num_cache_clusters == 1`, "dev size"],
        [`${rg}.multi_az_enabled == ${posture("dev").multiAz} && ${rg}.automatic_failover_enabled == false && ${rg}.snapshot_retention_limit == ${posture("dev").snapshotRetentionDays}`, "dev posture"],
        [`tostring(${rg}.at_rest_encryption_enabled) == "true" && ${rg}.transit_encryption_enabled == true && ${rg}.transit_encryption_mode == "required" && ${rg}.cluster_mode == "disabled"`, "encryption"],
        [`${rg}.final_snapshot_identifier == null && length(aws_kms_key.kv) == 0`, "no final snapshot or key outside prod"],
        [`aws_vpc_security_group_ingress_rule.kv_from_nodes.referenced_security_group_id == "sg-0123456789abcdef0" && aws_vpc_security_group_ingress_rule.kv_from_nodes.from_port == 6379 && aws_vpc_security_group_ingress_rule.kv_from_nodes.cidr_ipv4 == null`, "6379 from the node group only"],
        [`aws_elasticache_parameter_group.kv.family == "valkey8" && aws_elasticache_parameter_group.kv.name == "memspine-dev-kv-valkey8"`, "parameter group"],
        [`output.member_cluster_ids == ["memspine-dev-kv-001"] && output.cluster_mode == false`, "member ids"],
    ], tagsOf("dev"))}
${run("staging", { environment: "staging" }, [
        [`${rg}.node_type == "cache.t4g.small" && ${rg}.num_cache_clusters == 2 && ${rg}.multi_az_enabled == true && ${rg}.automatic_failover_enabled == true`, "staging"],
        [`${rg}.snapshot_retention_limit == ${posture("staging").snapshotRetentionDays} && ${rg}.snapshot_window == "03:00-04:00"`, "staging snapshots"],
    ], tagsOf("staging"))}
${run("prod", { environment: "prod", kv_node_type: "cache.r7g.large", kv_replicas: 2 }, [
        [`${rg}.num_cache_clusters == 3 && ${rg}.multi_az_enabled == true && ${rg}.automatic_failover_enabled == true`, "prod replicas and failover"],
        [`${rg}.snapshot_retention_limit == ${posture("prod").snapshotRetentionDays} && ${rg}.final_snapshot_identifier == "memspine-prod-kv-final" && ${rg}.apply_immediately == false`, "prod snapshots"],
        [`length(aws_kms_key.kv) == 1 && aws_kms_key.kv[0].enable_key_rotation == true`, "prod key"],
        [`output.member_cluster_ids == ["memspine-prod-kv-001", "memspine-prod-kv-002", "memspine-prod-kv-003"]`, "member ids"],
    ], tagsOf("prod"))}
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

