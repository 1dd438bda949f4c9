import { expect } from "chai";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "@cdktf/hcl2json";
import { renderTemplate, shellQuote, templateVariables } from "./helpers/template";
import { bashSyntax, shellcheck } from "../../tools/check/shell";
import { requireTool, debianPackage } from "../support/tools";
import { HclBody, REPO_ROOT, TERRAFORM_ROOT, firstBlock, hclText, isHclBody, loadTerraform } from "./helpers/terraform";
import { renderTemplate as renderPulumiTemplate } from "../../components/user-data";
import { QDRANT_DISK_METRIC } from "../../components/qdrant-metrics";

const DEPLOY_SCRIPT = path.join(TERRAFORM_ROOT, "scripts", "deploy.sh");
const NODE_TEMPLATE = path.join(TERRAFORM_ROOT, "modules", "memory-spine", "templates", "user-data.sh.tpl");
const QDRANT_TEMPLATE = path.join(TERRAFORM_ROOT, "modules", "vector-store", "templates", "qdrant-node.sh.tpl");
const POLICY_DIR = path.join(TERRAFORM_ROOT, "policies");

interface DeployRun {
    status: number | null;
    /** The terraform and curl command lines the script ran, in order. */
    calls: string[];
    output: string;
}

/** Runs deploy.sh with fake terraform and curl binaries that record their arguments. */
function runDeploy(args: string[], fake: { planExit: number; curlExit?: number }): DeployRun {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "deploy-test-"));
    try {
        const log = path.join(dir, "calls.log");
        fs.writeFileSync(
            path.join(dir, "terraform"),
            [
                "#!/bin/sh",
                'echo "terraform $*" >> "$FAKE_LOG"',
                'case " $* " in',
                '  *" plan "*) exit "$FAKE_PLAN_EXIT" ;;',
                '  *" output "*) echo "http://api.example.internal" ;;',
                "esac",
                "exit 0",
                "",
            ].join("\n"),
            { mode: 0o755 },
        );
        fs.writeFileSync(path.join(dir, "curl"), '#!/bin/sh\necho "curl $*" >> "$FAKE_LOG"\nexit "$FAKE_CURL_EXIT"\n', { mode: 0o755 });
        const result = spawnSync("bash", [DEPLOY_SCRIPT, ...args], {
            env: {
                ...process.env,
                PATH: `${dir}:${process.env.PATH ?? ""}`,
                FAKE_LOG: log,
                FAKE_PLAN_EXIT: String(fake.planExit),
                FAKE_CURL_EXIT: String(fake.curlExit ?? 0),
                HEALTH_ATTEMPTS: "2",
                HEALTH_INTERVAL_SECONDS: "0",
            },
            encoding: "utf8",
        });
        const calls = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n").filter((l) => l !== "") : [];
        return { status: result.status, calls, output: `${result.stdout}${result.stderr}` };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

const SAMPLE_NODE_VALUES: Record<string, string> = {
    environment: "dev",
    vault_address: "https://vault.dev.chaozcode.internal",
    vault_aws_auth_path: "aws",
    vault_role: "memory-spine-dev",
    openai_secret_path: "secret/ai-providers/data/dev/openai",
    qdrant_secret_path: "",
    kv_secret_path: "secret/ai-providers/data/dev/kv",
    kv_url: "rediss://master.memspine-dev-kv.abc123.use1.cache.amazonaws.com:6379",
    kv_cluster_mode: "false",
    vector_store_engine: "pgvector",
    vector_store_endpoint: "memspine-dev-pgvector.abc.us-east-1.rds.amazonaws.com:5432",
    database_secret_arn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1",
    container_image: "ghcr.io/chaozcode/memory-spine:1.0.0",
    api_port: "8788",
};

const SAMPLE_QDRANT_VALUES: Record<string, string> = {
    environment: "staging",
    qdrant_version: "v1.15.0",
    api_key_parameter: "/memory-spine/staging/qdrant/api-key",
    data_volume_id: "vol-0123456789abcdef0",
    http_port: "6333",
    grpc_port: "6334",
    p2p_port: "6335",
    node_index: "1",
    node_label: "qdrant-1",
    peer_uris: "http://node-0.qdrant.memspine-staging.internal:6335 http://node-1.qdrant.memspine-staging.internal:6335 http://node-2.qdrant.memspine-staging.internal:6335",
    replication_factor: "2",
    write_consistency_factor: "1",
    snapshot_bucket: "memspine-staging-qdrant-snapshots-0123",
    monthly_snapshots: "false",
    disk_metric_namespace: "MemorySpine/Qdrant",
    disk_metric_name: "DataVolumeUsedPercent",
    disk_metric_interval_seconds: "300",
};

function quoted(values: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, shellQuote(v)]));
}

describe("terraform: scripts and boot templates", function () {
    describe("deploy.sh", function () {
        it("applies the saved plan when plan -detailed-exitcode reports changes (exit 2), then checks /health", function () {
            const run = runDeploy(["dev"], { planExit: 2 });
            expect(run.status, run.output).to.equal(0);
            const apply = run.calls.find((c) => / apply /.test(c));
            // The one root module, with dev's backend, values and saved plan (through tf.sh).
            expect(run.calls[0], run.calls.join("\n")).to.match(/^terraform -chdir=\S+\/terraform\/stack init -backend-config=\S+\/terraform\/environments\/dev\/backend\.hcl -input=false$/);
            const plan = run.calls.find((c) => / plan /.test(c));
            expect(plan, run.calls.join("\n")).to.match(/^terraform -chdir=\S+\/terraform\/stack plan -var-file=\S+\/terraform\/environments\/dev\/terraform\.tfvars -input=false -out=\S+\/terraform\/environments\/dev\/dev\.tfplan -detailed-exitcode$/);
            expect(apply, run.calls.join("\n")).to.match(/^terraform -chdir=\S+\/terraform\/stack apply -input=false \S+\/terraform\/environments\/dev\/dev\.tfplan$/);
            expect(run.calls[run.calls.length - 1]).to.equal("curl -fsS --max-time 10 http://api.example.internal/health");
        });

        it("stops without applying when nothing changed (exit 0) or the plan failed (exit 1)", function () {
            const unchanged = runDeploy(["staging"], { planExit: 0 });
            expect(unchanged.status).to.equal(0);
            expect(unchanged.calls.some((c) => / apply /.test(c))).to.equal(false);
            const failed = runDeploy(["prod"], { planExit: 1 });
            expect(failed.status).to.equal(1);
            expect(failed.calls.some((c) => / apply /.test(c))).to.equal(false);
            expect(failed.output).to.contain("Plan failed (exit 1)");
        });

        it("fails when the API never becomes healthy, and refuses unknown environments", function () {
            const unhealthy = runDeploy(["dev"], { planExit: 2, curlExit: 7 });
            expect(unhealthy.status).to.equal(1);
            expect(unhealthy.calls.filter((c) => c.startsWith("curl"))).to.have.lengthOf(2);
            expect(runDeploy(["qa"], { planExit: 0 }).status).to.equal(64);
            expect(runDeploy([], { planExit: 0 }).status).to.not.equal(0);
        });

        it("passes shellcheck", async function () {
            requireTool(this, "shellcheck", debianPackage("shellcheck"));
            expect(await shellcheck(fs.readFileSync(DEPLOY_SCRIPT, "utf8"))).to.deep.equal([]);
        });
    });

    describe("tf.sh", function () {
        const TF_SCRIPT = path.join(TERRAFORM_ROOT, "scripts", "tf.sh");

        /** Runs tf.sh with a fake terraform that records its arguments and its TF_DATA_DIR. */
        function runTf(args: string[]): { status: number | null; call: string; dataDir: string; output: string } {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tf-sh-test-"));
            try {
                const log = path.join(dir, "calls.log");
                fs.writeFileSync(path.join(dir, "terraform"), '#!/bin/sh\necho "$TF_DATA_DIR" > "$FAKE_LOG.dir"\necho "terraform $*" > "$FAKE_LOG"\n', { mode: 0o755 });
                const result = spawnSync("bash", [TF_SCRIPT, ...args], { env: { ...process.env, PATH: `${dir}:${process.env.PATH ?? ""}`, FAKE_LOG: log, TF_DATA_DIR: "" }, encoding: "utf8" });
                const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim() : "");
                return { status: result.status, call: read(log), dataDir: read(`${log}.dir`), output: `${result.stdout}${result.stderr}` };
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        }
        const stack = path.join(TERRAFORM_ROOT, "stack");
        const envDir = (env: string) => path.join(TERRAFORM_ROOT, "environments", env);

        it("runs the one root with the environment's own data directory, backend and values", function () {
            for (const env of ["dev", "staging", "prod"]) {
                const init = runTf([env, "init", "-input=false"]);
                expect(init.status, init.output).to.equal(0);
                expect(init.call).to.equal(`terraform -chdir=${stack} init -backend-config=${envDir(env)}/backend.hcl -input=false`);
                expect(init.dataDir, "state and providers never shared between environments").to.equal(`${envDir(env)}/.terraform`);
                expect(runTf([env, "plan"]).call).to.equal(`terraform -chdir=${stack} plan -var-file=${envDir(env)}/terraform.tfvars`);
            }
        });

        it("passes the values to apply without a saved plan, never with one (Terraform refuses variables there)", function () {
            expect(runTf(["prod", "apply", "-auto-approve"]).call).to.equal(`terraform -chdir=${stack} apply -var-file=${envDir("prod")}/terraform.tfvars -auto-approve`);
            expect(runTf(["prod", "apply", "-input=false", "prod.tfplan"]).call).to.equal(`terraform -chdir=${stack} apply -input=false prod.tfplan`);
            expect(runTf(["prod", "output", "-raw", "api_endpoint"]).call).to.equal(`terraform -chdir=${stack} output -raw api_endpoint`);
        });

        it("refuses unknown environments and a missing command", function () {
            expect(runTf(["qa", "plan"]).status).to.equal(64);
            expect(runTf(["dev"]).status).to.not.equal(0);
            expect(runTf(["dev"]).call).to.equal("");
        });

        it("passes shellcheck", async function () {
            requireTool(this, "shellcheck", debianPackage("shellcheck"));
            expect(await shellcheck(fs.readFileSync(TF_SCRIPT, "utf8"))).to.deep.equal([]);
        });
    });

    describe("boot templates", function () {
        it("shell-quote every value with format(\"'%s'\", replace(value, \"'\", \"'\\\\''\"))", async function () {
            const tree = await loadTerraform();
            for (const name of ["memory-spine", "vector-store"]) {
                const text = tree.modules.get(name)?.files.map((f) => f.text).join("\n") ?? "";
                expect(text, name).to.contain(`key => format("'%s'", replace(value, "'", "'\\\\''"))`);
            }
        });

        it("quoting keeps a hostile value inert: bash reads back exactly the configured string", function () {
            const hostile = "x'; touch /tmp/pwned-by-config; echo '$(id) ${HOME} \"q\"";
            const rendered = renderTemplate("VALUE=${v}\nprintf '%s' \"$${VALUE}\"\n", { v: shellQuote(hostile) });
            expect(execFileSync("bash", ["-c", rendered], { encoding: "utf8" })).to.equal(hostile);
        });

        it("the node script installs Docker and Vault Agent, logs in with AWS IAM auth and runs the pinned image on 8788", function () {
            const template = fs.readFileSync(NODE_TEMPLATE, "utf8");
            expect([...templateVariables(template)].sort()).to.deep.equal(Object.keys(SAMPLE_NODE_VALUES).sort());
            const script = renderTemplate(template, quoted(SAMPLE_NODE_VALUES));
            expect(script).to.match(/^#!\/usr\/bin\/env bash\n/);
            expect(script).to.contain("set -euo pipefail");
            expect(script).to.contain("apt-get install -y --no-install-recommends docker.io");
            expect(script).to.contain('method "aws" {');
            expect(script).to.contain('mount_path = "auth/${VAULT_AWS_AUTH_PATH}"');
            expect(script).to.contain('type = "iam"');
            expect(script).to.contain('{{ with secret "${OPENAI_SECRET_PATH}" }}');
            for (const env of ["MEMORY_SPINE_ENVIRONMENT", "VAULT_ADDR", "VECTOR_STORE_ENGINE", "VECTOR_STORE_ENDPOINT"]) {
                expect(script, env).to.contain(`${env}=\${`);
            }
            expect(script).to.contain("Restart=always");
            expect(script).to.contain("-p ${API_PORT}:${API_PORT} ${CONTAINER_IMAGE}");
            expect(script).to.contain("API_PORT='8788'");
            expect(script).to.contain("aws secretsmanager get-secret-value");
            expect(script).to.contain("-c 'CREATE EXTENSION IF NOT EXISTS vector'");
        });

        it("the Qdrant script mounts the data volume and runs the pinned release with its API key", function () {
            const template = fs.readFileSync(QDRANT_TEMPLATE, "utf8");
            expect([...templateVariables(template)].sort()).to.deep.equal(Object.keys(SAMPLE_QDRANT_VALUES).sort());
            const script = renderTemplate(template, quoted(SAMPLE_QDRANT_VALUES));
            expect(script).to.contain("set -euo pipefail");
            expect(script).to.contain('mkfs.ext4 -L qdrant-data "${DATA_DEVICE}"');
            expect(script).to.contain("QDRANT__SERVICE__API_KEY");
            expect(script).to.contain('"qdrant/qdrant:${QDRANT_VERSION}"');
            expect(script).to.contain("systemctl enable --now qdrant-data-volume.timer");
            expect(script, "the unit waits for the data volume (issue 12, defect 5)").to.contain("RequiresMountsFor=${DATA_DIR}");
            expect(script).to.contain("ExecStartPre=/usr/bin/mountpoint -q ${DATA_DIR}");
            expect(script).to.contain("systemctl enable --now qdrant-snapshot.timer");
        });

        it("the node script is the Pulumi program's, line for line below the header (key-value layer included)", function () {
            const camel = (key: string) => key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
            const pulumiValues = Object.fromEntries(Object.entries(SAMPLE_NODE_VALUES).map(([k, v]) => [camel(k), v]));
            const pulumiScript = renderPulumiTemplate("memory-spine-node.sh", pulumiValues);
            const terraformScript = renderTemplate(fs.readFileSync(NODE_TEMPLATE, "utf8"), quoted(SAMPLE_NODE_VALUES));
            const body = (script: string) => script.slice(script.indexOf("set -euo pipefail"));
            expect(body(terraformScript)).to.equal(body(pulumiScript));
            expect(terraformScript).to.contain("MEMORY_SPINE_KV_URL=${KV_URL}");
            expect(terraformScript).to.contain('{{ with secret "${KV_SECRET_PATH}" }}MEMORY_SPINE_KV_AUTH_TOKEN={{ .Data.data.auth_token }}{{ end }}');
        });

        it("the Qdrant script is the Pulumi program's, line for line below the header", function () {
            const camel = (key: string) => key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
            const pulumiValues = Object.fromEntries(Object.entries(SAMPLE_QDRANT_VALUES).map(([k, v]) => [camel(k), v]));
            const pulumiScript = renderPulumiTemplate("qdrant-node.sh", pulumiValues);
            const terraformScript = renderTemplate(fs.readFileSync(QDRANT_TEMPLATE, "utf8"), quoted(SAMPLE_QDRANT_VALUES));
            const body = (script: string) => script.slice(script.indexOf("set -euo pipefail"));
            expect(body(terraformScript)).to.equal(body(pulumiScript));
        });

        it("the metric the Qdrant node publishes is the one the monitoring module alarms on", async function () {
            const tree = await loadTerraform();
            const store = tree.modules.get("vector-store");
            const monitoring = tree.modules.get("monitoring");
            expect(store?.locals.get("disk_metric")).to.deep.equal({
                namespace: QDRANT_DISK_METRIC.namespace,
                name: QDRANT_DISK_METRIC.metricName,
                interval_seconds: QDRANT_DISK_METRIC.intervalSeconds,
            });
            expect(monitoring?.locals.get("qdrant_disk")).to.deep.equal({
                namespace: QDRANT_DISK_METRIC.namespace,
                name: QDRANT_DISK_METRIC.metricName,
                interval_seconds: QDRANT_DISK_METRIC.intervalSeconds,
                alarm_percent: QDRANT_DISK_METRIC.alarmPercent,
            });
        });

        for (const [name, file, values] of [
            ["node", NODE_TEMPLATE, SAMPLE_NODE_VALUES],
            ["qdrant", QDRANT_TEMPLATE, SAMPLE_QDRANT_VALUES],
        ] as const) {
            // With terraform on PATH, tests/artifacts.test.ts renders these with templatefile()
            // for every stack; this sample rendering keeps them checked without it.
            it(`the rendered ${name} script passes bash -n and shellcheck`, async function () {
                const script = renderTemplate(fs.readFileSync(file, "utf8"), quoted(values));
                expect(await bashSyntax(script)).to.deep.equal([]);
                requireTool(this, "shellcheck", debianPackage("shellcheck"));
                expect(await shellcheck(script)).to.deep.equal([]);
            });
        }

        it("templatefile would reject an unescaped shell expansion", function () {
            expect(() => renderTemplate("echo ${HOME:-x}", {})).to.throw(/not a plain variable/);
            expect(() => renderTemplate("echo ${home}", {})).to.throw(/no value/);
            expect(renderTemplate("echo $${HOME}", {})).to.equal("echo ${HOME}");
        });
    });

    describe("Sentinel policy set", function () {
        const required = [
            "restrict-instance-types",
            "no-gpu-outside-prod",
            "mandatory-tags",
            "cost-limit",
            "imdsv2-required",
            "ebs-encryption",
            "rds-encryption-private",
            "no-open-ingress",
            "tls-listener-policy",
            "deletion-protection-prod",
            "backup-coverage-prod",
            "elasticache-encryption",
            "elasticache-multi-az-prod",
        ];
        let policies: Map<string, HclBody>;
        let modules: Map<string, HclBody>;
        const STANDARD_IMPORTS = ["tfplan/v2", "tfrun", "strings", "decimal", "tfconfig/v2"];

        before(async function () {
            const file = path.join(POLICY_DIR, "sentinel.hcl");
            const document = (await parse(path.relative(REPO_ROOT, file), fs.readFileSync(file, "utf8"))) as {
                policy?: Record<string, HclBody[]>;
                module?: Record<string, HclBody[]>;
            };
            policies = new Map(Object.entries(document.policy ?? {}).map(([name, bodies]) => [name, firstBlock(bodies) ?? {}]));
            modules = new Map(Object.entries(document.module ?? {}).map(([name, bodies]) => [name, firstBlock(bodies) ?? {}]));
        });

        /** Sentinel text checks: only standard or declared imports, balanced brackets. */
        function expectWellFormed(name: string, text: string): void {
            for (const m of text.matchAll(/^import "([^"]+)"/gm)) {
                expect(m[1], name).to.be.oneOf([...STANDARD_IMPORTS, ...modules.keys()]);
            }
            const code = text.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/#.*$/gm, "");
            for (const [open, close] of [["{", "}"], ["[", "]"], ["(", ")"]]) {
                expect(code.split(open).length, `${name}: ${open}${close} balanced`).to.equal(code.split(close).length);
            }
        }

        it("declares its shared module, whose file exists and defines the function the policies call", function () {
            expect([...modules.keys()]).to.deep.equal(["instance_types"]);
            const source = hclText(modules.get("instance_types")?.source);
            expect(source).to.equal("./modules/instance-types.sentinel");
            const text = fs.readFileSync(path.join(POLICY_DIR, source), "utf8");
            expectWellFormed("instance_types", text);
            expect(text).to.match(/^of = func\(rc\) \{$/m);
            for (const type of ["aws_instance", "aws_spot_instance_request", "aws_launch_template", "aws_launch_configuration", "aws_db_instance", "aws_rds_cluster_instance", "aws_rds_cluster", "aws_eks_node_group", "aws_autoscaling_group"]) {
                expect(text, type).to.contain(`"${type}"`);
            }
            for (const policy of ["restrict-instance-types", "no-gpu-outside-prod"]) {
                const policyText = fs.readFileSync(path.join(POLICY_DIR, `${policy}.sentinel`), "utf8");
                expect(policyText, policy).to.contain('import "instance_types"').and.to.contain("instance_types.of(rc)");
            }
        });

        it("has one policy block per .sentinel file, each pointing at its own file", function () {
            const files = fs.readdirSync(POLICY_DIR).filter((f) => f.endsWith(".sentinel")).map((f) => f.replace(/\.sentinel$/, "")).sort();
            expect(files).to.include.members(required);
            expect([...policies.keys()].sort()).to.deep.equal(files);
            for (const [name, policy] of policies) {
                expect(policy.source, name).to.equal(`./${name}.sentinel`);
                expect(policy.enforcement_level, name).to.be.oneOf(["advisory", "soft-mandatory", "hard-mandatory"]);
            }
        });

        it("hard-mandates security and blocked types, soft-mandates the budget", function () {
            for (const name of required.filter((n) => n !== "cost-limit")) {
                expect(policies.get(name)?.enforcement_level, name).to.equal("hard-mandatory");
            }
            expect(policies.get("cost-limit")?.enforcement_level).to.equal("soft-mandatory");
        });

        it("budgets and blocked types agree with the CrossGuard pack's per-environment config", function () {
            const params = firstBlock(policies.get("cost-limit")?.params);
            const budgets = params && isHclBody(params.budgets) ? params.budgets : {};
            expect(budgets).to.deep.equal({ dev: 400, staging: 1500, prod: 6000 });
            const costPolicy = fs.readFileSync(path.join(POLICY_DIR, "cost-limit.sentinel"), "utf8");
            expect(costPolicy).to.contain('import "tfrun"').and.contain("tfrun.cost_estimate.proposed_monthly_cost");
            expect(costPolicy).to.contain('param budgets default {"dev": 400, "staging": 1500, "prod": 6000}');
            const types = fs.readFileSync(path.join(POLICY_DIR, "restrict-instance-types.sentinel"), "utf8");
            const gpu = fs.readFileSync(path.join(POLICY_DIR, "no-gpu-outside-prod.sentinel"), "utf8");
            for (const env of ["dev", "staging", "prod"] as const) {
                const pack = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "policy-pack", "config", `${env}.json`), "utf8")) as Record<string, Record<string, unknown>>;
                expect(pack["monthly-cost-estimate"].monthlyBudgetUsd, env).to.equal(budgets[env]);
                expect(types).to.contain(`param approval_required default ${JSON.stringify(pack["blocked-instance-types"].approvalRequired)}`);
                expect(types).to.contain(`param never_allowed default ${JSON.stringify(pack["blocked-instance-types"].neverAllowed)}`);
                expect(types).to.contain(`param approval_tag default ${JSON.stringify(pack["blocked-instance-types"].approvalTagKey)}`);
                const prefixes = (pack["accelerators-prod-only"].acceleratorFamilyPrefixes as string[]).map((p) => JSON.stringify(p)).join(", ");
                expect(gpu).to.contain(`param accelerator_families default [${prefixes}]`);
            }
        });

        const everyPolicy = fs.readdirSync(POLICY_DIR).filter((f) => f.endsWith(".sentinel")).map((f) => f.replace(/\.sentinel$/, ""));
        for (const name of everyPolicy) {
            it(`${name}.sentinel: known imports, a main rule, every param used, balanced brackets`, function () {
                const text = fs.readFileSync(path.join(POLICY_DIR, `${name}.sentinel`), "utf8");
                expectWellFormed(name, text);
                expect(text, name).to.match(/^main = rule \{$/m);
                for (const m of text.matchAll(/^param ([a-z_]+) default/gm)) {
                    const uses = text.split(new RegExp(`\\b${m[1]}\\b`)).length - 1;
                    expect(uses, `${name}: param ${m[1]} is used`).to.be.greaterThan(1);
                }
            });
        }

        it("the ElastiCache twins judge what the pack judges: encryption, TLS required, AUTH or RBAC; prod Multi-AZ, failover, a replica, a final snapshot", function () {
            const encryption = fs.readFileSync(path.join(POLICY_DIR, "elasticache-encryption.sentinel"), "utf8");
            for (const needle of ['"aws_elasticache_replication_group"', '"aws_elasticache_serverless_cache"', "at_rest_encryption_enabled", "transit_encryption_enabled", 'transit_encryption_mode else "required") is not "preferred"', '"auth_token"', '"user_group_ids"', '"user_group_id"', '"memcached"', '"valkey"']) {
                expect(encryption, needle).to.contain(needle);
            }
            const multiAz = fs.readFileSync(path.join(POLICY_DIR, "elasticache-multi-az-prod.sentinel"), "utf8");
            for (const needle of ["multi_az_enabled", "automatic_failover_enabled", "num_cache_clusters else 1) >= 2", "replicas_per_node_group else 0) >= 1", 'param environments default ["prod"]']) {
                expect(multiAz, needle).to.contain(needle);
            }
            const pack = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "policy-pack", "config", "prod.json"), "utf8")) as Record<string, Record<string, unknown>>;
            expect(pack["elasticache-multi-az-prod"].environments).to.deep.equal(["prod"]);
            expect(fs.readFileSync(path.join(POLICY_DIR, "deletion-protection-prod.sentinel"), "utf8")).to.contain('(rc.type is "aws_elasticache_replication_group" and (rc.change.after.final_snapshot_identifier else "") is "")');
        });

        it("policy blocks set only source, enforcement_level and params", function () {
            const keys = [...policies.values()].flatMap((p) => Object.keys(p));
            expect([...new Set(keys)].sort()).to.deep.equal(["enforcement_level", "params", "source"]);
        });
    });
});
