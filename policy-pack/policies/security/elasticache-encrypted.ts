/** Security: every ElastiCache cache is encrypted at rest and in transit and demands authentication. */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { validateTypes } from "../lib/policy";
import { asArray, asBool, asString, isRecord, isUnknown, rawProps, show } from "../lib/props";
import { AWS, ResourceView, describe } from "../lib/types";

/** Known to be set: a non-empty string, a secret (the token itself is never shown), or unknown until apply. */
function isGiven(value: unknown): boolean {
    return isUnknown(value) || isRecord(value) || (typeof value === "string" && value !== "") || typeof value === "number";
}

function checkReplicationGroup(r: ResourceView, report: (message: string) => void): void {
    const p = r.props;
    const engine = asString(p["engine"]) ?? "redis";
    const atRest = p["atRestEncryptionEnabled"];
    // The provider defaults at-rest encryption on for valkey and off for redis: unset only passes for valkey.
    if (!isUnknown(atRest) && asBool(atRest) !== true && !(atRest === undefined && engine === "valkey")) {
        report(`${describe(r)} has atRestEncryptionEnabled ${show(atRest)}: set atRestEncryptionEnabled: true.`);
    }
    const transit = p["transitEncryptionEnabled"];
    if (!isUnknown(transit) && asBool(transit) !== true) {
        report(`${describe(r)} has transitEncryptionEnabled ${show(transit)}: set transitEncryptionEnabled: true (TLS).`);
    }
    const mode = p["transitEncryptionMode"];
    if (asString(mode) !== undefined && asString(mode) !== "required") {
        report(`${describe(r)} has transitEncryptionMode ${show(mode)}: set it to "required" ("preferred" still accepts plain-text clients).`);
    }
    // Presence is all this needs: a token or user group unknown at preview is set (raw reads, so
    // they do not count as undecided; lib/unknowns.ts).
    const raw = rawProps(p);
    const authenticated = isGiven(raw["authToken"]) || isGiven(raw["authTokenWo"]) || isUnknown(raw["userGroupIds"]) || asArray(raw["userGroupIds"]).length > 0;
    if (!authenticated) {
        report(`${describe(r)} accepts clients without authentication: set authToken (a secret) or userGroupIds (RBAC).`);
    }
}

function checkServerlessCache(r: ResourceView, report: (message: string) => void): void {
    // Serverless caches are always encrypted at rest and in transit; authentication is an RBAC user group.
    const engine = asString(r.props["engine"]);
    if (engine === "memcached") {
        report(`${describe(r)} runs memcached, which offers no authentication: use engine valkey with a userGroupId.`);
        return;
    }
    if (!isGiven(r.props["userGroupId"])) {
        report(`${describe(r)} has userGroupId not set: give it an RBAC user group so that clients must authenticate.`);
    }
}

export const elasticacheEncrypted: ResourceValidationPolicy = {
    name: "elasticache-encrypted",
    description:
        "Every ElastiCache replication group is encrypted at rest (atRestEncryptionEnabled true; unset passes only for " +
        "valkey, whose provider default is on) and in transit (transitEncryptionEnabled true, transitEncryptionMode not " +
        "\"preferred\") and authenticates clients (authToken/authTokenWo or userGroupIds). Every serverless cache " +
        "(always encrypted) has an RBAC userGroupId; serverless memcached cannot authenticate and is refused.",
    enforcementLevel: "mandatory",
    configSchema: { properties: {} },
    validateResource: validateTypes([AWS.elasticacheReplicationGroup, AWS.elasticacheServerlessCache], {}, (r, _config, report) => {
        if (r.type === AWS.elasticacheReplicationGroup) {
            checkReplicationGroup(r, report);
        } else {
            checkServerlessCache(r, report);
        }
    }),
};
