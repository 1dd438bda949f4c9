import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { Environment } from "./config";
import { denyInsecureTransport, privateBucket } from "./private-bucket";
import { resourceName, Tags } from "./tags";

export interface AccessLogBucketArgs {
    environment: Environment;
    /** Key prefix the balancer writes under. */
    prefix: string;
    /** Days before a log object expires. */
    retentionDays: number;
    tags: Tags;
}

/**
 * S3 bucket for the balancer's access logs. SSE-S3 because the ELB log-delivery service
 * cannot write with KMS keys; versioned, private, owner-enforced, expiring, and writable
 * only by the region's ELB log-delivery principals.
 */
export class AccessLogBucket extends pulumi.ComponentResource {
    readonly bucketName: pulumi.Output<string>;
    readonly prefix: string;
    /** The bucket policy: the balancer must wait for it, or AWS rejects the log configuration. */
    readonly policy: aws.s3.BucketPolicy;

    constructor(name: string, args: AccessLogBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("memory-spine:logging:AccessLogBucket", name, {}, opts);
        const parent = { parent: this };
        const bucketName = resourceName(args.environment, "alb-logs");

        const isProd = args.environment === "prod";
        const { bucket } = privateBucket(bucketName, { isProd, protect: false, tags: args.tags }, this);

        new aws.s3.BucketLifecycleConfiguration(`${bucketName}-lifecycle`, {
            bucket: bucket.id,
            rules: [{
                id: "expire-access-logs",
                status: "Enabled",
                filter: { prefix: `${args.prefix}/` },
                expiration: { days: args.retentionDays },
                noncurrentVersionExpiration: { noncurrentDays: 7 },
                abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
            }],
        }, parent);

        const account = aws.getCallerIdentityOutput({}, parent);
        // Regions older than August 2022 deliver logs from a regional ELB account, newer ones
        // from the log-delivery service principal; granting both works in every region.
        const elbAccount = aws.elb.getServiceAccountOutput({}, parent);
        const policyDocument = pulumi
            .all([bucket.arn, account.accountId, elbAccount.arn])
            .apply(([bucketArn, accountId, elbAccountArn]) => JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "AllowElbLogDeliveryAccount",
                        Effect: "Allow",
                        Principal: { AWS: elbAccountArn },
                        Action: "s3:PutObject",
                        Resource: `${bucketArn}/${args.prefix}/AWSLogs/${accountId}/*`,
                    },
                    {
                        Sid: "AllowElbLogDeliveryService",
                        Effect: "Allow",
                        Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
                        Action: "s3:PutObject",
                        Resource: `${bucketArn}/${args.prefix}/AWSLogs/${accountId}/*`,
                    },
                    denyInsecureTransport(bucketArn, `${bucketArn}/*`),
                ],
            }));

        this.policy = new aws.s3.BucketPolicy(`${bucketName}-policy`, {
            bucket: bucket.id,
            policy: policyDocument,
        }, parent);

        this.bucketName = bucket.bucket;
        this.prefix = args.prefix;
        this.registerOutputs({ bucketName: this.bucketName });
    }
}
