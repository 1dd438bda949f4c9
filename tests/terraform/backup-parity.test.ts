import { expect } from "chai";
import { hclText, loadTerraform, TerraformTree } from "./helpers/terraform";
import { BACKUP_RETENTION, BACKUP_SCHEDULES, FAILED_BACKUP_JOB_STATES, snapshotRetention } from "../../components/backup-retention";
import { CUSTOMER_MANAGED_KEY_ENVIRONMENTS } from "../../components/data-key";
import { QDRANT_COLLECTION_DEFAULTS, QDRANT_NODE_COUNTS, QDRANT_P2P_PORT, qdrantPeerZone } from "../../components/qdrant-topology";
import { QDRANT_HEALTH_CHECK } from "../../components/qdrant-load-balancer";
import { ENVIRONMENTS } from "../../components/config";

/** Qdrant cluster, backups and keys: the numbers and switches are the same in both forms. */
describe("terraform parity: Qdrant cluster, backups and keys", function () {
    let tree: TerraformTree;
    before(async function () {
        this.timeout(60_000);
        tree = await loadTerraform();
    });

    const module = (name: string) => {
        const found = tree.modules.get(name);
        expect(found, `terraform/modules/${name}`).to.not.equal(undefined);
        return found as NonNullable<typeof found>;
    };

    it("AWS Backup runs in the same environments with the same retention days", function () {
        const backup = module("backup");
        const retention = backup.locals.get("retention") as string;
        for (const env of ENVIRONMENTS) {
            const expected = BACKUP_RETENTION[env];
            if (expected === undefined) {
                expect(retention, env).to.not.contain(`${env} =`);
                continue;
            }
            expect(retention, env).to.contain(`${env} = { daily = ${expected.dailyDays}, monthly = ${expected.monthlyDays ?? 0} }`);
        }
        const call = tree.root.moduleCalls.get("backup");
        const withBackup = ENVIRONMENTS.filter((env) => BACKUP_RETENTION[env] !== undefined);
        expect(call?.count).to.equal(`\${contains(${JSON.stringify(withBackup).replace(/,/g, ", ")}, var.environment) ? 1 : 0}`);
        const validation = JSON.stringify(backup.variables.get("environment"));
        expect(validation).to.contain(`contains(${JSON.stringify(withBackup).replace(/,/g, ", ").replace(/"/g, '\\"')}, var.environment)`);
    });

    it("the same schedules, windows and failed-job states; the event rule targets the alert topic", function () {
        const backup = module("backup");
        expect(backup.locals.get("schedules")).to.deep.equal({ daily: BACKUP_SCHEDULES.daily, monthly: BACKUP_SCHEDULES.monthly });
        expect(backup.locals.get("windows")).to.deep.equal({ start_minutes: BACKUP_SCHEDULES.startWindowMinutes, completion_minutes: BACKUP_SCHEDULES.completionWindowMinutes });
        expect(backup.locals.get("failed_job_states")).to.deep.equal([...FAILED_BACKUP_JOB_STATES]);
        const rule = backup.resources.get("aws_cloudwatch_event_rule.backup_failed");
        const pattern = hclText(rule?.event_pattern);
        for (const part of ['source        = ["aws.backup"]', '"detail-type" = ["Backup Job State Change"]', "state = local.failed_job_states", "backupVaultName = [aws_backup_vault.this.name]"]) {
            expect(pattern).to.contain(part);
        }
        expect(backup.resources.get("aws_cloudwatch_event_target.backup_failed_alert")?.arn).to.equal("${var.alert_topic_arn}");
        expect(tree.root.moduleCalls.get("backup")?.alert_topic_arn).to.equal("${module.monitoring.alerts_topic_arn}");
        expect(tree.root.moduleCalls.get("backup")?.resource_arns).to.equal("${module.vector_store.backup_resource_arns}");
        expect(backup.resources.get("aws_kms_key.backup")?.enable_key_rotation).to.equal(true);
        expect(backup.resources.get("aws_backup_vault.this")?.kms_key_arn).to.equal("${aws_kms_key.backup.arn}");
    });

    it("the data key exists in the same environments, rotates, and reaches volumes, database and launch template", function () {
        expect(CUSTOMER_MANAGED_KEY_ENVIRONMENTS).to.deep.equal(["prod"]);
        expect(tree.root.moduleCalls.get("data_key")?.count).to.equal('${var.environment == "prod" ? 1 : 0}');
        expect(module("data-key").resources.get("aws_kms_key.data")?.enable_key_rotation).to.equal(true);
        for (const name of ["vector_store", "memory_spine"]) {
            expect(tree.root.moduleCalls.get(name)?.data_kms_key_arn, name).to.equal('${var.environment == "prod" ? module.data_key[0].key_arn : ""}');
        }
        const store = module("vector-store");
        expect(store.resources.get("aws_ebs_volume.qdrant_data")?.kms_key_id).to.equal("${local.kms_key_id}");
        expect(store.resources.get("aws_db_instance.pgvector")?.kms_key_id).to.equal("${local.kms_key_id}");
    });

    it("the Qdrant topology: node counts, peer port and zone, collection defaults, health check, snapshot retention", function () {
        const store = module("vector-store");
        expect(JSON.stringify(tree.root.variables.get("qdrant_node_count"))).to.contain(`contains(${JSON.stringify(QDRANT_NODE_COUNTS).replace(/,/g, ", ")}, var.qdrant_node_count)`);
        expect(store.locals.get("qdrant_p2p_port")).to.equal(QDRANT_P2P_PORT);
        expect(store.locals.get("qdrant_peer_zone")).to.equal(qdrantPeerZone("prod").replace("prod", "${var.environment}"));
        expect(store.locals.get("collection_default")).to.deep.equal({
            replication_factor: QDRANT_COLLECTION_DEFAULTS.replicationFactor,
            write_consistency_factor: QDRANT_COLLECTION_DEFAULTS.writeConsistencyFactor,
        });
        expect(store.locals.get("health_check")).to.deep.equal({
            path: QDRANT_HEALTH_CHECK.path,
            port: QDRANT_HEALTH_CHECK.port,
            interval_seconds: QDRANT_HEALTH_CHECK.intervalSeconds,
            healthy_threshold: QDRANT_HEALTH_CHECK.healthyThreshold,
            unhealthy_threshold: QDRANT_HEALTH_CHECK.unhealthyThreshold,
        });
        const snapshots = hclText(store.locals.get("snapshot_retention"));
        for (const env of ENVIRONMENTS) {
            const expected = snapshotRetention(env);
            expect(snapshots, env).to.contain(`${env} = { daily = ${expected.dailyDays}, monthly = ${expected.monthlyDays ?? 0} }`);
        }
        expect(tree.root.moduleCalls.get("monitoring")?.qdrant_instance_ids).to.equal("${module.vector_store.qdrant_instance_ids}");
        // The count the stack sets, or the environment's default (tests/terraform/environment-defaults.test.ts).
        expect(tree.root.moduleCalls.get("vector_store")?.qdrant_node_count).to.equal("${local.qdrant_node_count}");
    });
});
