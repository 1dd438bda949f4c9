/** The generated list of taggable @pulumi/aws types (policy-pack/data/taggable-types.json). */
import * as fs from "fs";
import * as path from "path";

export const TAGGABLE_TYPES_FILE = path.join(__dirname, "..", "..", "data", "taggable-types.json");

let cached: ReadonlySet<string> | undefined;

export function taggableTypes(): ReadonlySet<string> {
    if (cached === undefined) {
        const data = JSON.parse(fs.readFileSync(TAGGABLE_TYPES_FILE, "utf8")) as { types: string[] };
        cached = new Set(data.types);
    }
    return cached;
}

/** True for AWS resource types whose args accept `tags`; vault:*, random:*, pulumi:* never are. */
export function isTaggable(type: string): boolean {
    return type.startsWith("aws:") && taggableTypes().has(type);
}
