import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "@cdktf/hcl2json";
import {
    ENVIRONMENTS,
    HclBody,
    REPO_ROOT,
    TerraformModule,
    TerraformTree,
    blocks,
    environmentFile,
    expressionText,
    firstBlock,
    loadTerraform,
    requireModule,
    requireResource,
    stringsIn,
    hclText,
} from "./helpers/terraform";
import { FLOW_LOG_RETENTION_DAYS } from "../../components/vpc-flow-logs";

/** The single nested block `name` of a body (throws when absent, naming the path). */
function block(body: HclBody | undefined, name: string, where: string): HclBody {
    const found = body ? firstBlock(body[name]) : undefined;
    if (!found) {
        throw new Error(`${where}: no ${name} block`);
    }
    return found;
}

describe("terraform: security and reliability settings", function () {
    let tree: TerraformTree;
    let spine: TerraformModule;
    let store: TerraformModule;
    let secrets: TerraformModule;

    before(async function () {
        tree = await loadTerraform();
        spine = requireModule(tree, "memory-spine");
        store = requireModule(tree, "vector-store");
        secrets = requireModule(tree, "secrets");
    });

    describe("instances and launch templates", function () {
        it("require IMDSv2 tokens with a hop limit of at most 2 everywhere", function () {
            const machines = [...tree.modules.values()].flatMap((m) =>
                [...m.resources].filter(([address]) => /^aws_(instance|launch_template)\./.test(address)).map(([address, body]) => ({ where: `${m.dir}: ${address}`, body })),
            );
            expect(machines.map((m) => m.where)).to.have.lengthOf(2);
            for (const { where, body } of machines) {
                const metadata = block(body, "metadata_options", where);
                expect(metadata.http_tokens, where).to.equal("required");
                expect(metadata.http_endpoint, where).to.equal("enabled");
                expect(metadata.http_put_response_hop_limit, where).to.be.oneOf([1, 2]);
            }
        });

        it("never give nodes a public address and encrypt every volume", function () {
            const template = requireResource(spine, "aws_launch_template.this");
            expect(block(template, "network_interfaces", "launch template").associate_public_ip_address).to.equal(false);
            expect(template.vpc_security_group_ids, "security groups belong on the interface").to.equal(undefined);
            const mapping = block(template, "block_device_mappings", "launch template");
            expect(mapping.device_name).to.equal("/dev/sda1");
            const ebs = block(mapping, "ebs", "launch template block device");
            expect(ebs).to.include({ volume_type: "gp3", encrypted: true });
            expect(ebs.volume_size).to.equal("${local.is_prod ? 200 : 50}");
            expect(blocks(template, "tag_specifications").map((t) => t.resource_type)).to.include.members(["instance", "volume"]);

            const qdrant = requireResource(store, "aws_instance.qdrant");
            expect(qdrant.associate_public_ip_address).to.equal(false);
            expect(block(qdrant, "root_block_device", "qdrant").encrypted).to.equal(true);
            expect(qdrant.volume_tags, "volume_tags would fight the data volume's own tags").to.equal(undefined);
            expect(requireResource(store, "aws_ebs_volume.qdrant_data")).to.include({ encrypted: true, type: "gp3", final_snapshot: "${local.is_prod}" });
        });

        it("boots Canonical's Ubuntu 24.04 LTS: the release ubuntu_ami_release pins, else the newest", function () {
            for (const module of [spine, store]) {
                const ami = module.dataSources.get("aws_ami.ubuntu");
                expect(ami?.owners, module.dir).to.deep.equal(["099720109477"]);
                expect(ami?.most_recent).to.equal(true);
                const nameFilter = blocks(ami ?? {}, "filter").find((f) => f.name === "name");
                // The parser renders `x == "" ? "*" : x` inside a string as an %{if} directive.
                expect(nameFilter?.values).to.deep.equal([
                    'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-${local.ami_architecture}-server-%{if var.ubuntu_ami_release == ""}*%{else}${var.ubuntu_ami_release}%{endif}',
                ]);
                expect(module.variables.has("ubuntu_ami_release"), module.dir).to.equal(true);
            }
        });
    });

    describe("Auto Scaling group", function () {
        it("rolls new launch template versions out by number, never $Latest", function () {
            const group = requireResource(spine, "aws_autoscaling_group.this");
            const launchTemplate = block(group, "launch_template", "ASG");
            expect(launchTemplate.version).to.equal("${aws_launch_template.this.latest_version}");
            const values = [...spine.resources.values()].flatMap((r) => stringsIn(r));
            expect(values.filter((v) => v.includes("$Latest") || v.includes("$Default"))).to.deep.equal([]);
            const refresh = block(group, "instance_refresh", "ASG");
            expect(refresh.strategy).to.equal("Rolling");
            expect(block(refresh, "preferences", "instance refresh").min_healthy_percentage).to.be.at.least(90);
        });

        it("spreads over the private subnets with ELB health checks and the reference's bounds", function () {
            const group = requireResource(spine, "aws_autoscaling_group.this");
            expect(group).to.include({
                desired_capacity: "${var.instance_count}",
                min_size: "${local.min_size}",
                max_size: "${local.max_size}",
                vpc_zone_identifier: "${var.private_subnet_ids}",
                health_check_type: "ELB",
                health_check_grace_period: 300,
            });
            expect(expressionText(spine.locals.get("min_size"))).to.equal("local.is_prod ? 2 : 1");
            expect(expressionText(spine.locals.get("max_size"))).to.equal("3 * var.instance_count");
        });

        it("scales on CPU, and to zero off-hours outside prod only", function () {
            const policy = requireResource(spine, "aws_autoscaling_policy.cpu_target");
            const tracking = block(policy, "target_tracking_configuration", "scaling policy");
            expect(tracking.target_value).to.equal("${var.target_cpu_utilization}");
            expect(block(tracking, "predefined_metric_specification", "tracking").predefined_metric_type).to.equal("ASGAverageCPUUtilization");
            const down = requireResource(spine, "aws_autoscaling_schedule.scale_down");
            const up = requireResource(spine, "aws_autoscaling_schedule.scale_up");
            for (const schedule of [down, up]) {
                expect(schedule.count).to.equal("${local.is_prod ? 0 : 1}");
                expect(schedule.time_zone).to.equal("${var.schedule_time_zone}");
            }
            expect(down).to.include({ min_size: 0, desired_capacity: 0, recurrence: "${var.scale_down_cron}" });
            expect(up).to.include({ min_size: "${local.min_size}", desired_capacity: "${var.instance_count}", recurrence: "${var.scale_up_cron}" });
        });
    });

    describe("load balancer", function () {
        it("terminates TLS 1.2+ with the required policy and redirects HTTP to HTTPS", function () {
            const https = requireResource(spine, "aws_lb_listener.https");
            expect(https).to.include({ port: 443, protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06", certificate_arn: "${local.certificate_arn}" });
            const redirect = requireResource(spine, "aws_lb_listener.http_redirect");
            const action = block(redirect, "default_action", "redirect listener");
            expect(action.type).to.equal("redirect");
            expect(block(action, "redirect", "redirect action")).to.deep.equal({ port: "443", protocol: "HTTPS", status_code: "HTTP_301" });
            const certificate = expressionText(spine.locals.get("certificate_arn")) ?? "";
            expect(certificate).to.contain("var.certificate_arn").and.contain("aws_acm_certificate_validation.api[0].certificate_arn");
            expect(requireResource(spine, "aws_acm_certificate.api").validation_method).to.equal("DNS");
        });

        it("drops invalid headers, is internal outside prod and deletion-protected in prod", function () {
            const lb = requireResource(spine, "aws_lb.this");
            expect(lb).to.include({
                load_balancer_type: "application",
                internal: "${local.internal}",
                drop_invalid_header_fields: true,
                enable_deletion_protection: "${local.is_prod}",
            });
            expect(lb.security_groups).to.deep.equal(["${aws_security_group.balancer.id}"]);
        });

        it("health-checks /health on the API port with the reference's thresholds", function () {
            const group = requireResource(spine, "aws_lb_target_group.this");
            expect(group).to.include({ port: "${local.api_port}", protocol: "HTTP", deregistration_delay: 30 });
            expect(expressionText(spine.locals.get("api_port"))).to.equal(undefined);
            expect(spine.locals.get("api_port")).to.equal(8788);
            expect(block(group, "health_check", "target group")).to.include({
                path: "/health",
                interval: 15,
                timeout: 5,
                healthy_threshold: 2,
                unhealthy_threshold: 3,
                matcher: "200",
            });
        });

        it("writes access logs in staging and prod to a private, versioned, SSE-S3, expiring bucket", function () {
            expect(expressionText(spine.locals.get("access_logs_enabled"))).to.equal('var.environment != "dev"');
            const sse = block(requireResource(spine, "aws_s3_bucket_server_side_encryption_configuration.access_logs"), "rule", "SSE");
            expect(block(sse, "apply_server_side_encryption_by_default", "SSE rule").sse_algorithm).to.equal("AES256");
            expect(block(requireResource(spine, "aws_s3_bucket_versioning.access_logs"), "versioning_configuration", "versioning").status).to.equal("Enabled");
            expect(requireResource(spine, "aws_s3_bucket_public_access_block.access_logs")).to.include({
                block_public_acls: true,
                block_public_policy: true,
                ignore_public_acls: true,
                restrict_public_buckets: true,
            });
            expect(block(requireResource(spine, "aws_s3_bucket_ownership_controls.access_logs"), "rule", "ownership").object_ownership).to.equal("BucketOwnerEnforced");
            const lifecycle = block(requireResource(spine, "aws_s3_bucket_lifecycle_configuration.access_logs"), "rule", "lifecycle");
            expect(block(lifecycle, "expiration", "lifecycle rule").days).to.equal("${local.access_log_days}");
            const statements = blocks(spine.dataSources.get("aws_iam_policy_document.access_logs") ?? {}, "statement");
            const principals = statements.flatMap((s) => blocks(s, "principals")).flatMap((p) => (Array.isArray(p.identifiers) ? p.identifiers : []));
            expect(principals).to.include.members(["${data.aws_elb_service_account.current.arn}", "logdelivery.elasticloadbalancing.amazonaws.com"]);
        });
    });

    describe("security groups", function () {
        it("declares rules as separate resources, never inline", function () {
            for (const module of tree.modules.values()) {
                for (const [address, body] of module.resources) {
                    if (address.startsWith("aws_security_group.")) {
                        expect(body.ingress, `${module.dir}: ${address}`).to.equal(undefined);
                        expect(body.egress, `${module.dir}: ${address}`).to.equal(undefined);
                    }
                }
                expect([...module.resources.keys()].some((a) => a.startsWith("aws_security_group_rule.")), module.dir).to.equal(false);
            }
        });

        it("lets the nodes be reached on 8788 from the balancer group only", function () {
            const ingress = [...spine.resources].filter(([a]) => a.startsWith("aws_vpc_security_group_ingress_rule."));
            const toNodes = ingress.filter(([, r]) => r.security_group_id === "${aws_security_group.node.id}");
            expect(toNodes).to.have.lengthOf(1);
            expect(toNodes[0][1]).to.include({
                from_port: "${local.api_port}",
                to_port: "${local.api_port}",
                ip_protocol: "tcp",
                referenced_security_group_id: "${aws_security_group.balancer.id}",
            });
            const balancerOut = requireResource(spine, "aws_vpc_security_group_egress_rule.balancer_to_nodes");
            expect(balancerOut.referenced_security_group_id).to.equal("${aws_security_group.node.id}");
            expect(balancerOut.cidr_ipv4).to.equal(undefined);
        });

        it("admits clients on the listener ports from the allowed CIDRs only", function () {
            const clients = requireResource(spine, "aws_vpc_security_group_ingress_rule.balancer_clients");
            expect(clients.for_each).to.equal("${local.balancer_ingress}");
            expect(clients.cidr_ipv4).to.equal("${each.value.cidr}");
            expect(expressionText(spine.locals.get("balancer_ingress"))).to.contain("setproduct(local.client_ports, var.allowed_cidr_blocks)");
            expect(expressionText(spine.locals.get("client_ports"))).to.equal("var.enable_tls ? [443, 80] : [80]");
        });

        it("opens nothing to 0.0.0.0/0 on the way in, and the store to the node group only", function () {
            for (const module of tree.modules.values()) {
                for (const [address, body] of module.resources) {
                    if (address.startsWith("aws_vpc_security_group_ingress_rule.")) {
                        expect(JSON.stringify(body), `${module.dir}: ${address}`).to.not.match(/0\.0\.0\.0\/0|::\/0/);
                    }
                }
            }
            const storeIn = requireResource(store, "aws_vpc_security_group_ingress_rule.store_from_nodes");
            expect(storeIn.referenced_security_group_id).to.equal("${var.node_security_group_id}");
            expect(expressionText(store.locals.get("store_ports"))).to.match(/"6333" = local\.qdrant_http_port, "6334" = local\.qdrant_grpc_port.*"5432" = local\.postgres_port/);
            const nodeToStore = requireResource(spine, "aws_vpc_security_group_egress_rule.node_vector_store");
            expect(nodeToStore.cidr_ipv4, "store ports stay inside the VPC").to.equal("${var.vpc_cidr}");
        });
    });

    describe("network", function () {
        it("logs all VPC traffic to a group kept as long as the Pulumi program keeps it, through a role bound to this account", function () {
            const network = requireModule(tree, "networking");
            const flowLog = requireResource(network, "aws_flow_log.this");
            expect(flowLog).to.include({
                count: "${local.create_vpc ? 1 : 0}",
                vpc_id: "${aws_vpc.this[0].id}",
                traffic_type: "ALL",
                log_destination_type: "cloud-watch-logs",
                log_destination: "${aws_cloudwatch_log_group.flow_logs[0].arn}",
                iam_role_arn: "${aws_iam_role.flow_logs[0].arn}",
            });
            const group = requireResource(network, "aws_cloudwatch_log_group.flow_logs");
            expect(group.retention_in_days).to.equal("${local.flow_log_retention_days}");
            const retention = expressionText(network.locals.get("flow_log_retention_days"));
            for (const [env, days] of Object.entries(FLOW_LOG_RETENTION_DAYS)) {
                expect(retention, env).to.match(new RegExp(`\\b${env}\\s*=\\s*${days}\\b`));
            }
            const trust = block(network.dataSources.get("aws_iam_policy_document.flow_logs_assume_role"), "statement", "flow logs trust");
            expect(block(trust, "principals", "flow logs trust").identifiers).to.deep.equal(["vpc-flow-logs.amazonaws.com"]);
            expect(blocks(trust, "condition").map((c) => c.variable)).to.deep.equal(["aws:SourceAccount", "aws:SourceArn"]);
            const write = blocks(network.dataSources.get("aws_iam_policy_document.flow_logs_write") ?? {}, "statement");
            expect(write.find((st) => st.sid === "WriteThisGroup")?.resources).to.deep.equal([
                "${aws_cloudwatch_log_group.flow_logs[0].arn}",
                "${aws_cloudwatch_log_group.flow_logs[0].arn}:*",
            ]);
        });
    });

    describe("pgvector database", function () {
        it("is encrypted, private, RDS-managed, TLS-only and backed up per environment", function () {
            const db = requireResource(store, "aws_db_instance.pgvector");
            expect(db).to.include({
                engine: "postgres",
                engine_version: "${var.postgres_version}",
                instance_class: "${var.db_instance_class}",
                storage_type: "gp3",
                storage_encrypted: true,
                publicly_accessible: false,
                manage_master_user_password: true,
                multi_az: "${local.is_prod}",
                deletion_protection: "${local.is_prod}",
                skip_final_snapshot: "${!local.is_prod}",
                copy_tags_to_snapshot: true,
                auto_minor_version_upgrade: true,
                backup_retention_period: "${local.backup_retention_days[var.environment]}",
            });
            expect(db.password, "the master password never enters state").to.equal(undefined);
            expect(store.locals.get("backup_retention_days")).to.deep.equal({ dev: 1, staging: 7, prod: 30 });
            const parameters = blocks(requireResource(store, "aws_db_parameter_group.pgvector"), "parameter");
            expect(parameters).to.deep.include({ name: "rds.force_ssl", value: "1" });
        });
    });

    describe("Vault", function () {
        it("derives the policy paths from the KV v2 mount", function () {
            const mount = requireResource(secrets, "vault_mount.provider_keys");
            expect(mount).to.include({ type: "kv", path: "${var.kv_mount_path}" });
            expect(mount.options).to.deep.equal({ version: "2" });
            const policy = hclText(requireResource(secrets, "vault_policy.memory_spine").policy);
            expect(policy).to.contain('path "${vault_mount.provider_keys.path}/data/${var.environment}/*" {\n  capabilities = ["read"]\n}');
            expect(policy).to.contain('path "${vault_mount.provider_keys.path}/metadata/${var.environment}/*" {\n  capabilities = ["list"]\n}');
            expect(policy, "no path may be written out by hand").to.not.match(/path "secret\//);
        });

        it("writes the OpenAI key write-only, only when given, and never fights a rotation", function () {
            const openai = requireResource(secrets, "vault_kv_secret_v2.openai");
            expect(openai.count).to.equal('${nonsensitive(var.openai_api_key != "") ? 1 : 0}');
            expect(openai.data_json, "data_json would store the key in state").to.equal(undefined);
            expect(hclText(openai.data_json_wo)).to.contain("api_key").and.contain("organization_id").and.contain('timeadd(timestamp(), "${var.rotation_period_hours}h")');
            expect(openai.data_json_wo_version).to.equal("${var.openai_secret_version}");
            expect(openai.disable_read).to.equal(true);
            expect(openai.name).to.equal("${var.environment}/openai");
            expect(secrets.variables.get("openai_api_key")?.sensitive).to.equal(true);
            expect(secrets.variables.get("rotation_period_hours")?.default).to.equal(720);
        });

        it("binds AppRole to the VPC and AWS auth to the node role, with the reference's TTLs", function () {
            expect(secrets.variables.get("token_ttl_seconds")?.default).to.equal(3600);
            expect(secrets.variables.get("token_max_ttl_seconds")?.default).to.equal(14400);
            const approle = requireResource(secrets, "vault_approle_auth_backend_role.memory_spine");
            expect(approle).to.deep.include({
                role_name: "${local.role_name}",
                token_policies: ["${vault_policy.memory_spine.name}"],
                secret_id_bound_cidrs: ["${var.vpc_cidr}"],
                token_bound_cidrs: ["${var.vpc_cidr}"],
            });
            const aws = requireResource(secrets, "vault_aws_auth_backend_role.memory_spine");
            expect(aws).to.deep.include({ auth_type: "iam", bound_iam_principal_arns: ["${var.node_role_arn}"], token_policies: ["${vault_policy.memory_spine.name}"] });
            expect(expressionText(secrets.locals.get("role_name"))).to.equal("memory-spine-${var.environment}");
            // The nodes log in with the same role name and read below the same mount.
            const userData = spine.locals.get("user_data") as HclBody;
            expect(userData.vault_role).to.equal("memory-spine-${var.environment}");
            expect(userData.openai_secret_path).to.equal("${var.vault_kv_mount_path}/data/${var.environment}/openai");
        });

        it("configures the Vault provider with an address and no token in the root every environment applies", function () {
            const root = tree.root;
            expect(root.providers.get("vault")).to.deep.equal({ address: "${var.vault_address}" });
            const mounts = [root.moduleCalls.get("memory_spine")?.vault_kv_mount_path, root.moduleCalls.get("secrets")?.kv_mount_path];
            expect(mounts, "one mount path for the nodes and the policy").to.deep.equal(["${local.provider_keys_mount}", "${local.provider_keys_mount}"]);
        });
    });

    describe("state backend", function () {
        it("the root declares a partial S3 backend, so no environment's settings are baked into it", function () {
            const settings = tree.root.files.flatMap((f) => f.document.terraform ?? []);
            const backends = settings.flatMap((s) => blocks(s, "backend"));
            expect(backends, "one backend block").to.have.lengthOf(1);
            expect(firstBlock(backends[0].s3), 'backend "s3" {}').to.deep.equal({});
        });

        for (const env of ENVIRONMENTS) {
            it(`${env}: S3, encrypted, native lock file, its own state key, no DynamoDB table`, async function () {
                const file = environmentFile(env, "backend.hcl");
                const s3 = (await parse(path.relative(REPO_ROOT, file), fs.readFileSync(file, "utf8"))) as HclBody;
                expect(s3).to.include({ encrypt: true, use_lockfile: true, key: `memory-spine/${env}/terraform.tfstate` });
                expect(s3).to.not.have.property("dynamodb_table");
            });
        }
    });

    describe("monitoring", function () {
        it("encrypts the alarm topic with a key CloudWatch may use, and alarms on 5xx, unhealthy hosts and CPU", function () {
            const monitoring = requireModule(tree, "monitoring");
            expect(requireResource(monitoring, "aws_sns_topic.alerts").kms_master_key_id).to.equal("${aws_kms_key.alerts.arn}");
            const keyPolicy = monitoring.dataSources.get("aws_iam_policy_document.alerts_key") ?? {};
            const services = blocks(keyPolicy, "statement").flatMap((s) => blocks(s, "principals")).flatMap((p) => (Array.isArray(p.identifiers) ? p.identifiers : []));
            expect(services).to.include("cloudwatch.amazonaws.com");
            expect(services).to.include.members(["budgets.amazonaws.com", "aps.amazonaws.com", "events.amazonaws.com"]);
            const alarms = JSON.stringify([...monitoring.locals]);
            for (const metric of ["HTTPCode_Target_5XX_Count", "HTTPCode_ELB_5XX_Count", "UnHealthyHostCount", "TargetResponseTime", "CPUUtilization", "FreeStorageSpace", "DatabaseConnections", "StatusCheckFailed"]) {
                expect(alarms, metric).to.contain(metric);
            }
            expect(requireResource(monitoring, "aws_cloudwatch_metric_alarm.this").alarm_actions).to.deep.equal(["${aws_sns_topic.alerts.arn}"]);
            expect(requireResource(monitoring, "aws_sns_topic_subscription.email").for_each).to.equal("${toset(var.alert_emails)}");
        });
    });
});
