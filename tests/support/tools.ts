import { hasCommand } from "../../tools/check/run";

export { debianPackage } from "../../tools/check/run";

/**
 * The one way a test says it needs a tool that is not an npm package.
 *
 * A newcomer's machine has Node and nothing else, so there the test is skipped and its title says
 * what to install. `.ci/run` installs every tool and sets CI=true, where a missing tool is a
 * failure: a skipped check must never pass CI silently.
 */
export function requireTool(test: Mocha.Context, command: string, install: string): void {
    if (hasCommand(command)) {
        return;
    }
    skipOrFail(test, `${command} is not on PATH (${install})`);
}

/** Skips (or, under CI=true, fails) with a message that says what is missing and how to get it. */
export function skipOrFail(test: Mocha.Context, reason: string): never {
    if (process.env.CI === "true") {
        throw new Error(`${reason}; CI=true treats a skipped tool test as a failure`);
    }
    if (test.test) {
        test.test.title += ` [skipped: ${reason}]`;
    }
    return test.skip();
}
