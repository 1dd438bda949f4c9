import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

/** Canonical's AWS account: the only owner whose Ubuntu images we boot. */
export const CANONICAL_OWNER_ID = "099720109477";

/** Graviton families carry a `g` after the generation digit (t4g, m7g, c7gn, r8g, g5g). */
export function instanceArchitecture(instanceType: string): "x86_64" | "arm64" {
    const suffix = /^[a-z][a-z-]*?[0-9]+([a-z-]*)$/.exec(instanceType.split(".")[0])?.[1] ?? "";
    return suffix.includes("g") ? "arm64" : "x86_64";
}

/** The newest Ubuntu 24.04 LTS image from Canonical for the instance type's architecture. */
export function ubuntuAmiId(instanceType: string, opts: pulumi.InvokeOutputOptions): pulumi.Output<string> {
    const architecture = instanceArchitecture(instanceType);
    return aws.ec2.getAmiOutput({
        owners: [CANONICAL_OWNER_ID],
        mostRecent: true,
        filters: [
            { name: "name", values: [`ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-${architecture === "arm64" ? "arm64" : "amd64"}-server-*`] },
            { name: "virtualization-type", values: ["hvm"] },
            { name: "architecture", values: [architecture] },
            { name: "root-device-type", values: ["ebs"] },
        ],
    }, opts).id;
}
