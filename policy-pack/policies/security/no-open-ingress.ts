/**
 * Security (stack): no ingress from anywhere (0.0.0.0/0, ::/0), except HTTP/HTTPS ports on a security
 * group attached to an internet-facing load balancer in prod.
 *
 * Rules come from inline `ingress` blocks of aws.ec2.SecurityGroup, aws.ec2.SecurityGroupRule
 * (type "ingress") and aws.vpc.SecurityGroupIngressRule. Rule -> security group -> balancer links use
 * the engine's property dependencies, with a fallback on resolved ids.
 */
import { StackValidationPolicy } from "@pulumi/policy";
import { environmentListSchema, environmentOf, environmentSchema } from "../lib/environment";
import { isInternal } from "../lib/lb";
import { validateStackWith } from "../lib/policy";
import { asArray, asNumber, asRecord, asString, asStringList, isUnknown } from "../lib/props";
import { StackResource, linked } from "../lib/stack";
import { AWS, describe, isLoadBalancer } from "../lib/types";

export const OPEN_CIDRS: readonly string[] = ["0.0.0.0/0", "::/0"];

export interface OpenIngressRule {
    /** The resource that declares the rule. */
    source: StackResource;
    /** Where in the resource: "ingress[0]" or "" for rule resources. */
    location: string;
    /** Security groups the rule belongs to (resolved). */
    groups: StackResource[];
    protocol: string;
    fromPort?: number;
    toPort?: number;
    openCidrs: string[];
}

export interface NoOpenIngressConfig {
    publicPorts: number[];
    publicIngressEnvironments: string[];
    environment?: string;
}

export const NO_OPEN_INGRESS_DEFAULTS: NoOpenIngressConfig = {
    publicPorts: [80, 443],
    publicIngressEnvironments: ["prod"],
};

function openOf(values: unknown[]): string[] {
    return values.flatMap((v) => asStringList(v)).filter((c) => OPEN_CIDRS.includes(c.trim()));
}

function normalizeProtocol(protocol: string | undefined): string {
    const p = (protocol ?? "").toLowerCase();
    if (p === "-1" || p === "all") {
        return "all";
    }
    return p === "6" ? "tcp" : p;
}

const isGroup = (r: StackResource): boolean => r.type === AWS.securityGroup;

/** Every ingress rule of the stack that is open to the whole internet. */
export function openIngressRules(resources: readonly StackResource[]): OpenIngressRule[] {
    const rules: OpenIngressRule[] = [];
    // A rule resource of its own (either provider shape) attached to a group by securityGroupId.
    const addStandaloneRule = (r: StackResource, cidrs: unknown[], protocol: unknown): void => {
        const open = openOf(cidrs);
        if (open.length === 0) {
            return;
        }
        const sg = asString(r.props["securityGroupId"]);
        rules.push({
            source: r,
            location: "",
            groups: linked(r, "securityGroupId", sg ? [sg] : [], resources, isGroup),
            protocol: normalizeProtocol(asString(protocol)),
            fromPort: asNumber(r.props["fromPort"]),
            toPort: asNumber(r.props["toPort"]),
            openCidrs: open,
        });
    };
    for (const r of resources) {
        const p = r.props;
        if (r.type === AWS.securityGroup) {
            asArray(p["ingress"]).forEach((entry, i) => {
                const rule = asRecord(entry);
                const open = rule ? openOf([rule["cidrBlocks"], rule["ipv6CidrBlocks"]]) : [];
                if (rule && open.length > 0) {
                    rules.push({
                        source: r,
                        location: `ingress[${i}]`,
                        groups: [r],
                        protocol: normalizeProtocol(asString(rule["protocol"])),
                        fromPort: asNumber(rule["fromPort"]),
                        toPort: asNumber(rule["toPort"]),
                        openCidrs: open,
                    });
                }
            });
        } else if (r.type === AWS.securityGroupRule) {
            if (asString(p["type"]) === "ingress") {
                addStandaloneRule(r, [p["cidrBlocks"], p["ipv6CidrBlocks"]], p["protocol"]);
            }
        } else if (r.type === AWS.securityGroupIngressRule) {
            addStandaloneRule(r, [p["cidrIpv4"], p["cidrIpv6"]], p["ipProtocol"]);
        }
    }
    return rules;
}

/** Balancers that use the security group (their `securityGroups` input). */
export function balancersUsing(group: StackResource, resources: readonly StackResource[]): StackResource[] {
    return resources.filter((lb) => {
        if (!isLoadBalancer(lb.type)) {
            return false;
        }
        const groups = linked(lb, "securityGroups", asStringList(lb.props["securityGroups"]), resources, isGroup);
        return groups.some((g) => g.urn === group.urn);
    });
}

function portText(rule: OpenIngressRule): string {
    if (rule.protocol === "all" || (rule.fromPort === 0 && rule.toPort === 65535)) {
        return "all ports";
    }
    if (rule.fromPort === rule.toPort) {
        return `${rule.protocol} port ${rule.fromPort ?? "?"}`;
    }
    return `${rule.protocol} ports ${rule.fromPort ?? "?"}-${rule.toPort ?? "?"}`;
}

export const noOpenIngress: StackValidationPolicy = {
    name: "no-open-ingress",
    description:
        "No security group may admit 0.0.0.0/0 or ::/0, except on ports 80/443 (config publicPorts) of a security " +
        "group attached to an internet-facing load balancer (internal false) in prod (config " +
        "publicIngressEnvironments). Restrict the rule to allowedCidrBlocks or reference the balancer's security group.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            publicPorts: {
                type: "array",
                items: { type: "integer", minimum: 0, maximum: 65535 },
                default: NO_OPEN_INGRESS_DEFAULTS.publicPorts,
                description: "TCP ports that may be open to the internet on an internet-facing balancer.",
            },
            publicIngressEnvironments: environmentListSchema(
                "Environments whose internet-facing balancers may be open to the internet.",
                NO_OPEN_INGRESS_DEFAULTS.publicIngressEnvironments,
            ),
            environment: environmentSchema,
        },
    },
    validateStack: validateStackWith(NO_OPEN_INGRESS_DEFAULTS, (resources, config, report) => {
        for (const rule of openIngressRules(resources)) {
            const singlePublicPort =
                rule.protocol === "tcp" &&
                rule.fromPort !== undefined &&
                rule.fromPort === rule.toPort &&
                config.publicPorts.includes(rule.fromPort);
            const publicBalancers = rule.groups.flatMap((g) =>
                balancersUsing(g, resources).filter((lb) => {
                    const env = environmentOf(lb.props, config);
                    return !isInternal(lb.props) && !isUnknown(lb.props["internal"]) && env !== undefined && config.publicIngressEnvironments.includes(env);
                }),
            );
            if (singlePublicPort && publicBalancers.length > 0) {
                continue;
            }
            const where = rule.location ? ` (${rule.location})` : "";
            const groupText =
                rule.groups.length === 0
                    ? "a security group that could not be resolved"
                    : rule.groups.map((g) => describe(g)).join(", ");
            const why = !singlePublicPort
                ? `only tcp ports ${config.publicPorts.join("/")} may be open to the internet`
                : `${groupText} is not attached to an internet-facing load balancer in ${config.publicIngressEnvironments.join("/")}`;
            report(
                `${describe(rule.source)}${where} admits ${rule.openCidrs.join(", ")} on ${portText(rule)}: ${why}. ` +
                    `Restrict the source to allowedCidrBlocks or to the balancer's security group.`,
                rule.source.urn,
            );
        }
    }),
};
