import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { Environment } from "./config";
import { resourceName, resourceTags, Tags } from "./tags";

export interface ApiCertificateArgs {
    environment: Environment;
    domainName: string;
    /** With a zone the validation records are created and the certificate is awaited. */
    hostedZoneId?: string;
    tags: Tags;
}

/**
 * A DNS-validated ACM certificate for the API's domain. With a Route 53 zone the validation
 * records are written and the deployment waits until ACM issues the certificate; without one
 * the records are exposed as `validationRecords` for whoever runs the zone.
 */
export class ApiCertificate extends pulumi.ComponentResource {
    /** ARN to put on the listener: the validated one when validation is awaited. */
    readonly certificateArn: pulumi.Output<string>;
    readonly validationRecords: pulumi.Output<{ name: string; type: string; value: string }[]>;

    constructor(name: string, args: ApiCertificateArgs, opts?: pulumi.ComponentResourceOptions) {
        super("memory-spine:tls:ApiCertificate", name, {}, opts);
        const parent = { parent: this };
        const certificateName = resourceName(args.environment, "cert");

        const certificate = new aws.acm.Certificate(certificateName, {
            domainName: args.domainName,
            validationMethod: "DNS",
            keyAlgorithm: "RSA_2048",
            tags: resourceTags(args.tags, certificateName),
        }, parent);

        this.validationRecords = certificate.domainValidationOptions.apply((options) =>
            options.map((o) => ({ name: o.resourceRecordName, type: o.resourceRecordType, value: o.resourceRecordValue })));

        if (args.hostedZoneId) {
            const record = new aws.route53.Record(`${certificateName}-validation`, {
                zoneId: args.hostedZoneId,
                name: certificate.domainValidationOptions[0].resourceRecordName,
                type: certificate.domainValidationOptions[0].resourceRecordType,
                records: [certificate.domainValidationOptions[0].resourceRecordValue],
                ttl: 300,
                allowOverwrite: true,
            }, parent);
            const validation = new aws.acm.CertificateValidation(`${certificateName}-validation`, {
                certificateArn: certificate.arn,
                validationRecordFqdns: [record.fqdn],
            }, parent);
            this.certificateArn = validation.certificateArn;
        } else {
            this.certificateArn = certificate.arn;
        }

        this.registerOutputs({ certificateArn: this.certificateArn, validationRecords: this.validationRecords });
    }
}
