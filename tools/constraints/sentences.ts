/**
 * The small amount of prose grammar the constraint extractor needs: splitting a JSDoc comment
 * into sentences (a period inside `code`, a number or an abbreviation does not end one), and
 * reading a list of quoted items ("`a`, `b`, and `c`", "\"x\" or \"y\"", "0, 1, 5").
 */

const ABBREVIATIONS = new Set(["e.g", "i.e", "etc", "vs", "approx", "no", "incl"]);

/** The sentences of a comment, whitespace collapsed, in order. */
export function splitSentences(text: string): string[] {
    const sentences: string[] = [];
    let current = "";
    let inCode = false;
    const flush = (): void => {
        const sentence = current.replace(/\s+/g, " ").trim();
        if (sentence !== "") {
            sentences.push(sentence);
        }
        current = "";
    };
    for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (ch === "`") {
            inCode = !inCode;
        }
        if (!inCode && ch === "\n" && /^\n\s*\n/.test(text.slice(i))) {
            flush(); // a blank line ends a paragraph
            continue;
        }
        current += ch;
        if (!inCode && (ch === "." || ch === "!" || ch === "?") && /^\s/.test(text[i + 1] ?? " ")) {
            const word = /([\w.]+)\.$/.exec(current)?.[1].toLowerCase() ?? "";
            if (!ABBREVIATIONS.has(word)) {
                flush();
            }
        }
    }
    flush();
    return sentences;
}

export interface ParsedList {
    items: string[];
    /** How the items were joined: "and", "or", or "mixed" ("," alone counts as neither). */
    joined?: "and" | "or" | "mixed";
    /** Index just after the last item. */
    end: number;
}

/**
 * Reads a list of items starting at `from` (leading spaces allowed): items are `code`,
 * "double quoted" or (with `bareNumbers`) plain numbers, separated by ",", "and", "or",
 * "|" or combinations ("`a`, `b`, and `c`"). Stops before anything else; undefined if no item.
 */
export function parseList(text: string, from: number, options: { bareNumbers?: boolean } = {}): ParsedList | undefined {
    const item = options.bareNumbers ? /^\s*(?:`([^`]*)`|"([^"]*)"|(-?\d+(?:\.\d+)?)(?!\w|\.\d))/ : /^\s*(?:`([^`]*)`|"([^"]*)")/;
    const separator = /^\s*(?:,\s*(?:and|or)\b|,|\band\b|\bor\b|\|)/;
    const items: string[] = [];
    let joined: ParsedList["joined"];
    let pos = from;
    for (;;) {
        const m = item.exec(text.slice(pos));
        if (!m) {
            break;
        }
        items.push(unquote(m[1] ?? m[2] ?? m[3]));
        pos += m[0].length;
        const sep = separator.exec(text.slice(pos));
        if (!sep || !item.test(text.slice(pos + sep[0].length))) {
            break;
        }
        pos += sep[0].length;
        const word = /\b(and|or)\b|\|/.exec(sep[0])?.[0];
        const joiner = word === "and" ? "and" : word ? "or" : undefined;
        if (joiner) {
            joined = joined && joined !== joiner ? "mixed" : joiner;
        }
    }
    return items.length > 0 ? { items, end: pos, ...(joined ? { joined } : {}) } : undefined;
}

/** `"units"` inside backticks is the value units. */
function unquote(value: string): string {
    const m = /^"(.*)"$/.exec(value.trim());
    return m ? m[1] : value.trim();
}

/** True when only a closing period (and spaces) follow `from`. */
export function endsAt(text: string, from: number): boolean {
    return /^\s*\.?\s*$/.test(text.slice(from));
}
