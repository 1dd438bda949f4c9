/**
 * Terraform itself (HashiCorp's binary, not a Debian package) on the HCL: `terraform fmt -check`
 * and the real templatefile() function. Nothing here needs a provider or the network: the
 * templates are rendered by `terraform console` in a temporary root module that has no provider.
 */
import * as fs from "fs";
import * as path from "path";
import { outputLines, runTool, withTempDir } from "./run";

export const TERRAFORM = { command: "terraform", install: "install HashiCorp's Terraform >= 1.11: https://developer.hashicorp.com/terraform/install" } as const;

/**
 * The modules' quoting of every boot-script value, `format("'%s'", replace(value, "'", "'\\''"))`
 * (tests/terraform/scripts.test.ts holds the modules to it), applied to each variable.
 */
export const SHELL_QUOTED = "shell-quoted";

export interface TemplateRequest {
    /** Absolute path of the .tpl/.tftpl file. */
    file: string;
    vars: Readonly<Record<string, string | number | boolean>>;
    /** SHELL_QUOTED: the variables are quoted with the modules' own expression first. */
    quoting?: typeof SHELL_QUOTED;
}

/** A loopback port nothing listens on: a request through it fails at once, locally. */
export const CLOSED_PROXY = "http://127.0.0.1:9";

/**
 * The one environment every offline terraform command runs with (the artifact checks and the
 * Terraform tests): only PATH from this process, `home` as HOME with an empty CLI configuration,
 * every proxy pointing at a closed port, no version check, and AWS credentials that are never real.
 * A command that tries to reach anything fails at once and names what it wanted.
 */
export function offlineTerraformEnv(home: string, extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
    const rc = path.join(home, "offline.tfrc");
    if (!fs.existsSync(rc)) {
        fs.writeFileSync(rc, "");
    }
    return {
        PATH: process.env.PATH ?? "",
        HOME: home,
        TF_CLI_CONFIG_FILE: rc,
        TF_IN_AUTOMATION: "1",
        CHECKPOINT_DISABLE: "1",
        HTTPS_PROXY: CLOSED_PROXY,
        HTTP_PROXY: CLOSED_PROXY,
        https_proxy: CLOSED_PROXY,
        http_proxy: CLOSED_PROXY,
        NO_PROXY: "",
        no_proxy: "",
        AWS_ACCESS_KEY_ID: "offline-test",
        AWS_SECRET_ACCESS_KEY: "offline-test",
        AWS_EC2_METADATA_DISABLED: "true",
        ...extra,
    };
}

function offlineEnv(dir: string): NodeJS.ProcessEnv {
    return offlineTerraformEnv(dir, { NO_COLOR: "1" });
}

/** Files `terraform fmt` would rewrite under `dir`, with the diff (empty when formatted). */
export function terraformFmtCheck(dir: string): Promise<string[]> {
    return withTempDir("terraform-fmt", async (tmp) => {
        const result = await runTool(TERRAFORM.command, ["fmt", "-check", "-recursive", "-diff", "-no-color", dir], { env: offlineEnv(tmp) });
        return result.code === 0 ? [] : outputLines(result.stdout, result.stderr);
    });
}

/** Renders each template with Terraform's own templatefile(), in one terraform run. */
export function renderWithTemplatefile(requests: readonly TemplateRequest[]): Promise<string[]> {
    return withTempDir("terraform-templatefile", async (dir) => {
        const calls = requests.map((request, index) => {
            const varsFile = `vars-${index}.json`;
            fs.writeFileSync(path.join(dir, varsFile), JSON.stringify(request.vars));
            const vars = request.quoting === SHELL_QUOTED
                ? `{ for key, value in jsondecode(file("${varsFile}")) : key => format("'%s'", replace(value, "'", "'\\\\''")) }`
                : `jsondecode(file("${varsFile}"))`;
            return `    templatefile(${JSON.stringify(request.file)}, ${vars}),`;
        });
        fs.writeFileSync(path.join(dir, "main.tf"), `locals {\n  rendered = [\n${calls.join("\n")}\n  ]\n}\n`);
        const result = await runTool(TERRAFORM.command, ["console", "-no-color"], { cwd: dir, env: offlineEnv(dir), input: "jsonencode(local.rendered)\n" });
        // The console prints the JSON text as a quoted string (decoded twice); on an error it
        // prints the diagnostic instead, and may still exit 0.
        try {
            return JSON.parse(JSON.parse(result.stdout.trim()) as string) as string[];
        } catch {
            throw new Error(`terraform console failed (exit ${result.code}):\n${outputLines(result.stdout, result.stderr).join("\n")}`);
        }
    });
}
