import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { walkFiles, REPO_ROOT, TERRAFORM_ROOT } from "./terraform/helpers/terraform";

/**
 * /run is a tmpfs: whatever a boot script creates there is gone after the first reboot, while
 * the units it writes start again. So every /run directory a node uses must belong to a unit
 * (`RuntimeDirectory=`, recreated by systemd before each start), never to the boot script.
 */
const BOOT_SCRIPTS = [
    ...walkFiles(path.join(REPO_ROOT, "components", "templates"), (f) => f.endsWith(".sh")),
    ...walkFiles(path.join(TERRAFORM_ROOT, "modules"), (f) => f.endsWith(".sh.tpl")),
];

interface WrittenUnit {
    name: string;
    text: string;
}

/** Units a boot script writes with `cat > /etc/systemd/system/<name> <<TAG ... TAG`. */
function unitsWrittenBy(script: string): WrittenUnit[] {
    const heredoc = /cat > \/etc\/systemd\/system\/([\w@.-]+) <<'?(\w+)'?\n([\s\S]*?)\n\2\n/g;
    return [...script.matchAll(heredoc)].map((m) => ({ name: m[1], text: m[3] }));
}

/** `Key=value` settings of a unit's text, in order. */
function settings(unit: WrittenUnit, key: string): string[] {
    return [...unit.text.matchAll(new RegExp(`^${key}=(.*)$`, "gm"))].map((m) => m[1].trim());
}

/** Entries of /run that the system's own services create on every boot (not ours to own). */
const SYSTEM_RUN_ENTRIES = new Set(["systemd", "user", "lock", "udev", "dbus", "shm", "utmp", "cloud-init", "docker", "docker.sock", "containerd", "snapd.socket"]);

/** The first path component under /run of every /run path the script mentions, the system's own excepted. */
function runDirectoriesUsedBy(script: string): Set<string> {
    return new Set([...script.matchAll(/(?<![\w/])\/run\/([\w.-]+)/g)].map((m) => m[1]).filter((entry) => !SYSTEM_RUN_ENTRIES.has(entry)));
}

describe("boot scripts: runtime directories survive a reboot", function () {
    it("finds the boot scripts of both forms", function () {
        const names = BOOT_SCRIPTS.map((f) => path.basename(f));
        expect(names).to.include.members(["memory-spine-node.sh", "qdrant-node.sh", "user-data.sh.tpl", "qdrant-node.sh.tpl"]);
    });

    for (const file of BOOT_SCRIPTS) {
        const relative = path.relative(REPO_ROOT, file);
        describe(relative, function () {
            const script = fs.readFileSync(file, "utf8");
            const units = unitsWrittenBy(script);

            it("creates nothing under /run itself (a reboot would empty it)", function () {
                const creations = script.split("\n").filter((line) => /^\s*(install\s+-d|mkdir)\b.*\s\/run\//.test(line));
                expect(creations, "lines that create /run directories at boot only").to.deep.equal([]);
            });

            it("has every /run directory it uses owned by a unit's RuntimeDirectory, private to its owner", function () {
                for (const dir of runDirectoriesUsedBy(script)) {
                    const owners = units.filter((u) => settings(u, "RuntimeDirectory").some((v) => v.split(/\s+/).includes(dir)));
                    expect(owners.map((u) => u.name), `/run/${dir} must be a RuntimeDirectory= of the unit that uses it`).to.have.lengthOf(1);
                    const modes = settings(owners[0], "RuntimeDirectoryMode");
                    expect(modes, `${owners[0].name}: RuntimeDirectoryMode`).to.have.lengthOf(1);
                    expect(parseInt(modes[0], 8) & 0o077, `${owners[0].name}: /run/${dir} mode ${modes[0]} lets others read it`).to.equal(0);
                }
            });
        });
    }

    it("the API node's Vault Agent owns /run/vault-agent, where its token sink is (both forms)", function () {
        const forms = BOOT_SCRIPTS.filter((f) => /memory-spine-node\.sh$|memory-spine\/templates\/user-data\.sh\.tpl$/.test(f));
        expect(forms).to.have.lengthOf(2);
        for (const file of forms) {
            const script = fs.readFileSync(file, "utf8");
            expect(script, file).to.match(/sink "file" \{\s*config = \{\s*path = "\/run\/vault-agent\/token"/);
            const agent = unitsWrittenBy(script).find((u) => u.name === "vault-agent.service");
            expect(agent, `${file}: vault-agent.service`).to.not.equal(undefined);
            expect(settings(agent!, "RuntimeDirectory"), file).to.deep.equal(["vault-agent"]);
            expect(settings(agent!, "RuntimeDirectoryMode"), file).to.deep.equal(["0700"]);
            expect(settings(agent!, "User"), `${file}: the agent runs as root, the owner systemd gives the directory`).to.deep.equal([]);
        }
    });
});
