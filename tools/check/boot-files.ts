/**
 * The files a boot script writes with here-documents (`cat > /path <<EOF`, `tee /path <<EOF`),
 * expanded as bash would expand them on the instance. Values only known there (command
 * substitutions, IMDS lookups) are not run: their variables read as `stub-<name>`.
 */
import { runTool } from "./run";

export interface WrittenFile {
    /** Absolute path on the instance. */
    path: string;
    content: string;
}

interface HereDocument {
    /** The redirect target as written in the script (may contain shell expansions). */
    target: string;
    delimiter: string;
    quoted: boolean;
    stripTabs: boolean;
    body: string[];
}

const HEREDOC = /<<(-?)\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\2/;
const TARGET = /(?:^|\s)(?:cat\b[^>]*>|tee\s+(?:-a\s+)?)\s*("?)([^\s"<>;|&]+)\1/;
const VARIABLE_REFERENCE = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/g;
/** Top-level assignments whose value the script states (no command substitution). */
const STATED_ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(?!.*(?:\$\(|`)).*$/;

/** The script's here-documents, and its other lines (the commands). */
function hereDocuments(script: string): { documents: HereDocument[]; commands: string[] } {
    const lines = script.split("\n");
    const found: HereDocument[] = [];
    const commands: string[] = [];
    for (let i = 0; i < lines.length; i++) {
        commands.push(lines[i]);
        const heredoc = HEREDOC.exec(lines[i]);
        if (!heredoc) {
            continue;
        }
        const [, dash, quote, delimiter] = heredoc;
        const body: string[] = [];
        let j = i + 1;
        while (j < lines.length && (dash ? lines[j].replace(/^\t+/, "") : lines[j]) !== delimiter) {
            body.push(lines[j]);
            j++;
        }
        const target = TARGET.exec(lines[i]);
        if (target) {
            found.push({ target: target[2], delimiter, quoted: quote !== "", stripTabs: dash === "-", body });
        }
        i = j;
    }
    return { documents: found, commands };
}

/** Every file the script writes with a here-document, its path and content expanded. */
export async function writtenFiles(script: string): Promise<WrittenFile[]> {
    const { documents, commands } = hereDocuments(script);
    if (documents.length === 0) {
        return [];
    }
    const stated = commands.filter((l) => STATED_ASSIGNMENT.test(l));
    const referenced = new Set<string>();
    for (const d of documents) {
        for (const text of [d.target, ...(d.quoted ? [] : d.body)]) {
            for (const m of text.matchAll(VARIABLE_REFERENCE)) {
                referenced.add(m[1]);
            }
        }
    }
    // One bash run expands every document: the stated values, then a stub for anything else,
    // then each document after its path, in the script's own here-document syntax.
    const program = [
        "set -u",
        ...stated,
        ...[...referenced].map((name) => `: "\${${name}=stub-${name}}"`),
        ...documents.flatMap((d) => [
            `printf '\\036%s\\037' "${d.target}"`,
            `cat <<${d.stripTabs ? "-" : ""}${d.quoted ? `'${d.delimiter}'` : d.delimiter}`,
            ...d.body,
            d.delimiter,
        ]),
    ].join("\n");
    const result = await runTool("bash", ["--noprofile", "--norc"], { input: program, env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } });
    if (result.code !== 0) {
        throw new Error(`expanding the script's here-documents failed: ${result.stderr.trim()}`);
    }
    // Each document is \x1e path \x1f content (record and unit separators never occur in a script).
    return result.stdout.split("\x1e").slice(1).map((record) => {
        const split = record.indexOf("\x1f");
        return { path: record.slice(0, split), content: record.slice(split + 1) };
    });
}

/** Units the script enables or starts: `systemctl enable [--now] a.service b.timer`. */
export function enabledUnits(script: string): string[] {
    const units = new Set<string>();
    for (const m of script.matchAll(/systemctl\s+(?:enable|start|restart)\s+([^\n;&|]+)/g)) {
        for (const word of m[1].trim().split(/\s+/)) {
            if (!word.startsWith("-")) {
                units.add(/\.[a-z]+$/.test(word) ? word : `${word}.service`);
            }
        }
    }
    return [...units];
}

/** Packages the script installs: `apt-get install ... names` and `snap install name`. */
export function installedPackages(script: string): string[] {
    const packages = new Set<string>();
    for (const m of script.matchAll(/(?:apt-get|apt)\s+install\s+([^\n;&|]+)|snap\s+install\s+([^\n;&|]+)/g)) {
        for (const word of (m[1] ?? m[2]).trim().split(/\s+/)) {
            if (!word.startsWith("-") && word !== "\\") {
                packages.add(word);
            }
        }
    }
    return [...packages];
}
