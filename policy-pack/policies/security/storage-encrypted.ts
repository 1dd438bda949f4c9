/** Security: every EBS volume and RDS storage is encrypted. */
import { ReportViolation, ResourceValidationPolicy } from "@pulumi/policy";
import { validateTypes } from "../lib/policy";
import { asArray, asBool, asRecord, isUnknown, show } from "../lib/props";
import { AWS, INSTANCE_SHAPED_TYPES, RDS_STORAGE_TYPES, ResourceView, describe } from "../lib/types";

/** Encrypted unless known to be otherwise; `undefined` (not set) counts as not encrypted. */
function notEncrypted(value: unknown): boolean {
    return !isUnknown(value) && asBool(value) !== true;
}

export const storageEncrypted: ResourceValidationPolicy = {
    name: "storage-encrypted",
    description:
        "Every EBS volume and RDS storage must be encrypted: launch template blockDeviceMappings[].ebs.encrypted " +
        "\"true\" (a string in that schema), rootBlockDevice.encrypted and ebsBlockDevices[].encrypted true on EC2 " +
        "instances, spot instance requests and launch configurations, aws.ebs.Volume encrypted true, RDS instance " +
        "and cluster storageEncrypted true. Set them explicitly (add a root " +
        "blockDeviceMapping to launch templates).",
    enforcementLevel: "mandatory",
    configSchema: { properties: {} },
    validateResource: validateTypes(
        [AWS.launchTemplate, ...INSTANCE_SHAPED_TYPES, AWS.ebsVolume, ...RDS_STORAGE_TYPES],
        {},
        (r, _config, report) => {
            if (r.type === AWS.launchTemplate) {
                checkLaunchTemplate(r, report);
            } else if (INSTANCE_SHAPED_TYPES.includes(r.type)) {
                checkInstanceVolumes(r, report);
            } else if (r.type === AWS.ebsVolume) {
                if (notEncrypted(r.props["encrypted"])) {
                    report(`${describe(r)} has encrypted ${show(r.props["encrypted"])}: set encrypted: true.`);
                }
            } else if (notEncrypted(r.props["storageEncrypted"])) {
                report(`${describe(r)} has storageEncrypted ${show(r.props["storageEncrypted"])}: set storageEncrypted: true.`);
            }
        },
    ),
};

function checkLaunchTemplate(r: ResourceView, report: ReportViolation): void {
    const p = r.props;
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
}

/** EC2 instances, spot instance requests and launch configurations share this block device schema. */
function checkInstanceVolumes(r: ResourceView, report: ReportViolation): void {
    const root = r.props["rootBlockDevice"];
    if (!isUnknown(root)) {
        const rootBlock = asRecord(root);
        if (rootBlock === undefined || notEncrypted(rootBlock["encrypted"])) {
            report(`${describe(r)} has rootBlockDevice.encrypted ${show(rootBlock?.["encrypted"])}: set rootBlockDevice { encrypted: true }.`);
        }
    }
    asArray(r.props["ebsBlockDevices"]).forEach((d, i) => {
        const dev = asRecord(d);
        if (dev !== undefined && notEncrypted(dev["encrypted"])) {
            report(`${describe(r)} has ebsBlockDevices[${i}].encrypted ${show(dev["encrypted"])}: set it to true.`);
        }
    });
}
