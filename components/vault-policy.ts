/**
 * Vault policy text for one environment, derived from the KV v2 mount path so that the two can
 * never disagree (the reference mounted `secret/ai-providers` but granted `secret/data/...`):
 * KV v2 serves data at `<mount>/data/<path>` and metadata at `<mount>/metadata/<path>`.
 */
export function readOnlyPolicy(mountPath: string, environment: string): string {
    const mount = mountPath.replace(/^\/+|\/+$/g, "");
    return [
        `# Memory Spine ${environment}: read its own provider keys, nothing else.`,
        `path "${mount}/data/${environment}/*" {`,
        `  capabilities = ["read"]`,
        `}`,
        ``,
        `path "${mount}/metadata/${environment}/*" {`,
        `  capabilities = ["list"]`,
        `}`,
        ``,
    ].join("\n");
}
