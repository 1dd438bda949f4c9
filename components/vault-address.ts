/** The TCP port a Vault address points at: its explicit port, else the scheme's default. */
export function vaultPort(address: string): number {
    const url = new URL(address);
    if (url.port !== "") {
        return Number(url.port);
    }
    return url.protocol === "http:" ? 80 : 443;
}
