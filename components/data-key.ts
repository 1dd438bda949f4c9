import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { Environment } from "./config";
import { customerManagedKey } from "./kms-key";
import { resourceName, resourceTags, Tags } from "./tags";

export interface DataKeyArgs {
    environment: Environment;
    tags: Tags;
}

/** Environments whose data (volumes, database, snapshots) is encrypted with their own customer-managed key. */
export const CUSTOMER_MANAGED_KEY_ENVIRONMENTS: readonly Environment[] = ["prod"];

/**
 * The environment's customer-managed KMS key for data at rest: the API nodes' root volumes
 * (launch template), the Qdrant data and root volumes, the pgvector database and the Qdrant
 * snapshot bucket. Unlike the AWS-managed `aws/ebs` and `aws/rds` keys its policy is ours, it
 * rotates yearly, and its use is in CloudTrail under our key id.
 */
export class DataKey extends pulumi.ComponentResource {
    readonly keyArn: pulumi.Output<string>;

    constructor(name: string, args: DataKeyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("memory-spine:security:DataKey", name, {}, opts);
        const parent = { parent: this };
        const base = resourceName(args.environment, "data");
        const account = aws.getCallerIdentityOutput({}, parent).accountId;
        const partition = aws.getPartitionOutput({}, parent).partition;
        // The Auto Scaling service-linked role launches the API nodes; without these grants it
        // cannot create their encrypted root volumes and every launch fails.
        const autoScalingRole = pulumi.interpolate`arn:${partition}:iam::${account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;

        const key = customerManagedKey({ key: base, alias: `${base}-alias` }, {
            description: `Memory Spine ${args.environment} data at rest (EBS, RDS, Qdrant snapshots)`,
            alias: `alias/${base}`,
            grants: [
                {
                    Sid: "AutoScalingUsesKeyForVolumes",
                    Effect: "Allow",
                    Principal: { AWS: autoScalingRole },
                    Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
                    Resource: "*",
                },
                {
                    Sid: "AutoScalingGrantsForVolumes",
                    Effect: "Allow",
                    Principal: { AWS: autoScalingRole },
                    Action: "kms:CreateGrant",
                    Resource: "*",
                    Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
                },
            ],
            tags: resourceTags(args.tags, base),
        }, { parent: this, protect: args.environment === "prod" });

        this.keyArn = key.arn;
        this.registerOutputs({ keyArn: this.keyArn });
    }
}
