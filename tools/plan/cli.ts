// `npm run plan -- --stack <name|file> [--json] [--policy-config FILE] [--first-preview]`
import { startPolicyPack } from "../analyzer/client";
import { EXIT_PROGRAM_ERROR } from "./exit-codes";

interface CliArgs {
    stack?: string;
    json: boolean;
    policyConfig?: string;
    firstPreview: boolean;
}

const USAGE = "usage: npm run plan -- --stack <name|Pulumi.<name>.yaml> [--json] [--policy-config FILE] [--first-preview]";

function parseArgs(argv: string[]): CliArgs {
    const args: CliArgs = { json: false, firstPreview: false };
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--json") {
            args.json = true;
        } else if (arg === "--first-preview") {
            args.firstPreview = true;
        } else if (arg === "--stack" || arg === "--policy-config") {
            const value = argv[++i];
            if (value === undefined) {
                throw new Error(`${arg} needs a value\n${USAGE}`);
            }
            if (arg === "--stack") {
                args.stack = value;
            } else {
                args.policyConfig = value;
            }
        } else {
            throw new Error(`unknown argument ${arg}\n${USAGE}`);
        }
    }
    if (!args.stack) {
        throw new Error(USAGE);
    }
    return args;
}

async function main(): Promise<number> {
    let args: CliArgs;
    try {
        args = parseArgs(process.argv.slice(2));
    } catch (err) {
        console.error((err as Error).message);
        return EXIT_PROGRAM_ERROR;
    }
    // Boot the policy pack first: its process starts while this one loads the Pulumi SDK and
    // runs the program, which is most of the plan's wall time.
    const pack = startPolicyPack();
    pack.catch(() => undefined);
    try {
        const { plan, renderPlan } = await import("./plan");
        const result = await plan({ stack: args.stack as string, policyConfig: args.policyConfig, pack, firstPreview: args.firstPreview });
        console.log(args.json ? JSON.stringify(result, null, 2) : renderPlan(result));
        return result.exitCode;
    } catch (err) {
        console.error(`plan failed: ${(err as Error).message}`);
        return EXIT_PROGRAM_ERROR;
    } finally {
        await (await pack.catch(() => undefined))?.close();
    }
}

// Exit explicitly: the Pulumi runtime may still hold timers after a failed program.
main().then(
    (code) => process.exit(code),
    (err: unknown) => {
        console.error(`plan failed: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(EXIT_PROGRAM_ERROR);
    },
);
