/** Load balancer / listener helpers for the TLS and ingress policies. */
import { Props, asBool, asString } from "./props";
import { StackResource, linked } from "./stack";
import { isListener, isLoadBalancer } from "./types";

export function loadBalancerType(props: Props): string {
    return asString(props["loadBalancerType"]) ?? "application";
}

/** internal defaults to false (internet-facing). Unknown counts as internet-facing (stricter). */
export function isInternal(props: Props): boolean {
    return asBool(props["internal"]) === true;
}

/** Listener protocol; AWS defaults to HTTP for Application Load Balancers. */
export function listenerProtocol(props: Props): string {
    return (asString(props["protocol"]) ?? "HTTP").toUpperCase();
}

export function isTlsListener(props: Props): boolean {
    return ["HTTPS", "TLS"].includes(listenerProtocol(props));
}

/** The balancer a listener belongs to (loadBalancerArn dependency/ARN, else the stack's only balancer). */
export function listenerBalancer(listener: StackResource, all: readonly StackResource[]): StackResource | undefined {
    const arn = asString(listener.props["loadBalancerArn"]);
    const found = linked(listener, "loadBalancerArn", arn ? [arn] : [], all, (r) => isLoadBalancer(r.type));
    if (found.length > 0) {
        return found[0];
    }
    const balancers = all.filter((r) => isLoadBalancer(r.type));
    return balancers.length === 1 ? balancers[0] : undefined;
}

export function listenersOf(balancer: StackResource, all: readonly StackResource[]): StackResource[] {
    return all.filter((r) => isListener(r.type) && listenerBalancer(r, all)?.urn === balancer.urn);
}
