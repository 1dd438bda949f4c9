// prod-backup-coverage (stack, mandatory) and the cost estimate's view of the backup and Qdrant tiers,
// through the real pack process and the analyzer protocol.
import { expect } from "chai";
import { RecordedResource } from "../../tools/analyzer/client";
import { UNKNOWN, compliantStack, envConfig, find, only, resource, tags, usePack } from "./fixtures";

const SELECTION = "aws:backup/selection:Selection";

describe("policy pack: prod-backup-coverage (stack)", () => {
    const pack = usePack();
    const volume = (name: string, extraTags: Record<string, string> = {}) =>
        resource("aws:ebs/volume:Volume", name, { availabilityZone: "us-east-1b", size: 100, type: "gp3", encrypted: true, tags: tags("prod", extraTags) }, { protect: true });
    const selection = (inputs: Record<string, unknown>, options: RecordedResource["options"] = {}) =>
        resource(SELECTION, "backup", { name: "memspine-prod-backup", planId: "plan-1", iamRoleArn: "arn:aws:iam::123456789012:role/backup", ...inputs }, options);
    const withoutSelections = (stack: RecordedResource[]) => stack.filter((r) => r.type !== SELECTION);

    it("passes the compliant prod stack (its selection names the data volume)", async () => {
        await pack.get().configure(envConfig("prod"));
        expect(only(await pack.get().analyzeStack(compliantStack("prod")), "prod-backup-coverage")).to.deep.equal([]);
    });

    it("refuses a prod volume no selection covers, naming it", async () => {
        await pack.get().configure(envConfig("prod"));
        const extra = volume("qdrant-data-1");
        const found = only(await pack.get().analyzeStack([...compliantStack("prod"), extra]), "prod-backup-coverage");
        expect(found).to.have.lengthOf(1);
        expect(found[0].enforcementLevel).to.equal("mandatory");
        expect(found[0].urn).to.equal(extra.urn);
        expect(found[0].detail).to.equal(
            'aws:ebs/volume:Volume "qdrant-data-1" in prod is not backed up: add its ARN to an aws.backup.Selection of the environment\'s backup plan.',
        );
        const none = only(await pack.get().analyzeStack(withoutSelections(compliantStack("prod"))), "prod-backup-coverage");
        expect(none.map((v) => v.urn)).to.deep.equal([find(compliantStack("prod"), "qdrant-data").urn]);
    });

    it("accepts coverage by property dependency, by ARN and by selection tag", async () => {
        await pack.get().configure(envConfig("prod"));
        const data = volume("data", { Backup: "daily" });
        const byDependency = selection({ resources: [UNKNOWN] }, { propertyDependencies: { resources: [data.urn] } });
        const byArn = selection({ resources: ["arn:aws:ec2:us-east-1:123456789012:volume/vol-0abc"] });
        const dataWithArn = { ...data, inputs: { ...data.inputs, arn: "arn:aws:ec2:us-east-1:123456789012:volume/vol-0abc" } };
        const byTag = selection({ selectionTags: [{ type: "STRINGEQUALS", key: "Backup", value: "daily" }] });
        const wrongTag = selection({ selectionTags: [{ type: "STRINGEQUALS", key: "Backup", value: "weekly" }] });
        expect(only(await pack.get().analyzeStack([data, byDependency]), "prod-backup-coverage")).to.deep.equal([]);
        expect(only(await pack.get().analyzeStack([dataWithArn, byArn]), "prod-backup-coverage")).to.deep.equal([]);
        expect(only(await pack.get().analyzeStack([data, byTag]), "prod-backup-coverage")).to.deep.equal([]);
        expect(only(await pack.get().analyzeStack([data, wrongTag]), "prod-backup-coverage")).to.have.lengthOf(1);
    });

    it("a database passes with automated backups, and fails with retention 0 and no selection", async () => {
        await pack.get().configure(envConfig("prod"));
        const db = (retention: number) => resource("aws:rds/instance:Instance", "vector-db", {
            engine: "postgres", instanceClass: "db.t3.large", allocatedStorage: 100, storageType: "gp3", storageEncrypted: true,
            backupRetentionPeriod: retention, tags: tags("prod"),
        }, { protect: true });
        expect(only(await pack.get().analyzeStack([db(30)]), "prod-backup-coverage")).to.deep.equal([]);
        const found = only(await pack.get().analyzeStack([db(0)]), "prod-backup-coverage");
        expect(found.map((v) => v.detail)).to.deep.equal([
            'aws:rds/instance:Instance "vector-db" in prod is not backed up: add its ARN to an aws.backup.Selection of the environment\'s backup plan or keep automated backups (backupRetentionPeriod >= 1).',
        ]);
    });

    it("prod-stateful-protected covers the backup vault: unprotected in prod is refused", async () => {
        await pack.get().configure(envConfig("prod"));
        const vault = (protect: boolean) => resource("aws:backup/vault:Vault", "backup-vault", { name: "memspine-prod-backup", kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k", tags: tags("prod") }, { protect });
        expect(only(await pack.get().analyze(vault(true)), "prod-stateful-protected")).to.deep.equal([]);
        expect(only(await pack.get().analyze(vault(false)), "prod-stateful-protected").map((v) => v.detail)).to.deep.equal([
            'aws:backup/vault:Vault "backup-vault" in prod is not protected: set the resource option protect: true.',
        ]);
    });

    it("does not apply outside prod", async () => {
        await pack.get().configure(envConfig("staging"));
        const staging = volume("scratch");
        const stagingVolume = { ...staging, inputs: { ...staging.inputs, tags: tags("staging") } };
        expect(only(await pack.get().analyzeStack([stagingVolume]), "prod-backup-coverage")).to.deep.equal([]);
    });
});
