import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

/** Canonical's AWS account: the only owner whose Ubuntu images we boot. */
export const CANONICAL_OWNER_ID = "099720109477";

/** Graviton families carry a `g` after the generation digit (t4g, m7g, c7gn, r8g, g5g). */
export function instanceArchitecture(instanceType: string): "x86_64" | "arm64" {
    const suffix = /^[a-z][a-z-]*?[0-9]+([a-z-]*)$/.exec(instanceType.split(".")[0])?.[1] ?? "";
    return suffix.includes("g") ? "arm64" : "x86_64";
}

/**
 * The lookup of Canonical's Ubuntu 24.04 LTS image for the instance type's architecture: the
 * release serial (`ubuntuAmiRelease`) pins one build, "" takes the newest. Only Canonical's
 * account is asked, so a look-alike image from anyone else can never be booted.
 */
export function ubuntuAmiQuery(instanceType: string, release: string): aws.ec2.GetAmiArgs {
    const architecture = instanceArchitecture(instanceType);
    const cpu = architecture === "arm64" ? "arm64" : "amd64";
    return {
        owners: [CANONICAL_OWNER_ID],
        mostRecent: true,
        filters: [
            { name: "name", values: [`ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-${cpu}-server-${release === "" ? "*" : release}`] },
            { name: "virtualization-type", values: ["hvm"] },
            { name: "architecture", values: [architecture] },
            { name: "root-device-type", values: ["ebs"] },
        ],
    };
}

export function ubuntuAmiId(instanceType: string, release: string, opts: pulumi.InvokeOutputOptions): pulumi.Output<string> {
    return aws.ec2.getAmiOutput(ubuntuAmiQuery(instanceType, release), opts).id;
}
