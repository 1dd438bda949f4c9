/**
 * TLS on the balancers (stack policies): HTTP redirects to HTTPS once the stack serves HTTPS;
 * plain-HTTP-only balancers must be internal; a prod stack must serve HTTPS (enableTls true).
 */
import { StackValidationPolicy } from "@pulumi/policy";
import { environmentListSchema, environmentSchema, stackEnvironment } from "../lib/environment";
import { isInternal, isTlsListener, listenerProtocol, listenersOf } from "../lib/lb";
import { validateStackWith } from "../lib/policy";
import { asArray, asRecord, asString, isUnknown } from "../lib/props";
import { StackResource } from "../lib/stack";
import { AWS, describe, isListener, isLoadBalancer } from "../lib/types";

/** True when the listener's default actions redirect to HTTPS and nothing is forwarded. */
export function redirectsToHttps(listener: StackResource): boolean {
    const actions = asArray(listener.props["defaultActions"]).map(asRecord);
    if (actions.length === 0) {
        return false;
    }
    return actions.every((a) => {
        const type = (asString(a?.["type"]) ?? "").toLowerCase();
        const protocol = asString(asRecord(a?.["redirect"])?.["protocol"]) ?? "";
        return type === "redirect" && protocol.toUpperCase() === "HTTPS";
    });
}

export const httpRedirectsToHttps: StackValidationPolicy = {
    name: "http-redirects-to-https",
    description:
        "When the stack serves HTTPS (an HTTPS/TLS listener or an ACM certificate), every HTTP listener must only " +
        "redirect to HTTPS: defaultActions [{ type: \"redirect\", redirect: { protocol: \"HTTPS\", port: \"443\", " +
        "statusCode: \"HTTP_301\" } }].",
    enforcementLevel: "mandatory",
    configSchema: { properties: {} },
    validateStack: validateStackWith({}, (resources, _config, report) => {
        const listeners = resources.filter((r) => isListener(r.type) && !isUnknown(r.props["protocol"]));
        const tls = listeners.filter((l) => isTlsListener(l.props));
        const certificates = resources.filter((r) => r.type === AWS.acmCertificate);
        if (tls.length === 0 && certificates.length === 0) {
            return;
        }
        const basis = tls.length > 0 ? describe(tls[0]) : describe(certificates[0]);
        for (const l of listeners) {
            if (listenerProtocol(l.props) === "HTTP" && !redirectsToHttps(l)) {
                report(
                    `${describe(l)} serves plain HTTP although the stack serves HTTPS (${basis}): replace its defaultActions ` +
                        `with [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }].`,
                    l.urn,
                );
            }
        }
    }),
};

export const tlsOffOnlyInternal: StackValidationPolicy = {
    name: "tls-off-only-internal",
    description:
        "A load balancer whose listeners are all plain HTTP (TLS off) must be internal (internal: true). Turn TLS " +
        "on (enableTls: true with a certificate) or make the balancer internal.",
    enforcementLevel: "mandatory",
    configSchema: { properties: {} },
    validateStack: validateStackWith({}, (resources, _config, report) => {
        for (const lb of resources.filter((r) => isLoadBalancer(r.type))) {
            const listeners = listenersOf(lb, resources);
            if (listeners.length === 0 || listeners.some((l) => isUnknown(l.props["protocol"]) || isTlsListener(l.props))) {
                continue;
            }
            if (!isInternal(lb.props)) {
                report(
                    `${describe(lb)} is internet-facing (internal ${isUnknown(lb.props["internal"]) ? "unknown" : "false"}) but ` +
                        `serves only plain HTTP (${listeners.map((l) => describe(l)).join(", ")}): set enableTls: true ` +
                        `(HTTPS listener with a certificate) or make the balancer internal.`,
                    lb.urn,
                );
            }
        }
    }),
};

export interface TlsRequiredConfig {
    environments: string[];
    environment?: string;
}

export const TLS_REQUIRED_DEFAULTS: TlsRequiredConfig = { environments: ["prod"] };

export const prodRequiresTls: StackValidationPolicy = {
    name: "prod-requires-tls",
    description:
        "A prod stack (config environments) with a load balancer must serve HTTPS: enableTls false is refused in " +
        "prod. Set memory-spine:enableTls true with a certificate (domainName + hostedZoneId, or certificateArn).",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            environments: environmentListSchema("Environments in which TLS is required.", TLS_REQUIRED_DEFAULTS.environments),
            environment: environmentSchema,
        },
    },
    validateStack: validateStackWith(TLS_REQUIRED_DEFAULTS, (resources, config, report) => {
        const balancers = resources.filter((r) => isLoadBalancer(r.type));
        if (balancers.length === 0) {
            return;
        }
        const env = stackEnvironment(resources, config);
        if (env === undefined || !config.environments.includes(env)) {
            return;
        }
        const listeners = resources.filter((r) => isListener(r.type));
        if (listeners.some((l) => isUnknown(l.props["protocol"]) || isTlsListener(l.props))) {
            return;
        }
        for (const lb of balancers) {
            report(
                `${describe(lb)} in ${env} has no HTTPS listener: enableTls false is not allowed in ${env}. Set ` +
                    `memory-spine:enableTls true with a certificate (domainName + hostedZoneId, or certificateArn).`,
                lb.urn,
            );
        }
    }),
};
