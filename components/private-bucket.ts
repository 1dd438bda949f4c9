import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { resourceTags, Tags } from "./tags";

export interface PrivateBucketArgs {
    /** Deleting a bucket that still holds objects is allowed everywhere but prod. */
    isProd: boolean;
    /** `protect` the bucket itself. */
    protect: boolean;
    /** SSE-KMS with this key; SSE-S3 without one (what ELB log delivery needs). */
    kmsKeyArn?: pulumi.Input<string>;
    tags: Tags;
}

export interface PrivateBucket {
    bucket: aws.s3.Bucket;
    /** Lifecycle rules on noncurrent versions must wait for it. */
    versioning: aws.s3.BucketVersioning;
}

/**
 * The security baseline of every bucket the stack owns, in one place: owner-enforced objects (no
 * ACLs), every public-access block on, encryption by default, and versioning. The caller adds what
 * is its own: lifecycle rules and a bucket policy (with `denyInsecureTransport`).
 */
export function privateBucket(base: string, args: PrivateBucketArgs, parent: pulumi.Resource): PrivateBucket {
    const bucket = new aws.s3.Bucket(base, {
        bucketPrefix: `${base}-`,
        forceDestroy: !args.isProd,
        tags: resourceTags(args.tags, base),
    }, { parent, protect: args.protect });
    new aws.s3.BucketOwnershipControls(`${base}-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, { parent });
    new aws.s3.BucketPublicAccessBlock(`${base}-public-access`, {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
    }, { parent });
    new aws.s3.BucketServerSideEncryptionConfiguration(`${base}-sse`, {
        bucket: bucket.id,
        rules: [args.kmsKeyArn
            ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn }, bucketKeyEnabled: true }
            : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: false }],
    }, { parent });
    const versioning = new aws.s3.BucketVersioning(`${base}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, { parent });
    return { bucket, versioning };
}

/** The bucket-policy statement that refuses every request not made over TLS. */
export function denyInsecureTransport<T>(bucketArn: T, objectsArn: T): { Sid: string; Effect: string; Principal: string; Action: string; Resource: T[]; Condition: { Bool: { "aws:SecureTransport": string } } } {
    return {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, objectsArn],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}
