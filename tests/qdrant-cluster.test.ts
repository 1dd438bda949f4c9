import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { ProgramRun } from "../tools/lib/mock-runtime";
import { PlainResource, onlyResource, outputOf, resourcesOfType, runWith, shippedStack } from "./support/stacks";
import { QDRANT_COLLECTION_DEFAULTS, QDRANT_P2P_PORT, qdrantPeerUri } from "../components/qdrant-topology";
import { QDRANT_HEALTH_CHECK } from "../components/qdrant-load-balancer";
import { shellcheck } from "../tools/check/shell";
import { debianPackage, requireTool } from "./support/tools";

const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

/** Resources named `...-<index>` in node order (registration order is not deterministic). */
function byNodeIndex(resources: PlainResource[]): PlainResource[] {
    const index = (r: PlainResource) => Number(r.name.split("-").pop());
    return [...resources].sort((a, b) => index(a) - index(b));
}

function qdrantInstances(run: ProgramRun): PlainResource[] {
    return byNodeIndex(resourcesOfType(run, "aws:ec2/instance:Instance").filter((i) => i.name.includes("-qdrant-node-")));
}

function group(run: ProgramRun, suffix: string): string {
    return outputOf(onlyResource(run, "aws:ec2/securityGroup:SecurityGroup", suffix), "id") as string;
}

describe("Qdrant cluster (prod: qdrantNodeCount 3)", () => {
    it("one node per private subnet and zone, round-robin, each with its own volume in its zone", async () => {
        const run = await shippedStack("prod");
        const privateSubnets = resourcesOfType(run, "aws:ec2/subnet:Subnet").filter((s) => s.props.tags.Tier === "private");
        const zoneOf = new Map(privateSubnets.map((s) => [outputOf(s, "id"), s.props.availabilityZone as string]));
        const instances = qdrantInstances(run);
        expect(instances).to.have.lengthOf(3);
        const subnets = instances.map((i) => i.props.subnetId as string);
        expect(subnets).to.deep.equal(byNodeIndex(privateSubnets).map((s) => outputOf(s, "id")));
        const zones = subnets.map((s) => zoneOf.get(s));
        expect(new Set(zones).size, "three zones").to.equal(3);
        const volumes = byNodeIndex(resourcesOfType(run, "aws:ebs/volume:Volume"));
        expect(volumes.map((v) => v.props.availabilityZone)).to.deep.equal(zones);
        const attachments = resourcesOfType(run, "aws:ec2/volumeAttachment:VolumeAttachment");
        instances.forEach((instance, index) => {
            const attachment = attachments.find((a) => a.props.instanceId === outputOf(instance, "id"));
            expect(attachment?.props.volumeId, `node ${index}`).to.equal(outputOf(volumes[index], "id"));
        });
    });

    it("round-robin wraps when there are more nodes than zones (5 nodes over 3 zones)", async () => {
        const run = await runWith({ stack: "prod", overrides: { qdrantNodeCount: 5 } });
        expect(run.error).to.equal(undefined);
        const privateSubnets = byNodeIndex(resourcesOfType(run, "aws:ec2/subnet:Subnet").filter((s) => s.props.tags.Tier === "private")).map((s) => outputOf(s, "id"));
        expect(qdrantInstances(run).map((i) => i.props.subnetId)).to.deep.equal([0, 1, 2, 0, 1].map((i) => privateSubnets[i]));
        expect(resourcesOfType(run, "aws:ebs/volume:Volume")).to.have.lengthOf(5);
    });

    it("peer port 6335 only between the Qdrant nodes' own group", async () => {
        const run = await shippedStack("prod");
        const qdrant = group(run, "-qdrant");
        const peerIn = resourcesOfType(run, INGRESS).filter((r) => r.props.fromPort === QDRANT_P2P_PORT || r.props.toPort === QDRANT_P2P_PORT);
        expect(peerIn.map((r) => [r.props.securityGroupId, r.props.referencedSecurityGroupId, r.props.cidrIpv4])).to.deep.equal([[qdrant, qdrant, undefined]]);
        const peerOut = resourcesOfType(run, EGRESS).filter((r) => r.props.fromPort === QDRANT_P2P_PORT);
        expect(peerOut.map((r) => [r.props.securityGroupId, r.props.referencedSecurityGroupId])).to.deep.equal([[qdrant, qdrant]]);
    });

    it("stable peer names: a private zone of the VPC with an A record per node", async () => {
        const run = await shippedStack("prod");
        const zone = onlyResource(run, "aws:route53/zone:Zone");
        const vpc = onlyResource(run, "aws:ec2/vpc:Vpc");
        expect(zone.props.name).to.equal("qdrant.memspine-prod.internal");
        expect(zone.props.vpcs).to.deep.equal([{ vpcId: outputOf(vpc, "id") }]);
        const records = resourcesOfType(run, "aws:route53/record:Record").filter((r) => r.props.zoneId === outputOf(zone, "zoneId"));
        const instances = qdrantInstances(run);
        expect(records.map((r) => r.props.name).sort()).to.deep.equal([0, 1, 2].map((i) => `node-${i}.qdrant.memspine-prod.internal`));
        for (const [index, instance] of instances.entries()) {
            const record = records.find((r) => r.props.name === `node-${index}.qdrant.memspine-prod.internal`);
            expect(record?.props).to.deep.include({ type: "A", ttl: 60, records: [outputOf(instance, "privateIp")] });
        }
    });

    it("boot scripts: cluster mode, every node's stable URI, collection defaults in Qdrant's own config", async () => {
        const run = await shippedStack("prod");
        const peers = [0, 1, 2].map((i) => qdrantPeerUri("prod", i)).join(" ");
        expect(peers).to.equal("http://node-0.qdrant.memspine-prod.internal:6335 http://node-1.qdrant.memspine-prod.internal:6335 http://node-2.qdrant.memspine-prod.internal:6335");
        for (const [index, instance] of qdrantInstances(run).entries()) {
            const script = instance.props.userData as string;
            expect(script).to.contain(`NODE_INDEX='${index}'`);
            expect(script).to.contain(`PEER_URIS='${peers}'`);
            expect(script).to.contain(`REPLICATION_FACTOR='${QDRANT_COLLECTION_DEFAULTS.replicationFactor}'`);
            expect(script).to.contain(`WRITE_CONSISTENCY_FACTOR='${QDRANT_COLLECTION_DEFAULTS.writeConsistencyFactor}'`);
            expect(script).to.contain("QDRANT__CLUSTER__ENABLED=true");
            expect(script).to.contain("QDRANT__STORAGE__COLLECTION__REPLICATION_FACTOR=%s");
            expect(script).to.contain("QDRANT__STORAGE__COLLECTION__WRITE_CONSISTENCY_FACTOR=%s");
            expect(script).to.contain('args=(./qdrant --uri "${self}")');
            expect(script).to.contain('args+=(--bootstrap "${bootstrap}")');
        }
        expect(QDRANT_COLLECTION_DEFAULTS.writeConsistencyFactor, "writes survive one lost replica").to.be.below(QDRANT_COLLECTION_DEFAULTS.replicationFactor);
    });

    it("one internal Network Load Balancer over HTTP and gRPC of every node is the API's endpoint", async () => {
        const run = await shippedStack("prod");
        const nlb = onlyResource(run, "aws:lb/loadBalancer:LoadBalancer", "-qdrant-lb");
        const privateSubnets = resourcesOfType(run, "aws:ec2/subnet:Subnet").filter((s) => s.props.tags.Tier === "private").map((s) => outputOf(s, "id"));
        expect(nlb.props).to.include({ internal: true, loadBalancerType: "network", enableCrossZoneLoadBalancing: true, enableDeletionProtection: true });
        expect(nlb.props.subnets).to.have.members(privateSubnets);
        expect(nlb.props.securityGroups).to.deep.equal([group(run, "-qdrant-lb")]);
        const instances = qdrantInstances(run).map((i) => outputOf(i, "id"));
        for (const [port, label] of [[6333, "http"], [6334, "grpc"]] as const) {
            const tg = onlyResource(run, "aws:lb/targetGroup:TargetGroup", `-qdrant-${label}`);
            expect(tg.props).to.include({ port, protocol: "TCP", targetType: "instance" });
            expect(tg.props.healthCheck).to.include({ protocol: "HTTP", path: QDRANT_HEALTH_CHECK.path, port: "6333", matcher: "200" });
            const attached = resourcesOfType(run, "aws:lb/targetGroupAttachment:TargetGroupAttachment").filter((a) => a.props.targetGroupArn === outputOf(tg, "arn"));
            expect(attached.map((a) => a.props.targetId)).to.have.members(instances);
            expect(attached.every((a) => a.props.port === port)).to.equal(true);
            const listener = onlyResource(run, "aws:lb/listener:Listener", `-qdrant-${label}`);
            expect(listener.props).to.deep.include({ loadBalancerArn: outputOf(nlb, "arn"), port, protocol: "TCP", defaultActions: [{ type: "forward", targetGroupArn: outputOf(tg, "arn") }] });
        }
        expect(run.outputs.vectorStoreEndpoint).to.deep.equal({ value: `http://${outputOf(nlb, "dnsName")}:6333`, secret: true });
        const lt = onlyResource(run, "aws:ec2/launchTemplate:LaunchTemplate");
        expect(Buffer.from(lt.props.userData as string, "base64").toString("utf8")).to.contain(`VECTOR_STORE_ENDPOINT='http://${outputOf(nlb, "dnsName")}:6333'`);
    });

    it("the balancer admits the API nodes only, and the Qdrant nodes admit the balancer only", async () => {
        const run = await shippedStack("prod");
        const [qdrant, lb, nodes] = [group(run, "-qdrant"), group(run, "-qdrant-lb"), group(run, "-node")];
        const ingressOf = (sg: string) => resourcesOfType(run, INGRESS).filter((r) => r.props.securityGroupId === sg);
        expect(ingressOf(lb).map((r) => [r.props.fromPort, r.props.referencedSecurityGroupId, r.props.cidrIpv4])).to.have.deep.members([[6333, nodes, undefined], [6334, nodes, undefined]]);
        expect(ingressOf(qdrant).map((r) => [r.props.fromPort, r.props.referencedSecurityGroupId])).to.have.deep.members([[6333, lb], [6334, lb], [6335, qdrant]]);
        const nodeEgress = resourcesOfType(run, EGRESS).filter((r) => r.props.securityGroupId === nodes && [6333, 6334].includes(r.props.fromPort as number));
        expect(nodeEgress.map((r) => [r.props.fromPort, r.props.referencedSecurityGroupId])).to.have.deep.members([[6333, lb], [6334, lb]]);
    });

    it("every node's boot script, and the scripts it installs, pass bash -n and shellcheck", async function () {
        const run = await shippedStack("prod");
        const scripts: [string, string][] = [];
        for (const instance of qdrantInstances(run)) {
            const userData = instance.props.userData as string;
            scripts.push([instance.name, userData]);
            for (const name of ["qdrant-run", "qdrant-snapshot", "qdrant-data-volume"]) {
                const start = userData.indexOf(`cat > /usr/local/bin/${name} <<'SCRIPT'\n`);
                expect(start, name).to.be.greaterThan(0);
                scripts.push([`${instance.name}: ${name}`, userData.slice(userData.indexOf("\n", start) + 1, userData.indexOf("\nSCRIPT\n", start) + 1)]);
            }
        }
        for (const [label, script] of scripts) {
            expect(spawnSync("bash", ["-n"], { input: script }).status, label).to.equal(0);
        }
        requireTool(this, "shellcheck", debianPackage("shellcheck"));
        for (const [label, script] of scripts) {
            expect(await shellcheck(script), label).to.deep.equal([]);
        }
    });

    it("exposes the Qdrant instance ids and ARNs, in node order, for off-hours schedules", async () => {
        const run = await shippedStack("prod");
        const instances = qdrantInstances(run);
        expect(run.outputs.qdrantInstanceIds).to.deep.equal({ value: instances.map((i) => outputOf(i, "id")), secret: false });
        expect(run.outputs.qdrantInstanceArns).to.deep.equal({ value: instances.map((i) => outputOf(i, "arn")), secret: false });
        const dev = await shippedStack("dev");
        expect(dev.outputs.qdrantInstanceIds).to.deep.equal({ value: [], secret: false });
    });
});

/**
 * The start logic of qdrant-run (from the rendered boot script), run for real with a fake docker:
 * who founds the cluster and who joins whom.
 */
describe("Qdrant cluster: qdrant-run founds or joins", function () {
    let dir: string;
    let peer: net.Server;
    let peerPort: number;
    let script: string;

    before(async () => {
        const run = await shippedStack("prod");
        const userData = qdrantInstances(run)[1].props.userData as string;
        const start = userData.indexOf("cat > /usr/local/bin/qdrant-run <<'SCRIPT'\n");
        script = userData.slice(userData.indexOf("\n", start) + 1, userData.indexOf("\nSCRIPT\n", start) + 1);
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "qdrant-run-"));
        peer = net.createServer((socket) => socket.end());
        await new Promise<void>((resolve) => peer.listen(0, "127.0.0.1", resolve));
        peerPort = (peer.address() as net.AddressInfo).port;
    });
    after(() => {
        peer.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    /** Runs qdrant-run as node `index` of three (`livePeer` = the node that answers); returns exit code and docker's arguments. */
    function start(index: number, options: { livePeer?: number; hasState: boolean }): { status: number | null; docker: string } {
        const data = fs.mkdtempSync(path.join(dir, "data-"));
        if (options.hasState) {
            fs.writeFileSync(path.join(data, "raft_state.json"), "{}");
        }
        // The live peer answers on the test server; the others sit on closed ports.
        const peers = [0, 1, 2].map((i) => `http://127.0.0.1:${i === options.livePeer ? peerPort : i + 1}`);
        const env = path.join(dir, `run-${index}.env`);
        fs.writeFileSync(env, `QDRANT_VERSION=v1.15.0\nHTTP_PORT=6333\nGRPC_PORT=6334\nP2P_PORT=6335\nDATA_DIR=${data}\nNODE_INDEX=${index}\nPEER_URIS="${peers.join(" ")}"\n`);
        const log = path.join(dir, `docker-${index}.log`);
        fs.writeFileSync(path.join(dir, "docker"), `#!/bin/sh\necho "$*" > "${log}"\n`, { mode: 0o755 });
        const body = script.replace(". /etc/qdrant/run.env", `. ${env}`).replace("/usr/bin/docker", path.join(dir, "docker"));
        const result = spawnSync("bash", ["-c", body], { encoding: "utf8" });
        return { status: result.status, docker: fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim() : "" };
    }

    it("node 0 without state and no live peer founds the cluster (no --bootstrap)", () => {
        const run = start(0, { hasState: false });
        expect(run.status).to.equal(0);
        expect(run.docker).to.match(/qdrant\/qdrant:v1\.15\.0 \.\/qdrant --uri http:\/\/127\.0\.0\.1:1$/);
    });

    it("another node without state waits (exit 75, systemd retries) until a peer answers, then joins it", () => {
        expect(start(1, { hasState: false })).to.deep.equal({ status: 75, docker: "" });
        const joined = start(2, { livePeer: 0, hasState: false });
        expect(joined.status).to.equal(0);
        expect(joined.docker).to.match(new RegExp(`--uri http://127\\.0\\.0\\.1:3 --bootstrap http://127\\.0\\.0\\.1:${peerPort}$`));
    });

    it("a node with consensus state restarts as itself; a rebuilt node 0 joins the running cluster", () => {
        const restarted = start(1, { livePeer: 0, hasState: true });
        expect(restarted.docker).to.match(/\.\/qdrant --uri http:\/\/127\.0\.0\.1:2$/);
        const rebuiltZero = start(0, { livePeer: 2, hasState: false });
        expect(rebuiltZero.status).to.equal(0);
        expect(rebuiltZero.docker).to.match(new RegExp(`--uri http://127\\.0\\.0\\.1:1 --bootstrap http://127\\.0\\.0\\.1:${peerPort}$`));
    });

    it("publishes the peer port and mounts the data directory", () => {
        const run = start(0, { hasState: false });
        expect(run.docker).to.contain("-p 6335:6335");
        expect(run.docker).to.match(/-v \S+data-\S+:\/qdrant\/storage/);
    });
});
