// Child process of `npm run bench` and of the start-up test: runs the program (index.ts, the
// package.json `main` Pulumi loads) for one stack under Pulumi's mock runtime, prints how many
// resources it registered, and exits. The same source runs type-stripped (as `pulumi preview`
// loads it, Pulumi.yaml's nodeargs) and precompiled by tsc, so the two start-ups compare.
import * as path from "path";
import { runProgram } from "../lib/mock-runtime";

// As the language host's entry (@pulumi/pulumi/cmd/run) does first: stack traces, and so the
// resources' source positions, are mapped through the sources' maps.
const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a side-effect module resolved from the SDK's own dependencies
require(require.resolve("source-map-support/register", { paths: [sdkDir] }));

const stack = process.argv[2] ?? "prod";

runProgram({ stack }).then(
    (run) => {
        if (run.error) {
            console.error(run.error.message);
            process.exit(2);
        }
        console.log(JSON.stringify({ stack, resources: run.resources.length }));
        process.exit(0);
    },
    (err: Error) => {
        console.error(err.message);
        process.exit(2);
    },
);
