/** Security: nodes never get a public IP; the choice is explicit on launch templates and instances. */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { validateTypes } from "../lib/policy";
import { asArray, asBool, asRecord, isUnknown, show } from "../lib/props";
import { AWS, INSTANCE_SHAPED_TYPES, describe } from "../lib/types";

export const noPublicIp: ResourceValidationPolicy = {
    name: "no-public-ip",
    description:
        "Nodes run in private subnets without public IPs, stated explicitly: launch templates need networkInterfaces " +
        "whose associatePublicIpAddress is \"false\" (string in that schema); EC2 instances, spot instance requests " +
        "and launch configurations associatePublicIpAddress false. A missing value would let the subnet's default decide.",
    enforcementLevel: "mandatory",
    configSchema: { properties: {} },
    validateResource: validateTypes([AWS.launchTemplate, ...INSTANCE_SHAPED_TYPES], {}, (r, _config, report) => {
        if (INSTANCE_SHAPED_TYPES.includes(r.type)) {
            const v = r.props["associatePublicIpAddress"];
            if (!isUnknown(v) && asBool(v) !== false) {
                report(`${describe(r)} has associatePublicIpAddress ${show(v)}: set associatePublicIpAddress: false.`);
            }
            return;
        }
        const nics = r.props["networkInterfaces"];
        if (isUnknown(nics)) {
            return;
        }
        const list = asArray(nics);
        if (list.length === 0) {
            report(
                `${describe(r)} declares no networkInterfaces, so associatePublicIpAddress is left to the subnet: add ` +
                    `networkInterfaces [{ deviceIndex: 0, associatePublicIpAddress: "false", securityGroups: [...] }].`,
            );
            return;
        }
        list.forEach((n, i) => {
            const v = asRecord(n)?.["associatePublicIpAddress"];
            if (!isUnknown(v) && asBool(v) !== false) {
                report(`${describe(r)} has networkInterfaces[${i}].associatePublicIpAddress ${show(v)}: set it to "false".`);
            }
        });
    }),
};
