/**
 * The layout rules of `terraform fmt` that matter for review diffs, re-implemented after
 * hclwrite's format.go (no terraform binary can run here):
 *
 * - indentation: two spaces per level; a line that opens more brackets than it closes indents
 *   the following lines by ONE level however many it opens, and a line that closes them returns;
 * - alignment: in a run of consecutive single-line `name = value` lines (a blank line, a comment
 *   line, a block header, a closing bracket or a multi-line value ends the run) every `=` sits in
 *   the same column, one space after the longest name, with one space after it;
 * - no tabs, no trailing whitespace, exactly one newline at the end of the file.
 *
 * `formatHcl` returns the text with these rules applied; a file is formatted when that changes
 * nothing. Heredoc bodies are left alone, as terraform fmt does.
 */

/** One physical line, split into what the rules look at. */
interface ScannedLine {
    /** The line without its leading whitespace. */
    content: string;
    /** Opening minus closing brackets outside strings and comments. */
    netBrackets: number;
    /** Index in `content` of the first assignment `=` of the line, if any. */
    equalsAt?: number;
    /** True when that `=` assigns a value that ends on this line (it joins an alignment run). */
    singleLine: boolean;
    /** Heredoc marker opened on this line (the body follows on the next lines). */
    heredoc?: string;
}

const OPENERS = "{[(";
const CLOSERS = "}])";

/** Skips a quoted string starting at `start` (the opening quote); returns the index after it. */
function skipString(text: string, start: number): number {
    let i = start + 1;
    while (i < text.length) {
        const c = text[i];
        if (c === "\\") {
            i += 2;
        } else if (c === '"') {
            return i + 1;
        } else if ((c === "$" || c === "%") && text[i + 1] === c && text[i + 2] === "{") {
            i += 3; // $${ and %%{ are literal text
        } else if ((c === "$" || c === "%") && text[i + 1] === "{") {
            i = skipTemplateCode(text, i + 2);
        } else {
            i += 1;
        }
    }
    return i;
}

/** Skips the code of a template interpolation up to and including its closing brace. */
function skipTemplateCode(text: string, start: number): number {
    let depth = 1;
    let i = start;
    while (i < text.length && depth > 0) {
        const c = text[i];
        if (c === '"') {
            i = skipString(text, i);
            continue;
        }
        if (OPENERS.includes(c)) {
            depth += 1;
        } else if (CLOSERS.includes(c)) {
            depth -= 1;
        }
        i += 1;
    }
    return i;
}

function scanLine(content: string): ScannedLine {
    let netBrackets = 0;
    let assignAt: number | undefined;
    let bracketsAfterAssign = 0;
    let heredoc: string | undefined;
    let i = 0;
    while (i < content.length) {
        const c = content[i];
        if (c === "#" || (c === "/" && content[i + 1] === "/")) {
            break;
        }
        if (c === '"') {
            i = skipString(content, i);
            continue;
        }
        const heredocMatch = c === "<" ? /^<<-?([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(content.slice(i)) : null;
        if (heredocMatch) {
            heredoc = heredocMatch[1];
            break;
        }
        const change = OPENERS.includes(c) ? 1 : CLOSERS.includes(c) ? -1 : 0;
        netBrackets += change;
        if (assignAt !== undefined) {
            bracketsAfterAssign += change;
        }
        const isLoneEquals = c === "=" && !"=!<>".includes(content[i - 1] ?? "") && !"=>".includes(content[i + 1] ?? "");
        if (isLoneEquals && assignAt === undefined && i > 0) {
            assignAt = i;
            bracketsAfterAssign = 0;
        }
        i += 1;
    }
    // Like hclwrite, only the first `=` counts, and only when the value closes on this line.
    const singleLine = assignAt !== undefined && bracketsAfterAssign === 0 && !/^[}\])]/.test(content);
    return { content, netBrackets, equalsAt: assignAt, singleLine, heredoc };
}

/** A line as it will be written, plus whether it continues an alignment run. */
interface OutputLine {
    text: string;
    /** Set for single-line assignments: the name part (with indentation) and the value part. */
    assignment?: { lead: string; value: string };
    /** Heredoc body lines are copied verbatim and do not break an alignment run. */
    verbatim: boolean;
}

export function formatHcl(source: string): string {
    const lines = source.replace(/\s+$/, "").split("\n");
    const out: OutputLine[] = [];
    const indents: number[] = [];
    let heredocMarker: string | undefined;

    for (const raw of lines) {
        if (heredocMarker !== undefined) {
            out.push({ text: raw.replace(/\s+$/, ""), verbatim: true });
            if (raw.trim() === heredocMarker) {
                heredocMarker = undefined;
            }
            continue;
        }
        const content = raw.trim();
        if (content === "") {
            out.push({ text: "", verbatim: false });
            continue;
        }
        const scanned = scanLine(content);
        if (scanned.netBrackets < 0) {
            let closed = -scanned.netBrackets;
            while (closed > 0 && indents.length > 0) {
                const top = indents[indents.length - 1];
                if (closed >= top) {
                    closed -= top;
                    indents.pop();
                } else {
                    indents[indents.length - 1] = top - closed;
                    closed = 0;
                }
            }
        }
        const indent = "  ".repeat(indents.length);
        if (scanned.netBrackets > 0) {
            indents.push(scanned.netBrackets);
        }
        heredocMarker = scanned.heredoc;
        if (scanned.equalsAt === undefined) {
            out.push({ text: indent + content, verbatim: false });
        } else {
            const lead = indent + content.slice(0, scanned.equalsAt).replace(/\s+$/, "");
            const value = content.slice(scanned.equalsAt + 1).replace(/^\s+/, "");
            if (scanned.singleLine) {
                out.push({ text: "", assignment: { lead, value }, verbatim: false });
            } else {
                // A multi-line value: one space either side of `=`, and the run ends here.
                out.push({ text: `${lead} = ${value}`, verbatim: false });
            }
        }
    }

    // Align each run of consecutive assignments (heredoc bodies sit inside their assignment).
    let run: OutputLine[] = [];
    const closeRun = (): void => {
        const width = Math.max(0, ...run.map((l) => l.assignment?.lead.length ?? 0));
        for (const line of run) {
            if (line.assignment) {
                const { lead, value } = line.assignment;
                line.text = `${lead}${" ".repeat(width - lead.length)} =${value === "" ? "" : ` ${value}`}`;
            }
        }
        run = [];
    };
    for (const line of out) {
        if (line.assignment) {
            run.push(line);
        } else if (!line.verbatim) {
            closeRun();
        }
    }
    closeRun();

    return `${out.map((l) => l.text).join("\n")}\n`;
}

/** The first line where `actual` differs from its formatted form, for assertion messages. */
export function firstFormattingDifference(actual: string): string | undefined {
    if (/\t/.test(actual)) {
        return "contains a tab";
    }
    const expected = formatHcl(actual);
    if (expected === actual) {
        return undefined;
    }
    const a = actual.split("\n");
    const e = expected.split("\n");
    for (let i = 0; i < Math.max(a.length, e.length); i++) {
        if (a[i] !== e[i]) {
            return `line ${i + 1}: ${JSON.stringify(a[i] ?? "<end of file>")} should be ${JSON.stringify(e[i] ?? "<end of file>")}`;
        }
    }
    return "trailing whitespace or newlines at the end of the file";
}
