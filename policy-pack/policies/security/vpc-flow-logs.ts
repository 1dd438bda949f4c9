/** Security (stack): every VPC the stack creates records its traffic in flow logs. */
import { StackValidationPolicy } from "@pulumi/policy";
import { validateStackWith } from "../lib/policy";
import { asString } from "../lib/props";
import { linked } from "../lib/stack";
import { AWS, describe } from "../lib/types";

export const vpcFlowLogs: StackValidationPolicy = {
    name: "vpc-flow-logs",
    description:
        "Every VPC the stack creates needs a flow log (an aws.ec2.FlowLog whose vpcId is that VPC) so that accepted " +
        "and rejected connections can be reviewed after an incident (AWS Foundational Security Best Practices EC2.6). " +
        "Add one with trafficType \"ALL\"; the program's Networking component does.",
    enforcementLevel: "advisory",
    configSchema: { properties: {} },
    validateStack: validateStackWith({}, (resources, _config, report) => {
        const flowLogs = resources.filter((r) => r.type === AWS.flowLog);
        for (const vpc of resources.filter((r) => r.type === AWS.vpc)) {
            const covered = flowLogs.some((flowLog) => {
                const vpcId = asString(flowLog.props["vpcId"]);
                return linked(flowLog, "vpcId", vpcId ? [vpcId] : [], resources, (r) => r.urn === vpc.urn).length > 0;
            });
            if (!covered) {
                report(`${describe(vpc)} has no flow log: add an aws.ec2.FlowLog with vpcId set to it and trafficType "ALL".`, vpc.urn);
            }
        }
    }),
};
