/** Security and reliability baseline (DESIGN.md). */
import { Policies } from "@pulumi/policy";
import { elasticacheEncrypted } from "./security/elasticache-encrypted";
import { elasticacheMultiAzProd } from "./security/elasticache-multi-az-prod";
import { imdsv2Required } from "./security/imdsv2-required";
import { lbAccessLogs, lbDeletionProtectionProd, lbDropInvalidHeaders } from "./security/lb-baseline";
import { lbTlsPolicy } from "./security/lb-tls-policy";
import { noOpenIngress } from "./security/no-open-ingress";
import { noPublicIp } from "./security/no-public-ip";
import { prodStatefulProtected } from "./security/prod-stateful-protected";
import { prodBackupCoverage } from "./security/prod-backup-coverage";
import { rdsDeletionProtectionProd } from "./security/rds-deletion-protection-prod";
import { rdsPrivateAndBackedUp } from "./security/rds-private-and-backed-up";
import { storageEncrypted } from "./security/storage-encrypted";
import { vpcFlowLogs } from "./security/vpc-flow-logs";
import { httpRedirectsToHttps, prodRequiresTls, tlsOffOnlyInternal } from "./security/tls-listeners";

export const securityPolicies: Policies = [
    imdsv2Required,
    storageEncrypted,
    noPublicIp,
    rdsPrivateAndBackedUp,
    rdsDeletionProtectionProd,
    prodStatefulProtected,
    prodBackupCoverage,
    noOpenIngress,
    lbTlsPolicy,
    httpRedirectsToHttps,
    tlsOffOnlyInternal,
    prodRequiresTls,
    lbDropInvalidHeaders,
    lbDeletionProtectionProd,
    lbAccessLogs,
    vpcFlowLogs,
    elasticacheEncrypted,
    elasticacheMultiAzProd,
];
