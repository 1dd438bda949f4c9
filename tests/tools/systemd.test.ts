import { expect } from "chai";
import { enabledUnits, installedPackages, writtenFiles } from "../../tools/check/boot-files";
import { SYSTEMD_ANALYZE, verifyBootUnits } from "../../tools/check/systemd";
import { debianPackage, requireTool } from "../support/tools";

/** A boot script in the shape of ours: values stated at the top, units written with here-documents. */
function bootScript(serviceBody: string, timerBody = "OnBootSec=120\nOnUnitActiveSec=${INTERVAL}"): string {
    return `#!/usr/bin/env bash
set -euo pipefail
NAME='demo'
INTERVAL='300'
apt-get install -y --no-install-recommends docker.io curl
region=$(curl -fsS http://169.254.169.254/latest/meta-data/placement/region)
cat > /usr/local/bin/demo-tick <<'SCRIPT'
#!/usr/bin/env bash
echo "\${region:-none}"
SCRIPT
chmod 0755 /usr/local/bin/demo-tick
cat > /etc/systemd/system/demo.service <<UNIT
[Unit]
Description=Demo \${NAME} in \${region}
After=docker.service network-online.target
Requires=docker.service

[Service]
${serviceBody}

[Install]
WantedBy=multi-user.target
UNIT
cat > /etc/systemd/system/demo-tick.service <<UNIT
[Unit]
Description=Tick
[Service]
Type=oneshot
ExecStart=/usr/local/bin/demo-tick
UNIT
cat > /etc/systemd/system/demo-tick.timer <<UNIT
[Unit]
Description=Tick every \${INTERVAL} s
[Timer]
${timerBody}
[Install]
WantedBy=timers.target
UNIT
systemctl daemon-reload
systemctl enable --now demo.service demo-tick.timer
`;
}

const GOOD_SERVICE = "Restart=always\nExecStartPre=-/usr/bin/docker rm -f demo\nExecStart=/usr/bin/docker run --rm --name demo demo:1\nRuntimeDirectory=demo";

describe("runner: systemd-analyze verify on the units a boot script writes", function () {
    it("extracts the written files with the script's values, stubbing values only the instance knows", async function () {
        const files = await writtenFiles(bootScript(GOOD_SERVICE));
        expect(files.map((f) => f.path)).to.deep.equal([
            "/usr/local/bin/demo-tick",
            "/etc/systemd/system/demo.service",
            "/etc/systemd/system/demo-tick.service",
            "/etc/systemd/system/demo-tick.timer",
        ]);
        expect(files[0].content).to.contain('echo "${region:-none}"'); // quoted here-document: literal
        expect(files[1].content).to.contain("Description=Demo demo in stub-region");
        expect(files[3].content).to.contain("OnUnitActiveSec=300");
        expect(enabledUnits(bootScript(GOOD_SERVICE))).to.deep.equal(["demo.service", "demo-tick.timer"]);
        expect(installedPackages(bootScript(GOOD_SERVICE))).to.deep.equal(["docker.io", "curl"]);
    });

    it("passes units whose programs and dependencies the instance has", async function () {
        requireTool(this, SYSTEMD_ANALYZE.command, debianPackage(SYSTEMD_ANALYZE.debianPackage));
        const result = await verifyBootUnits(bootScript(GOOD_SERVICE));
        expect(result).to.deep.equal({ units: ["demo.service", "demo-tick.service", "demo-tick.timer"], unprovided: [], findings: [] });
    });

    const broken: [string, string, string, RegExp][] = [
        ["a misspelt key", GOOD_SERVICE.replace("RuntimeDirectory", "RuntimeDirectry"), "", /Unknown key 'RuntimeDirectry'/],
        ["a program nothing installs", GOOD_SERVICE.replace("/usr/bin/docker run", "/usr/bin/dockr run"), "", /\/usr\/bin\/dockr is not executable/],
        ["a bad timer value", GOOD_SERVICE, "OnBootSec=2 minuets", /Failed to parse timer value/],
        ["a service without ExecStart", "Restart=always", "", /no ExecStart=/],
    ];
    for (const [what, service, timer, message] of broken) {
        it(`rejects ${what}`, async function () {
            requireTool(this, SYSTEMD_ANALYZE.command, debianPackage(SYSTEMD_ANALYZE.debianPackage));
            const result = await verifyBootUnits(timer ? bootScript(service, timer) : bootScript(service));
            expect(result.findings.join("\n")).to.match(message);
        });
    }

    it("rejects a dependency on a unit no installed package provides", async function () {
        requireTool(this, SYSTEMD_ANALYZE.command, debianPackage(SYSTEMD_ANALYZE.debianPackage));
        const script = bootScript(GOOD_SERVICE).replace("docker.io curl", "curl");
        const result = await verifyBootUnits(script);
        expect(result.findings.join("\n")).to.contain("Unit docker.service not found");
    });

    it("names a unit the script enables but never writes", async function () {
        requireTool(this, SYSTEMD_ANALYZE.command, debianPackage(SYSTEMD_ANALYZE.debianPackage));
        const script = bootScript(GOOD_SERVICE).replace("demo-tick.timer\n", "demo-tick.timer demo-missing.service\n");
        expect((await verifyBootUnits(script)).unprovided).to.deep.equal(["demo-missing.service"]);
    });
});
