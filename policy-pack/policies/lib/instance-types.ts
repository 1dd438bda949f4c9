/** EC2/RDS instance type parsing shared by the cost policies. */
import { AWS, ResourceView } from "./types";
import { asArray, asRecord, asString, getPath } from "./props";

/** `g4dn.xlarge` -> series "g", generation 4, attributes "dn", size "xlarge". */
export interface ParsedInstanceType {
    /** Lower-cased type without the RDS `db.` prefix, e.g. "p4d.24xlarge". */
    type: string;
    /** The family part before the generation digit: "p", "g", "inf", "trn", "dl", "m", "r". */
    series: string;
    generation: number;
    /** Letters after the generation digit ("d", "dn", "g", "i"). */
    attributes: string;
    size: string;
}

const INSTANCE_TYPE = /^([a-z]+)(\d+)([a-z0-9-]*)\.([a-z0-9-]+)$/;

/** Removes the RDS `db.` prefix: db.p4d.24xlarge -> p4d.24xlarge. */
export function stripDbPrefix(instanceClass: string): string {
    return instanceClass.toLowerCase().replace(/^db\./, "");
}

export function parseInstanceType(instanceType: string): ParsedInstanceType | undefined {
    const type = stripDbPrefix(instanceType.trim());
    const m = INSTANCE_TYPE.exec(type);
    if (!m) {
        return undefined;
    }
    return { type, series: m[1], generation: Number(m[2]), attributes: m[3], size: m[4] };
}

/**
 * True when the type's series (the family part before the generation digit) equals one of the
 * prefixes: "g" matches g4dn/g5/g6 but not m6g (series "m") nor gr6 (series "gr").
 */
export function isAcceleratorType(instanceType: string, familyPrefixes: readonly string[]): boolean {
    const parsed = parseInstanceType(instanceType);
    if (parsed === undefined) {
        return false;
    }
    return familyPrefixes.some((p) => p.toLowerCase() === parsed.series);
}

/** One place a resource names an instance type. */
export interface InstanceTypeUse {
    /** Property path, for messages: "instanceType", "instanceClass", "mixedInstancesPolicy...". */
    property: string;
    /** The value as written (RDS keeps its `db.` prefix). */
    value: string;
    /** Normalised EC2 type (no `db.` prefix, lower case). */
    instanceType: string;
}

/** Resource types that name the instance types they launch (see instanceTypeUses). */
export const INSTANCE_TYPE_BEARING_TYPES: readonly string[] = [
    AWS.launchTemplate,
    AWS.launchConfiguration,
    AWS.ec2Instance,
    AWS.spotInstanceRequest,
    AWS.autoscalingGroup,
    AWS.eksNodeGroup,
    AWS.rdsInstance,
    AWS.rdsClusterInstance,
    AWS.rdsCluster,
];

/** The instance types a resource would launch (unknown values are skipped). */
export function instanceTypeUses(r: ResourceView): InstanceTypeUse[] {
    const uses: InstanceTypeUse[] = [];
    const add = (property: string, raw: unknown): void => {
        const value = asString(raw);
        if (value !== undefined && value.trim() !== "") {
            uses.push({ property, value, instanceType: stripDbPrefix(value.trim()) });
        }
    };
    switch (r.type) {
        case AWS.launchTemplate:
        case AWS.launchConfiguration:
        case AWS.ec2Instance:
        case AWS.spotInstanceRequest:
            add("instanceType", r.props["instanceType"]);
            break;
        case AWS.rdsInstance:
        case AWS.rdsClusterInstance:
            add("instanceClass", r.props["instanceClass"]);
            break;
        case AWS.rdsCluster:
            // Multi-AZ DB clusters name their instances' class on the cluster itself.
            add("dbClusterInstanceClass", r.props["dbClusterInstanceClass"]);
            break;
        case AWS.eksNodeGroup:
            asArray(r.props["instanceTypes"]).forEach((t, i) => add(`instanceTypes[${i}]`, t));
            break;
        case AWS.autoscalingGroup: {
            const overrides = asArray(getPath(r.props, "mixedInstancesPolicy.launchTemplate.overrides"));
            overrides.forEach((o, i) =>
                add(`mixedInstancesPolicy.launchTemplate.overrides[${i}].instanceType`, asRecord(o)?.["instanceType"]),
            );
            break;
        }
        default:
            break;
    }
    return uses;
}
