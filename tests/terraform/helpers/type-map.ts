/**
 * Resource parity between the two forms: which Terraform module holds each Pulumi component's
 * resources, and the Terraform type of every Pulumi type token the program registers.
 * A token missing here fails the parity test, so a new resource cannot slip into one form only.
 */
export const COMPONENT_MODULES: Record<string, string> = {
    "memory-spine:network:Networking": "networking",
    "memory-spine:network:ApiSecurityGroups": "memory-spine",
    "memory-spine:cluster:MemorySpineCluster": "memory-spine",
    "memory-spine:data:VectorStore": "vector-store",
    "memory-spine:data:KeyValueStore": "kv-store",
    "memory-spine:secrets:VaultSecrets": "secrets",
    "memory-spine:monitoring:Monitoring": "monitoring",
    "memory-spine:security:DataKey": "data-key",
    "memory-spine:backup:Backups": "backup",
};

/**
 * Terraform types kept in another module than the Pulumi component that registers them, each for
 * a reason. random_password (Qdrant's API key, VectorStore in Pulumi) lives in the secrets module:
 * the random and vault providers are not available offline, so only the secrets module may need
 * them and every other module is validated and plan-tested with the AWS provider alone.
 */
export const TERRAFORM_MODULE_OVERRIDES: Record<string, { module: string; reason: string }> = {
    random_password: { module: "secrets", reason: "only the secrets module needs providers other than aws (offline validate and plan tests)" },
};

export const TERRAFORM_TYPES: Record<string, string> = {
    "aws:ec2/vpc:Vpc": "aws_vpc",
    "aws:ec2/subnet:Subnet": "aws_subnet",
    "aws:ec2/internetGateway:InternetGateway": "aws_internet_gateway",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "aws_default_security_group",
    "aws:ec2/eip:Eip": "aws_eip",
    "aws:ec2/natGateway:NatGateway": "aws_nat_gateway",
    "aws:ec2/routeTable:RouteTable": "aws_route_table",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "aws_route_table_association",
    "aws:ec2/flowLog:FlowLog": "aws_flow_log",
    "aws:cloudwatch/logGroup:LogGroup": "aws_cloudwatch_log_group",
    "aws:ec2/securityGroup:SecurityGroup": "aws_security_group",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "aws_vpc_security_group_ingress_rule",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "aws_vpc_security_group_egress_rule",
    "aws:iam/role:Role": "aws_iam_role",
    "aws:iam/rolePolicy:RolePolicy": "aws_iam_role_policy",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "aws_iam_role_policy_attachment",
    "aws:iam/instanceProfile:InstanceProfile": "aws_iam_instance_profile",
    "aws:ec2/launchTemplate:LaunchTemplate": "aws_launch_template",
    "aws:autoscaling/group:Group": "aws_autoscaling_group",
    "aws:autoscaling/policy:Policy": "aws_autoscaling_policy",
    "aws:autoscaling/schedule:Schedule": "aws_autoscaling_schedule",
    "aws:lb/loadBalancer:LoadBalancer": "aws_lb",
    "aws:lb/targetGroup:TargetGroup": "aws_lb_target_group",
    "aws:lb/listener:Listener": "aws_lb_listener",
    "aws:acm/certificate:Certificate": "aws_acm_certificate",
    "aws:acm/certificateValidation:CertificateValidation": "aws_acm_certificate_validation",
    "aws:route53/record:Record": "aws_route53_record",
    "aws:s3/bucket:Bucket": "aws_s3_bucket",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": "aws_s3_bucket_ownership_controls",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "aws_s3_bucket_public_access_block",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": "aws_s3_bucket_server_side_encryption_configuration",
    "aws:s3/bucketVersioning:BucketVersioning": "aws_s3_bucket_versioning",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": "aws_s3_bucket_lifecycle_configuration",
    "aws:s3/bucketPolicy:BucketPolicy": "aws_s3_bucket_policy",
    "aws:ec2/instance:Instance": "aws_instance",
    "aws:ebs/volume:Volume": "aws_ebs_volume",
    "aws:ec2/volumeAttachment:VolumeAttachment": "aws_volume_attachment",
    "aws:ssm/parameter:Parameter": "aws_ssm_parameter",
    "aws:rds/subnetGroup:SubnetGroup": "aws_db_subnet_group",
    "aws:rds/parameterGroup:ParameterGroup": "aws_db_parameter_group",
    "aws:rds/instance:Instance": "aws_db_instance",
    "aws:elasticache/subnetGroup:SubnetGroup": "aws_elasticache_subnet_group",
    "aws:elasticache/parameterGroup:ParameterGroup": "aws_elasticache_parameter_group",
    "aws:elasticache/replicationGroup:ReplicationGroup": "aws_elasticache_replication_group",
    "random:index/randomPassword:RandomPassword": "random_password",
    "vault:index/mount:Mount": "vault_mount",
    "vault:kv/secretV2:SecretV2": "vault_kv_secret_v2",
    "vault:index/policy:Policy": "vault_policy",
    "vault:index/authBackend:AuthBackend": "vault_auth_backend",
    "vault:appRole/authBackendRole:AuthBackendRole": "vault_approle_auth_backend_role",
    "vault:aws/authBackendRole:AuthBackendRole": "vault_aws_auth_backend_role",
    "aws:sns/topic:Topic": "aws_sns_topic",
    "aws:sns/topicPolicy:TopicPolicy": "aws_sns_topic_policy",
    "aws:sns/topicSubscription:TopicSubscription": "aws_sns_topic_subscription",
    "aws:kms/key:Key": "aws_kms_key",
    "aws:kms/alias:Alias": "aws_kms_alias",
    "aws:cloudwatch/metricAlarm:MetricAlarm": "aws_cloudwatch_metric_alarm",
    "aws:cloudwatch/dashboard:Dashboard": "aws_cloudwatch_dashboard",
    "aws:amp/workspace:Workspace": "aws_prometheus_workspace",
    "aws:amp/ruleGroupNamespace:RuleGroupNamespace": "aws_prometheus_rule_group_namespace",
    "aws:amp/alertManagerDefinition:AlertManagerDefinition": "aws_prometheus_alert_manager_definition",
    "aws:grafana/workspace:Workspace": "aws_grafana_workspace",
    "aws:budgets/budget:Budget": "aws_budgets_budget",
    "aws:route53/zone:Zone": "aws_route53_zone",
    "aws:lb/targetGroupAttachment:TargetGroupAttachment": "aws_lb_target_group_attachment",
    "aws:backup/vault:Vault": "aws_backup_vault",
    "aws:backup/plan:Plan": "aws_backup_plan",
    "aws:backup/selection:Selection": "aws_backup_selection",
    "aws:cloudwatch/eventRule:EventRule": "aws_cloudwatch_event_rule",
    "aws:cloudwatch/eventTarget:EventTarget": "aws_cloudwatch_event_target",
};
