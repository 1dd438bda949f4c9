import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { Environment } from "./config";
import { denyInsecureTransport, privateBucket } from "./private-bucket";
import { resourceName, Tags } from "./tags";
import { snapshotRetention } from "./backup-retention";

export interface QdrantSnapshotBucketArgs {
    environment: Environment;
    /** Customer-managed key for SSE-KMS (prod); SSE-S3 without one. */
    kmsKeyArn?: pulumi.Input<string>;
    tags: Tags;
}

/** Key prefixes the nodes write under; each expires with its own retention. */
export const SNAPSHOT_PREFIXES = { daily: "daily/", monthly: "monthly/" } as const;

/**
 * The environment's bucket for Qdrant's own snapshots: versioned, encrypted, private,
 * TLS-only, with daily snapshots expiring after the daily retention and (prod) the monthly
 * ones after a year. `writePolicy` is the least a node needs to upload them.
 */
export class QdrantSnapshotBucket extends pulumi.ComponentResource {
    readonly bucketName: pulumi.Output<string>;
    readonly bucketArn: pulumi.Output<string>;

    constructor(name: string, args: QdrantSnapshotBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("memory-spine:data:QdrantSnapshotBucket", name, {}, opts);
        const parent = { parent: this };
        const base = resourceName(args.environment, "qdrant-snapshots");
        const retention = snapshotRetention(args.environment);
        const isProd = args.environment === "prod";

        const { bucket, versioning } = privateBucket(base, { isProd, protect: isProd, kmsKeyArn: args.kmsKeyArn, tags: args.tags }, this);

        const rule = (id: string, prefix: string, days: number) => ({
            id,
            status: "Enabled",
            filter: { prefix },
            expiration: { days },
            // An overwritten or deleted snapshot stays recoverable for a week, then goes.
            noncurrentVersionExpiration: { noncurrentDays: 7 },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
        });
        const rules = [rule("expire-daily-snapshots", SNAPSHOT_PREFIXES.daily, retention.dailyDays)];
        if (retention.monthlyDays !== undefined) {
            rules.push(rule("expire-monthly-snapshots", SNAPSHOT_PREFIXES.monthly, retention.monthlyDays));
        }
        new aws.s3.BucketLifecycleConfiguration(`${base}-lifecycle`, { bucket: bucket.id, rules }, { parent: this, dependsOn: [versioning] });

        new aws.s3.BucketPolicy(`${base}-policy`, {
            bucket: bucket.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [denyInsecureTransport(bucket.arn, pulumi.interpolate`${bucket.arn}/*`)],
            }),
        }, parent);

        this.bucketName = bucket.bucket;
        this.bucketArn = bucket.arn;
        this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
    }
}

/**
 * What a Qdrant node may do with the bucket: put objects under the snapshot prefixes, nothing
 * else (no read, no delete, no listing: restores are an operator's job), plus the data key.
 */
export function snapshotWritePolicy(bucketArn: pulumi.Input<string>, kmsKeyArn?: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.all([bucketArn, kmsKeyArn]).apply(([arn, key]) => JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            { Sid: "PutSnapshots", Effect: "Allow", Action: "s3:PutObject", Resource: Object.values(SNAPSHOT_PREFIXES).map((p) => `${arn}/${p}*`) },
            ...(key ? [{ Sid: "EncryptSnapshots", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: key }] : []),
        ],
    }));
}
