import { expect } from "chai";
import { isSecretValue } from "../tools/lib/recorded-resource";
import { onlyResource, outputOf, resourcesOfType, runWith, shippedStack, ShippedStack } from "./support/stacks";

const ENGINES: Record<ShippedStack, "pgvector" | "qdrant"> = { dev: "pgvector", staging: "qdrant", prod: "qdrant" };

describe("VectorStore (dev stack: pgvector on RDS)", () => {
    it("RDS PostgreSQL 16+: encrypted, private, subnet and parameter groups, 1-day backups, RDS-managed password", async () => {
        const run = await shippedStack("dev");
        const db = onlyResource(run, "aws:rds/instance:Instance");
        expect(db.props).to.include({
            engine: "postgres", engineVersion: "16", instanceClass: "db.t4g.small", allocatedStorage: 20, maxAllocatedStorage: 40, storageType: "gp3", storageEncrypted: true,
            publiclyAccessible: false, backupRetentionPeriod: 1, multiAz: false, deletionProtection: false,
            skipFinalSnapshot: true, manageMasterUserPassword: true,
        });
        expect(db.props.password).to.equal(undefined);
        expect(db.options.protect).to.equal(false);
        const subnetGroup = onlyResource(run, "aws:rds/subnetGroup:SubnetGroup");
        const privateSubnetIds = resourcesOfType(run, "aws:ec2/subnet:Subnet").filter((s) => s.props.tags.Tier === "private").map((s) => outputOf(s, "id"));
        expect(subnetGroup.props.subnetIds).to.have.members(privateSubnetIds);
        expect(db.props.dbSubnetGroupName).to.equal(outputOf(subnetGroup, "name"));
        const params = onlyResource(run, "aws:rds/parameterGroup:ParameterGroup");
        expect(params.props.family).to.equal("postgres16");
        expect(params.props.parameters).to.deep.include({ name: "rds.force_ssl", value: "1" });
        expect(db.props.parameterGroupName).to.equal(outputOf(params, "name"));
        expect(resourcesOfType(run, "aws:ec2/instance:Instance")).to.have.lengthOf(0);
    });

    it("admits 5432 from the node group only, and the nodes may read the managed credentials", async () => {
        const run = await shippedStack("dev");
        const db = onlyResource(run, "aws:rds/instance:Instance");
        const dbGroup = onlyResource(run, "aws:ec2/securityGroup:SecurityGroup", "-pgvector");
        const nodeGroup = onlyResource(run, "aws:ec2/securityGroup:SecurityGroup", "-node");
        expect(db.props.vpcSecurityGroupIds).to.deep.equal([outputOf(dbGroup, "id")]);
        const ingress = resourcesOfType(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.props.securityGroupId === outputOf(dbGroup, "id"));
        expect(ingress.map((r) => r.props)).to.have.lengthOf(1);
        expect(ingress[0].props).to.include({ fromPort: 5432, toPort: 5432, referencedSecurityGroupId: outputOf(nodeGroup, "id") });
        const policy = onlyResource(run, "aws:iam/rolePolicy:RolePolicy", "node-read-db-credentials");
        const statement = JSON.parse(policy.props.policy).Statement[0];
        expect(statement).to.deep.equal({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: (outputOf(db, "masterUserSecrets") as { secretArn: string }[])[0].secretArn });
    });

    it("boot script creates the vector extension and receives the database endpoint", async () => {
        const run = await shippedStack("dev");
        const lt = onlyResource(run, "aws:ec2/launchTemplate:LaunchTemplate");
        const script = Buffer.from(lt.props.userData, "base64").toString("utf8");
        const db = onlyResource(run, "aws:rds/instance:Instance");
        expect(script).to.contain(`VECTOR_STORE_ENDPOINT='${outputOf(db, "endpoint")}'`);
        expect(script).to.contain("CREATE EXTENSION IF NOT EXISTS vector");
        expect(script).to.contain("VECTOR_STORE_ENGINE='pgvector'");
    });
});

describe("VectorStore (prod pgvector posture)", () => {
    it("Multi-AZ, 30-day backups, deletion protection, final snapshot, protected", async () => {
        const run = await runWith({ stack: "prod", overrides: { vectorStoreEngine: "pgvector" } });
        expect(run.error).to.equal(undefined);
        const db = onlyResource(run, "aws:rds/instance:Instance");
        expect(db.props).to.include({ multiAz: true, backupRetentionPeriod: 30, deletionProtection: true, skipFinalSnapshot: false, finalSnapshotIdentifier: "memspine-prod-pgvector-final" });
        expect(db.options.protect).to.equal(true);
    });

    it("staging keeps 7 days of backups, unprotected", async () => {
        // Staging stops its stores off hours: the database's windows must fall inside its running hours.
        const run = await runWith({ stack: "staging", overrides: { vectorStoreEngine: "pgvector", dbBackupWindow: "12:00-12:30", dbMaintenanceWindow: "wed:12:30-wed:13:00" } });
        const db = onlyResource(run, "aws:rds/instance:Instance");
        expect(db.props).to.include({ backupRetentionPeriod: 7, multiAz: false, backupWindow: "12:00-12:30" });
        expect(db.options.protect).to.equal(false);
    });

    it("refuses PostgreSQL older than 16", async () => {
        const run = await runWith({ stack: "dev", overrides: { postgresVersion: "15.4" } });
        expect(run.error?.message).to.contain("memory-spine:postgresVersion = \"15.4\": must be PostgreSQL 16 or newer");
        expect(run.resources).to.have.lengthOf(0);
    });
});

const QDRANT_NODES: Record<"staging" | "prod", number> = { staging: 1, prod: 3 };

/** Resources named `...-<index>` in node order (registration order is not deterministic). */
function byNodeIndex<R extends { name: string }>(resources: R[]): R[] {
    const index = (r: R) => Number(r.name.split("-").pop());
    return [...resources].sort((a, b) => index(a) - index(b));
}

for (const stack of ["staging", "prod"] as const) {
    describe(`VectorStore (${stack} stack: Qdrant)`, () => {
        it(`${QDRANT_NODES[stack]} pinned Qdrant node(s), private, IMDSv2, encrypted, each with its own encrypted gp3 data volume`, async () => {
            const run = await shippedStack(stack);
            expect(ENGINES[stack]).to.equal("qdrant");
            const instances = byNodeIndex(resourcesOfType(run, "aws:ec2/instance:Instance"));
            const volumes = byNodeIndex(resourcesOfType(run, "aws:ebs/volume:Volume"));
            const attachments = resourcesOfType(run, "aws:ec2/volumeAttachment:VolumeAttachment");
            expect(instances.map((i) => i.name)).to.deep.equal(Array.from({ length: QDRANT_NODES[stack] }, (_, i) => `memspine-${stack}-qdrant-node-${i}`));
            expect(volumes).to.have.lengthOf(QDRANT_NODES[stack]);
            const privateSubnetIds = resourcesOfType(run, "aws:ec2/subnet:Subnet").filter((s) => s.props.tags.Tier === "private").map((s) => outputOf(s, "id"));
            instances.forEach((instance, index) => {
                // Staging is sized down to Graviton (README "Off-hours and sizing"); prod keeps the default.
                expect(instance.props).to.include({ instanceType: stack === "staging" ? "r6g.large" : "r6i.large", associatePublicIpAddress: false });
                expect(instance.props.metadataOptions.httpTokens).to.equal("required");
                expect(instance.props.rootBlockDevice).to.include({ encrypted: true, volumeType: "gp3" });
                expect(privateSubnetIds).to.include(instance.props.subnetId);
                expect(instance.props.userData).to.contain("QDRANT_VERSION='v1.15.0'");
                expect(instance.props.userData).to.contain('"qdrant/qdrant:${QDRANT_VERSION}"');
                expect(instance.options.ignoreChanges).to.deep.equal(["ami"]);

                const volume = volumes[index];
                expect(volume.name).to.equal(`memspine-${stack}-qdrant-data-${index}`);
                expect(volume.props).to.include({ type: "gp3", encrypted: true, size: stack === "staging" ? 50 : 100 });
                expect(volume.options.protect).to.equal(stack === "prod");
                const attachment = attachments.find((a) => a.props.volumeId === outputOf(volume, "id"));
                expect(attachment?.props).to.include({ instanceId: outputOf(instance, "id"), deviceName: "/dev/sdf" });
                expect(instance.props.userData).to.contain(`DATA_VOLUME_ID='${outputOf(volume, "id")}'`);
            });
            expect(resourcesOfType(run, "aws:rds/instance:Instance")).to.have.lengthOf(0);
        });

        it("node 0 keeps the single node's names (aliases), so growing to a cluster replaces nothing", async () => {
            const run = await shippedStack(stack);
            const aliasNames = (type: string, name: string) => run.resources.find((r) => r.type === type && r.name === name)?.options.aliases;
            expect(aliasNames("aws:ebs/volume:Volume", `memspine-${stack}-qdrant-data-0`)).to.deep.equal([`memspine-${stack}-qdrant-data`]);
            expect(aliasNames("aws:ec2/instance:Instance", `memspine-${stack}-qdrant-node-0`)).to.deep.equal([`memspine-${stack}-qdrant-node`]);
            expect(aliasNames("aws:ec2/volumeAttachment:VolumeAttachment", `memspine-${stack}-qdrant-data-attachment-0`)).to.deep.equal([`memspine-${stack}-qdrant-data-attachment`]);
        });

        it("API key generated once, a secret in SSM, in Vault and never in plain inputs", async () => {
            const run = await shippedStack(stack);
            onlyResource(run, "random:index/randomPassword:RandomPassword", "-qdrant-api-key");
            const parameter = run.resources.find((r) => r.type === "aws:ssm/parameter:Parameter");
            expect(parameter?.inputs.type).to.equal("SecureString");
            expect(isSecretValue(parameter?.inputs.value), "SSM value is a Pulumi secret").to.equal(true);
            const entry = run.resources.find((r) => r.type === "vault:kv/secretV2:SecretV2" && r.name.endsWith("-qdrant"));
            expect(isSecretValue(entry?.inputs.dataJson), "Vault entry is a Pulumi secret").to.equal(true);
        });

        it("the nodes get the vectorStoreEndpoint secret in their user data", async () => {
            const run = await shippedStack(stack);
            expect(run.outputs.vectorStoreEndpoint.secret).to.equal(true);
            const lt = run.resources.find((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate");
            expect(isSecretValue(lt?.inputs.userData), "user data carries a secret, so it is one").to.equal(true);
        });

        it("the Qdrant unit never starts on the root disk: it requires the data volume's mount", async () => {
            const run = await shippedStack(stack);
            for (const instance of resourcesOfType(run, "aws:ec2/instance:Instance")) {
                const script = instance.props.userData as string;
                const unit = script.slice(script.indexOf("cat > /etc/systemd/system/qdrant.service"), script.indexOf("\nUNIT\n", script.indexOf("cat > /etc/systemd/system/qdrant.service")));
                expect(unit).to.contain("RequiresMountsFor=${DATA_DIR}");
                expect(unit).to.contain("ExecStartPre=/usr/bin/mountpoint -q ${DATA_DIR}");
                expect(script).to.contain("DATA_DIR=/var/lib/qdrant");
                expect(script).to.match(/LABEL=qdrant-data \$\{DATA_DIR\} ext4 defaults,nofail,x-systemd.device-timeout=5min 0 2/);
            }
        });
    });
}

describe("VectorStore (staging: one Qdrant node)", () => {
    it("admits 6333 and 6334 from the node group only, no peer port, no balancer, endpoint on the node", async () => {
        const run = await shippedStack("staging");
        const qdrantGroup = onlyResource(run, "aws:ec2/securityGroup:SecurityGroup", "-qdrant");
        const nodeGroup = onlyResource(run, "aws:ec2/securityGroup:SecurityGroup", "-node");
        const ingress = resourcesOfType(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.props.securityGroupId === outputOf(qdrantGroup, "id"));
        expect(ingress.map((r) => r.props.fromPort)).to.have.members([6333, 6334]);
        for (const rule of ingress) {
            expect(rule.props.referencedSecurityGroupId).to.equal(outputOf(nodeGroup, "id"));
            expect(rule.props.cidrIpv4).to.equal(undefined);
        }
        const egress = resourcesOfType(run, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter((r) => r.props.securityGroupId === outputOf(qdrantGroup, "id"));
        expect(egress.map((r) => r.props.fromPort), "the node installs packages and pulls its image").to.have.members([443, 80]);
        expect(resourcesOfType(run, "aws:lb/loadBalancer:LoadBalancer").map((lb) => lb.name)).to.deep.equal(["memspine-staging-alb"]);
        expect(resourcesOfType(run, "aws:route53/zone:Zone")).to.have.lengthOf(0);
        expect(run.outputs.vectorStoreEndpoint).to.deep.equal({ value: "http://10.0.1.10:6333", secret: true });
        const script = onlyResource(run, "aws:ec2/instance:Instance").props.userData as string;
        expect(script).to.contain("PEER_URIS=''");
        expect(script).to.contain("NODE_INDEX='0'");
    });
});

describe("stateful resources survive routine changes", () => {
    it("instanceCount, instanceType and tags feed no property of the data volume, database or mount", async () => {
        const base = await shippedStack("prod");
        const changed = await runWith({ stack: "prod", overrides: { instanceCount: 6, instanceType: "r6i.xlarge" } });
        const retagged = await runWith({ stack: "prod", overrides: { tags: { Environment: "prod", Team: "ml-platform", CostCenter: "ml" } } });
        const stateful = (run: typeof base) => run.resources
            .filter((r) => ["aws:ebs/volume:Volume", "vault:index/mount:Mount"].includes(r.type))
            .map((r) => ({ urn: r.urn, inputs: { ...r.inputs, tags: undefined, tagsAll: undefined } }));
        expect(stateful(changed)).to.deep.equal(stateful(base));
        expect(stateful(retagged)).to.deep.equal(stateful(base));
        const pgBase = await runWith({ stack: "prod", overrides: { vectorStoreEngine: "pgvector" } });
        const pgChanged = await runWith({ stack: "prod", overrides: { vectorStoreEngine: "pgvector", instanceCount: 6, instanceType: "m6i.large" } });
        const db = (run: typeof base) => run.resources.find((r) => r.type === "aws:rds/instance:Instance")?.inputs;
        expect(db(pgChanged)).to.deep.equal(db(pgBase));
    });
});
