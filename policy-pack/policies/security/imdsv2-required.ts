/** Security: instance metadata service v2 only (session tokens), with a small hop limit. */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { validateTypes } from "../lib/policy";
import { asNumber, asRecord, asString, isUnknown, show } from "../lib/props";
import { AWS, INSTANCE_SHAPED_TYPES, describe } from "../lib/types";

export interface ImdsConfig {
    /** Highest allowed httpPutResponseHopLimit (2 lets containers on the node reach IMDS). */
    maxHopLimit: number;
}

export const IMDS_DEFAULTS: ImdsConfig = { maxHopLimit: 2 };

export const imdsv2Required: ResourceValidationPolicy = {
    name: "imdsv2-required",
    description:
        "Launch templates, launch configurations, EC2 instances and spot instance requests must require IMDSv2: metadataOptions.httpTokens = \"required\" and " +
        "httpPutResponseHopLimit 1 or 2 (config maxHopLimit). Set metadataOptions { httpEndpoint: \"enabled\", " +
        "httpTokens: \"required\", httpPutResponseHopLimit: 2 }.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            maxHopLimit: {
                type: "integer",
                minimum: 1,
                maximum: 64,
                default: IMDS_DEFAULTS.maxHopLimit,
                description: "Highest allowed metadataOptions.httpPutResponseHopLimit.",
            },
        },
    },
    validateResource: validateTypes([AWS.launchTemplate, ...INSTANCE_SHAPED_TYPES], IMDS_DEFAULTS, (r, config, report) => {
        const raw = r.props["metadataOptions"];
        if (isUnknown(raw)) {
            return;
        }
        const options = asRecord(raw) ?? {};
        if (asString(options["httpEndpoint"]) === "disabled") {
            return; // no metadata service at all
        }
        const tokens = options["httpTokens"];
        if (!isUnknown(tokens) && asString(tokens) !== "required") {
            report(
                `${describe(r)} has metadataOptions.httpTokens ${show(tokens)}: set it to "required" (IMDSv2 only).`,
            );
        }
        const hopRaw = options["httpPutResponseHopLimit"];
        const hop = asNumber(hopRaw);
        if (hop !== undefined && (hop < 1 || hop > config.maxHopLimit)) {
            report(
                `${describe(r)} has metadataOptions.httpPutResponseHopLimit ${hop}: use 1, or at most ${config.maxHopLimit} for containers.`,
            );
        }
    }),
};
