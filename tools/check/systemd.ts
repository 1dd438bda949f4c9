/**
 * `systemd-analyze verify` (Debian: systemd) on the units and timers a boot script writes.
 *
 * The units are verified in a temporary root (`--root`), laid out as the instance would be after
 * the script ran:
 * - the script's own files (units, drop-ins, helper scripts it writes with here-documents) at
 *   their paths; a written file an Exec line runs is made executable, as the script's chmod does;
 * - this machine's systemd units (targets such as network-online.target, timers.target);
 * - stubs for what only exists on the instance: the units and programs of the packages the
 *   script installs (PACKAGE_PROVIDES: docker.io's docker.service and /usr/bin/docker, ...), and
 *   the base system's programs that this machine also has (/bin/sh).
 * Anything else a unit needs is missing, so a misspelt program or dependency fails. systemd
 * reports many faults (unknown keys, bad values) as warnings with exit code 0: every line it
 * prints is a finding.
 */
import * as fs from "fs";
import * as path from "path";
import { enabledUnits, installedPackages, writtenFiles, WrittenFile } from "./boot-files";
import { outputLines, runTool, withTempDir } from "./run";

export const SYSTEMD_ANALYZE = { command: "systemd-analyze", debianPackage: "systemd" } as const;

const UNIT_DIR = "/etc/systemd/system";
const VENDOR_UNIT_DIR = "/usr/lib/systemd/system";
const UNIT_SUFFIX = /\.(service|timer|socket|path|mount|automount|target|slice)$/;
/** Where the base system keeps programs; a unit may run one of them when this machine has it too. */
const SYSTEM_BIN_DIRS = ["/bin", "/sbin", "/usr/bin", "/usr/sbin"];

/** What an Ubuntu package installed by a boot script provides that its units may name. */
export const PACKAGE_PROVIDES: Readonly<Record<string, { units?: string[]; programs?: string[] }>> = {
    "docker.io": { units: ["docker.service", "docker.socket"], programs: ["/usr/bin/docker"] },
    vault: { units: ["vault.service"], programs: ["/usr/bin/vault"] },
    prometheus: { units: ["prometheus.service"], programs: ["/usr/bin/prometheus"] },
    "prometheus-node-exporter": { units: ["prometheus-node-exporter.service"], programs: ["/usr/bin/prometheus-node-exporter"] },
    "postgresql-client": { programs: ["/usr/bin/psql"] },
    jq: { programs: ["/usr/bin/jq"] },
    curl: { programs: ["/usr/bin/curl"] },
    "aws-cli": { programs: ["/snap/bin/aws"] },
};

export interface UnitVerification {
    /** Unit file names the script writes (drop-ins are verified with their unit). */
    units: string[];
    /** Units the script enables or starts that neither it nor an installed package provides. */
    unprovided: string[];
    /** systemd-analyze's output, one finding per line (empty when clean). */
    findings: string[];
}

function isUnitFile(file: WrittenFile): boolean {
    return file.path.startsWith(`${UNIT_DIR}/`) && UNIT_SUFFIX.test(file.path) && path.dirname(file.path) === UNIT_DIR;
}

/** Absolute programs the units run (Exec*= lines, without the `-@:+!` prefixes). */
function programsOf(unitText: string): string[] {
    const programs: string[] = [];
    for (const m of unitText.matchAll(/^Exec[A-Za-z]*=\s*[-@:+!]*(\S+)/gm)) {
        if (m[1].startsWith("/")) {
            programs.push(m[1]);
        }
    }
    return programs;
}

function writeExecutable(root: string, program: string, content = "#!/bin/sh\nexit 0\n"): void {
    const target = path.join(root, program);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content, { mode: 0o755 });
}

/** Verifies every unit and timer the boot script writes. */
export async function verifyBootUnits(script: string): Promise<UnitVerification> {
    const files = await writtenFiles(script);
    const units = files.filter(isUnitFile).map((f) => path.basename(f.path));
    const packages = installedPackages(script).map((p) => PACKAGE_PROVIDES[p]).filter((p) => p !== undefined);
    const packageUnits = new Set(packages.flatMap((p) => p.units ?? []));
    const packagePrograms = new Set(packages.flatMap((p) => p.programs ?? []));
    const unprovided = enabledUnits(script).filter((u) => !units.includes(u) && !packageUnits.has(u));
    if (units.length === 0) {
        return { units, unprovided, findings: [] };
    }
    return withTempDir("systemd-verify", async (root) => {
        fs.cpSync(VENDOR_UNIT_DIR, path.join(root, VENDOR_UNIT_DIR), { recursive: true, verbatimSymlinks: true });
        for (const unit of packageUnits) {
            fs.writeFileSync(path.join(root, VENDOR_UNIT_DIR, unit), "[Unit]\nDescription=stub of a packaged unit\n\n[Service]\nExecStart=/bin/true\n");
        }
        writeExecutable(root, "/bin/true");
        for (const file of files) {
            const target = path.join(root, file.path);
            fs.mkdirSync(path.dirname(target), { recursive: true });
            fs.writeFileSync(target, file.content);
        }
        const written = new Set(files.map((f) => f.path));
        const programs = new Set(files.filter((f) => written.has(f.path) && f.path.startsWith(`${UNIT_DIR}/`)).flatMap((f) => programsOf(f.content)));
        for (const program of programs) {
            if (written.has(program)) {
                fs.chmodSync(path.join(root, program), 0o755);
            } else if (packagePrograms.has(program) || (SYSTEM_BIN_DIRS.includes(path.dirname(program)) && fs.existsSync(program))) {
                writeExecutable(root, program);
            }
        }
        const result = await runTool(SYSTEMD_ANALYZE.command, ["verify", `--root=${root}`, ...units], { env: { ...process.env, SYSTEMD_LOG_COLOR: "0" } });
        const findings = outputLines(result.stderr, result.stdout).map((line) => line.split(root).join(""));
        if (result.code !== 0 && findings.length === 0) {
            findings.push(`systemd-analyze verify exited ${result.code}`);
        }
        return { units, unprovided, findings };
    });
}
