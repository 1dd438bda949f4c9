/** IPv4 CIDR arithmetic for config validation and subnet planning (Terraform's cidrsubnet). */

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

interface ParsedCidr {
    address: number;
    prefix: number;
}

function parse(cidr: string): ParsedCidr | undefined {
    const match = CIDR_PATTERN.exec(cidr);
    if (!match) {
        return undefined;
    }
    const octets = match.slice(1, 5).map(Number);
    const prefix = Number(match[5]);
    if (octets.some((o) => o > 255) || prefix > 32 || match.slice(1, 5).some((o) => o.length > 1 && o.startsWith("0"))) {
        return undefined;
    }
    const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
    return { address, prefix };
}

function mask(prefix: number): number {
    return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

function format(address: number, prefix: number): string {
    return `${address >>> 24}.${(address >>> 16) & 255}.${(address >>> 8) & 255}.${address & 255}/${prefix}`;
}

export function isIpv4Cidr(cidr: string): boolean {
    return parse(cidr) !== undefined;
}

/** True for a.b.c.d/n whose host bits are zero, the form AWS stores (anything else drifts). */
export function isCanonicalIpv4Cidr(cidr: string): boolean {
    const parsed = parse(cidr);
    return parsed !== undefined && (parsed.address & ~mask(parsed.prefix)) >>> 0 === 0;
}

export function cidrPrefixLength(cidr: string): number {
    const parsed = parse(cidr);
    if (!parsed) {
        throw new Error(`not an IPv4 CIDR: ${cidr}`);
    }
    return parsed.prefix;
}

/** The netnum-th subnet of `cidr` that is `newbits` longer, like Terraform's cidrsubnet(). */
export function cidrSubnet(cidr: string, newbits: number, netnum: number): string {
    const parsed = parse(cidr);
    if (!parsed) {
        throw new Error(`not an IPv4 CIDR: ${cidr}`);
    }
    const prefix = parsed.prefix + newbits;
    if (prefix > 32 || netnum < 0 || netnum >= 2 ** newbits) {
        throw new Error(`cannot take subnet ${netnum} of ${cidr} with ${newbits} new bits`);
    }
    const base = (parsed.address & mask(parsed.prefix)) >>> 0;
    return format((base + netnum * 2 ** (32 - prefix)) >>> 0, prefix);
}
