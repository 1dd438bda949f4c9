/**
 * Tag readers. Most AWS resources take `tags` as a map; the Auto Scaling group takes a list of tag
 * blocks `[{ key, value, propagateAtLaunch }]`. Both shapes are read into one map.
 */
import { Props, asArray, asRecord, asString, isUnknown, rawProps } from "./props";
import { markUndecided } from "./unknowns";

export interface TagSet {
    /** Tag values that are known. */
    values: Map<string, string>;
    /** Keys whose value is unknown during preview (present, value decided at apply). */
    unknownKeys: Set<string>;
    /** The whole `tags` property is unknown during preview. */
    allUnknown: boolean;
}

/**
 * Every tag, read from the raw props: unknown values are listed, not counted as read (unknowns.ts);
 * a policy that needs one of them says so with tagValue or markUndecided.
 */
export function readTags(props: Props): TagSet {
    const values = new Map<string, string>();
    const unknownKeys = new Set<string>();
    const tags = rawProps(props)["tags"];
    if (isUnknown(tags)) {
        return { values, unknownKeys, allUnknown: true };
    }
    if (Array.isArray(tags)) {
        for (const entry of asArray(tags)) {
            const block = asRecord(entry);
            const key = asString(block?.["key"]);
            if (block === undefined || key === undefined) {
                continue;
            }
            const value = block["value"];
            if (isUnknown(value)) {
                unknownKeys.add(key);
            } else if (typeof value === "string") {
                values.set(key, value);
            }
        }
        return { values, unknownKeys, allUnknown: false };
    }
    const map = asRecord(tags);
    if (map !== undefined) {
        for (const [key, value] of Object.entries(map)) {
            if (isUnknown(value)) {
                unknownKeys.add(key);
            } else if (typeof value === "string") {
                values.set(key, value);
            }
        }
    }
    return { values, unknownKeys, allUnknown: false };
}

/** A known, non-blank tag value; a value unknown at preview is recorded as needed (unknowns.ts). */
export function tagValue(props: Props, key: string): string | undefined {
    const tags = readTags(props);
    if (tags.allUnknown || tags.unknownKeys.has(key)) {
        markUndecided(props, tags.allUnknown ? "tags" : `tags.${key}`);
    }
    const value = tags.values.get(key);
    return value !== undefined && value.trim() !== "" ? value : undefined;
}
