/** Policy config with defaults: the CLI fills schema defaults in, but the code never relies on it. */

/** Shallow merge: keys of `given` that are set (not undefined/null) override `defaults`. */
export function withDefaults<T extends object>(given: Partial<T> | undefined, defaults: T): T {
    const result: T = { ...defaults };
    if (given !== undefined && given !== null) {
        for (const key of Object.keys(given) as (keyof T)[]) {
            const value = given[key];
            if (value !== undefined && value !== null) {
                result[key] = value;
            }
        }
    }
    return result;
}
