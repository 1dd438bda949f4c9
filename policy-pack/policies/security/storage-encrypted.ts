/** Security: every EBS volume and RDS storage is encrypted. */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { validateTypes } from "../lib/policy";
import { asArray, asBool, asRecord, isUnknown, show } from "../lib/props";
import { AWS, describe } from "../lib/types";

/** Encrypted unless known to be otherwise; `undefined` (not set) counts as not encrypted. */
function notEncrypted(value: unknown): boolean {
    return !isUnknown(value) && asBool(value) !== true;
}

export const storageEncrypted: ResourceValidationPolicy = {
    name: "storage-encrypted",
    description:
        "Every EBS volume and RDS storage must be encrypted: launch template blockDeviceMappings[].ebs.encrypted " +
        "\"true\" (a string in that schema), EC2 instance rootBlockDevice.encrypted and ebsBlockDevices[].encrypted " +
        "true, aws.ebs.Volume encrypted true, RDS storageEncrypted true. Set them explicitly (add a root " +
        "blockDeviceMapping to launch templates).",
    enforcementLevel: "mandatory",
    configSchema: { properties: {} },
    validateResource: validateTypes(
        [AWS.launchTemplate, AWS.ec2Instance, AWS.ebsVolume, AWS.rdsInstance],
        {},
        (r, _config, report) => {
            const p = r.props;
            switch (r.type) {
                case AWS.launchTemplate: {
                    if (isUnknown(p["blockDeviceMappings"])) {
                        return;
                    }
                    const mappings = asArray(p["blockDeviceMappings"])
                        .map(asRecord)
                        .filter((m) => m !== undefined && asRecord(m["ebs"]) !== undefined);
                    if (mappings.length === 0) {
                        report(
                            `${describe(r)} declares no EBS blockDeviceMappings, so the root volume's encryption is left to ` +
                                `the AMI: add { deviceName: <root device>, ebs: { encrypted: "true", volumeType: "gp3", volumeSize: ... } }.`,
                        );
                    }
                    asArray(p["blockDeviceMappings"]).forEach((m, i) => {
                        const ebs = asRecord(asRecord(m)?.["ebs"]);
                        if (ebs !== undefined && notEncrypted(ebs["encrypted"])) {
                            report(`${describe(r)} has blockDeviceMappings[${i}].ebs.encrypted ${show(ebs["encrypted"])}: set it to "true".`);
                        }
                    });
                    return;
                }
                case AWS.ec2Instance: {
                    const root = p["rootBlockDevice"];
                    if (!isUnknown(root)) {
                        const rootBlock = asRecord(root);
                        if (rootBlock === undefined || notEncrypted(rootBlock["encrypted"])) {
                            report(
                                `${describe(r)} has rootBlockDevice.encrypted ${show(rootBlock?.["encrypted"])}: set rootBlockDevice { encrypted: true }.`,
                            );
                        }
                    }
                    asArray(p["ebsBlockDevices"]).forEach((d, i) => {
                        const dev = asRecord(d);
                        if (dev !== undefined && notEncrypted(dev["encrypted"])) {
                            report(`${describe(r)} has ebsBlockDevices[${i}].encrypted ${show(dev["encrypted"])}: set it to true.`);
                        }
                    });
                    return;
                }
                case AWS.ebsVolume:
                    if (notEncrypted(p["encrypted"])) {
                        report(`${describe(r)} has encrypted ${show(p["encrypted"])}: set encrypted: true.`);
                    }
                    return;
                case AWS.rdsInstance:
                    if (notEncrypted(p["storageEncrypted"])) {
                        report(`${describe(r)} has storageEncrypted ${show(p["storageEncrypted"])}: set storageEncrypted: true.`);
                    }
                    return;
                default:
                    return;
            }
        },
    ),
};
