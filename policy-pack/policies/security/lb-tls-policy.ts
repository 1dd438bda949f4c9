/** Security: HTTPS/TLS listeners use a TLS 1.2+ security policy from the allowed list and a certificate. */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { isTlsListener, listenerProtocol } from "../lib/lb";
import { validateTypes } from "../lib/policy";
import { willBeSet } from "../lib/unknowns";
import { asString, isUnknown, show } from "../lib/props";
import { LISTENER_TYPES, describe } from "../lib/types";

export interface TlsPolicyConfig {
    allowedSslPolicies: string[];
}

export const TLS_POLICY_DEFAULTS: TlsPolicyConfig = {
    allowedSslPolicies: ["ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"],
};

export const lbTlsPolicy: ResourceValidationPolicy = {
    name: "lb-tls-policy",
    description:
        "HTTPS/TLS listeners must set sslPolicy to an allowed TLS 1.2+ policy (config allowedSslPolicies, default " +
        "ELBSecurityPolicy-TLS13-1-2-2021-06 or ELBSecurityPolicy-TLS13-1-2-Res-2021-06) and a certificateArn.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowedSslPolicies: {
                type: "array",
                items: { type: "string" },
                minItems: 1,
                default: TLS_POLICY_DEFAULTS.allowedSslPolicies,
                description: "ELB security policies allowed on HTTPS/TLS listeners.",
            },
        },
    },
    validateResource: validateTypes(LISTENER_TYPES, TLS_POLICY_DEFAULTS, (r, config, report) => {
        if (isUnknown(r.props["protocol"]) || !isTlsListener(r.props)) {
            return;
        }
        const protocol = listenerProtocol(r.props);
        const policy = r.props["sslPolicy"];
        if (!isUnknown(policy) && !config.allowedSslPolicies.includes(asString(policy) ?? "")) {
            report(
                `${describe(r)} (${protocol}) has sslPolicy ${show(policy)}: set sslPolicy to one of ${config.allowedSslPolicies.join(", ")}.`,
            );
        }
        // An ARN unknown at preview is a certificate created (or validated) in the same run: set.
        if (!willBeSet(r.props, "certificateArn")) {
            report(`${describe(r)} (${protocol}) has no certificateArn: attach an ACM certificate.`);
        }
    }),
};
