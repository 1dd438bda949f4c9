import { expect } from "chai";
import { ProgramRun } from "../tools/lib/mock-runtime";
import { PlainResource, ShippedStack, onlyResource, outputOf, resourcesOfType, runWith, shippedStack } from "./support/stacks";
import { BACKUP_RETENTION, FAILED_BACKUP_JOB_STATES } from "../components/backup-retention";

const BACKUP_TYPES = ["aws:backup/vault:Vault", "aws:backup/plan:Plan", "aws:backup/selection:Selection", "aws:cloudwatch/eventRule:EventRule"];

function dataKey(run: ProgramRun): PlainResource | undefined {
    return resourcesOfType(run, "aws:kms/key:Key").find((k) => k.name.endsWith("-data"));
}

describe("Backups: AWS Backup per environment", () => {
    it("dev has no AWS Backup (it rebuilds); staging and prod do", async () => {
        const dev = await shippedStack("dev");
        for (const type of BACKUP_TYPES) {
            expect(resourcesOfType(dev, type), type).to.have.lengthOf(0);
        }
        expect(BACKUP_RETENTION).to.deep.equal({ dev: undefined, staging: { dailyDays: 7 }, prod: { dailyDays: 35, monthlyDays: 365 } });
    });

    const expectedRules: Record<Exclude<ShippedStack, "dev">, { ruleName: string; deleteAfter: number; schedule: string }[]> = {
        staging: [{ ruleName: "daily", deleteAfter: 7, schedule: "cron(0 3 * * ? *)" }],
        prod: [{ ruleName: "daily", deleteAfter: 35, schedule: "cron(0 3 * * ? *)" }, { ruleName: "monthly", deleteAfter: 365, schedule: "cron(0 4 1 * ? *)" }],
    };
    for (const stack of ["staging", "prod"] as const) {
        it(`${stack}: vault on its own rotating customer-managed key, plan ${expectedRules[stack].map((r) => `${r.ruleName} ${r.deleteAfter} d`).join(" + ")}`, async () => {
            const run = await shippedStack(stack);
            const vault = onlyResource(run, "aws:backup/vault:Vault");
            const key = onlyResource(run, "aws:kms/key:Key", "-backup");
            expect(key.props.enableKeyRotation).to.equal(true);
            expect(vault.props.kmsKeyArn).to.equal(outputOf(key, "arn"));
            expect(vault.options.protect).to.equal(stack === "prod");
            const plan = onlyResource(run, "aws:backup/plan:Plan");
            const rules = (plan.props.rules as { ruleName: string; schedule: string; lifecycle: { deleteAfter: number }; targetVaultName: string }[])
                .map((r) => ({ ruleName: r.ruleName, deleteAfter: r.lifecycle.deleteAfter, schedule: r.schedule }));
            expect(rules).to.deep.equal(expectedRules[stack]);
            for (const rule of plan.props.rules as { targetVaultName: string }[]) {
                expect(rule.targetVaultName).to.equal(outputOf(vault, "name"));
            }
        });

        it(`${stack}: the selection names every Qdrant data volume, through a role with the AWS Backup service policies`, async () => {
            const run = await shippedStack(stack);
            const selection = onlyResource(run, "aws:backup/selection:Selection");
            const volumes = resourcesOfType(run, "aws:ebs/volume:Volume");
            expect(volumes).to.have.lengthOf(stack === "prod" ? 3 : 1);
            expect(selection.props.resources).to.have.members(volumes.map((v) => outputOf(v, "arn")));
            expect(selection.props.planId).to.equal(onlyResource(run, "aws:backup/plan:Plan").id);
            const role = onlyResource(run, "aws:iam/role:Role", "-backup-role");
            expect(JSON.parse(role.props.assumeRolePolicy as string).Statement[0].Principal).to.deep.equal({ Service: "backup.amazonaws.com" });
            expect(selection.props.iamRoleArn).to.equal(outputOf(role, "arn"));
            const attached = resourcesOfType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.props.role === outputOf(role, "name")).map((a) => a.props.policyArn);
            expect(attached).to.have.members([
                "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
                "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
            ]);
        });

        it(`${stack}: failed backup jobs of this vault reach the alert topic (EventBridge -> SNS)`, async () => {
            const run = await shippedStack(stack);
            const rule = onlyResource(run, "aws:cloudwatch/eventRule:EventRule");
            const vault = onlyResource(run, "aws:backup/vault:Vault");
            expect(JSON.parse(rule.props.eventPattern as string)).to.deep.equal({
                source: ["aws.backup"],
                "detail-type": ["Backup Job State Change"],
                detail: { state: [...FAILED_BACKUP_JOB_STATES], backupVaultName: [outputOf(vault, "name")] },
            });
            const target = onlyResource(run, "aws:cloudwatch/eventTarget:EventTarget");
            const topic = onlyResource(run, "aws:sns/topic:Topic");
            expect(target.props).to.include({ rule: outputOf(rule, "name"), arn: outputOf(topic, "arn") });
            const topicPolicy = JSON.parse(onlyResource(run, "aws:sns/topicPolicy:TopicPolicy").props.policy as string);
            expect(topicPolicy.Statement[0].Principal.Service, "EventBridge may publish to the topic").to.include("events.amazonaws.com");
            const keyPolicy = JSON.parse(onlyResource(run, "aws:kms/key:Key", "-alerts-key").props.policy as string);
            expect(keyPolicy.Statement[1].Principal.Service, "and use its key").to.include("events.amazonaws.com");
        });
    }

    it("prod with pgvector: the selection covers the database", async () => {
        const run = await runWith({ stack: "prod", overrides: { vectorStoreEngine: "pgvector" } });
        expect(run.error).to.equal(undefined);
        const db = onlyResource(run, "aws:rds/instance:Instance");
        expect(onlyResource(run, "aws:backup/selection:Selection").props.resources).to.deep.equal([outputOf(db, "arn")]);
        expect(db.props.kmsKeyId, "and the database uses the data key").to.equal(outputOf(dataKey(run) as PlainResource, "arn"));
    });
});

describe("Qdrant snapshots to S3", () => {
    for (const [stack, daily, monthly] of [["staging", 7, undefined], ["prod", 35, 365]] as const) {
        it(`${stack}: versioned, encrypted, private, TLS-only bucket; daily snapshots kept ${daily} d${monthly ? `, monthly ${monthly} d` : ""}`, async () => {
            const run = await shippedStack(stack);
            const bucket = onlyResource(run, "aws:s3/bucket:Bucket", "-qdrant-snapshots");
            const of = (type: string) => resourcesOfType(run, type).find((r) => r.props.bucket === bucket.id);
            expect(of("aws:s3/bucketVersioning:BucketVersioning")?.props.versioningConfiguration).to.deep.equal({ status: "Enabled" });
            expect(of("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")?.props).to.include({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
            const sse = of("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")?.props.rules[0].applyServerSideEncryptionByDefault;
            expect(sse).to.deep.equal(stack === "prod" ? { sseAlgorithm: "aws:kms", kmsMasterKeyId: outputOf(dataKey(run) as PlainResource, "arn") } : { sseAlgorithm: "AES256" });
            const rules = of("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")?.props.rules as { filter: { prefix: string }; expiration: { days: number } }[];
            expect(rules.map((r) => [r.filter.prefix, r.expiration.days])).to.deep.equal(monthly ? [["daily/", daily], ["monthly/", monthly]] : [["daily/", daily]]);
            const policy = JSON.parse(of("aws:s3/bucketPolicy:BucketPolicy")?.props.policy as string);
            expect(policy.Statement[0]).to.deep.include({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
            expect(bucket.options.protect).to.equal(stack === "prod");
        });

        it(`${stack}: the Qdrant role may only put snapshots under the prefixes (and use the data key in prod)`, async () => {
            const run = await shippedStack(stack);
            const bucket = onlyResource(run, "aws:s3/bucket:Bucket", "-qdrant-snapshots");
            const policy = JSON.parse(onlyResource(run, "aws:iam/rolePolicy:RolePolicy", "-qdrant-write-snapshots").props.policy as string);
            const arn = outputOf(bucket, "arn");
            const expected: unknown[] = [{ Sid: "PutSnapshots", Effect: "Allow", Action: "s3:PutObject", Resource: [`${arn}/daily/*`, `${arn}/monthly/*`] }];
            if (stack === "prod") {
                expected.push({ Sid: "EncryptSnapshots", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: outputOf(dataKey(run) as PlainResource, "arn") });
            }
            expect(policy.Statement).to.deep.equal(expected);
            for (const instance of resourcesOfType(run, "aws:ec2/instance:Instance")) {
                const script = instance.props.userData as string;
                expect(script).to.contain(`SNAPSHOT_BUCKET='${outputOf(bucket, "bucket")}'`);
                expect(script).to.contain(`MONTHLY_SNAPSHOTS='${stack === "prod"}'`);
                expect(script).to.contain("systemctl enable --now qdrant-snapshot.timer");
                expect(script).to.contain("OnCalendar=*-*-* 02:00:00 UTC");
                expect(script).to.contain('"s3://${BUCKET}/${prefix}/${NODE_LABEL}/${collection}/${stamp}/${name}"');
            }
        });
    }
});

describe("Prod encryption keys and protection", () => {
    it("prod: one customer-managed data key with rotation for API root volumes, Qdrant data and root volumes", async () => {
        const run = await shippedStack("prod");
        const key = dataKey(run) as PlainResource;
        expect(key.props).to.include({ enableKeyRotation: true, deletionWindowInDays: 30 });
        expect(key.options.protect).to.equal(true);
        const policy = JSON.parse(key.props.policy as string);
        const autoScaling = "arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling";
        expect(policy.Statement.filter((s: { Principal: { AWS?: string } }) => s.Principal.AWS === autoScaling).map((s: { Sid: string }) => s.Sid))
            .to.deep.equal(["AutoScalingUsesKeyForVolumes", "AutoScalingGrantsForVolumes"]);
        const arn = outputOf(key, "arn");
        const lt = onlyResource(run, "aws:ec2/launchTemplate:LaunchTemplate");
        expect(lt.props.blockDeviceMappings[0].ebs.kmsKeyId).to.equal(arn);
        for (const volume of resourcesOfType(run, "aws:ebs/volume:Volume")) {
            expect(volume.props.kmsKeyId, volume.name).to.equal(arn);
        }
        for (const instance of resourcesOfType(run, "aws:ec2/instance:Instance")) {
            expect(instance.props.rootBlockDevice.kmsKeyId, instance.name).to.equal(arn);
        }
    });

    it("staging and dev keep the AWS-managed EBS key (no data key)", async () => {
        for (const stack of ["staging", "dev"] as const) {
            const run = await shippedStack(stack);
            expect(dataKey(run), stack).to.equal(undefined);
            expect(onlyResource(run, "aws:ec2/launchTemplate:LaunchTemplate").props.blockDeviceMappings[0].ebs.kmsKeyId).to.equal(undefined);
        }
    });

    it("prod protects every data volume, the backup vault, both keys and the snapshot bucket", async () => {
        const run = await shippedStack("prod");
        const volumes = resourcesOfType(run, "aws:ebs/volume:Volume");
        expect(volumes).to.have.lengthOf(3);
        for (const r of [...volumes, onlyResource(run, "aws:backup/vault:Vault"), onlyResource(run, "aws:kms/key:Key", "-backup"), dataKey(run) as PlainResource, onlyResource(run, "aws:s3/bucket:Bucket", "-qdrant-snapshots")]) {
            expect(r.options.protect, r.name).to.equal(true);
        }
    });

    it("routine changes (API nodes, tags) feed no property of any Qdrant data volume, key or vault", async () => {
        const base = await shippedStack("prod");
        const changed = await runWith({ stack: "prod", overrides: { instanceCount: 6, instanceType: "r6i.xlarge", tags: { Environment: "prod", Team: "ml-platform", CostCenter: "ml" } } });
        const stateful = (run: ProgramRun) => run.resources
            .filter((r) => ["aws:ebs/volume:Volume", "aws:backup/vault:Vault", "aws:kms/key:Key"].includes(r.type))
            .map((r) => ({ urn: r.urn, inputs: { ...r.inputs, tags: undefined, tagsAll: undefined } }))
            .sort((a, b) => a.urn.localeCompare(b.urn));
        const names = stateful(changed).map((r) => r.urn.split("::").pop());
        expect(names).to.include.members(["memspine-prod-qdrant-data-0", "memspine-prod-qdrant-data-1", "memspine-prod-qdrant-data-2", "memspine-prod-backup", "memspine-prod-data"]);
        expect(stateful(changed)).to.deep.equal(stateful(base));
    });
});
