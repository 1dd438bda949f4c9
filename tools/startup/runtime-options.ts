import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

/** How the Pulumi nodejs language host starts this program, read from Pulumi.yaml and package.json. */
export interface NodeRuntime {
    /** `runtime.options.typescript` (default true: the host registers ts-node). */
    typescript: boolean;
    /** `runtime.options.nodeargs`, split on white space as the host passes them to node. */
    nodeargs: string[];
    /** `runtime.options.tsconfig`, when set. */
    tsconfig?: string;
    /** The entry point the host requires: Pulumi.yaml `main`, else package.json `main`, else index.js. */
    main: string;
}

interface ProjectRuntime {
    main?: string;
    runtime: string | { name: string; options?: { typescript?: boolean; nodeargs?: string; tsconfig?: string } };
}

export function nodeRuntime(projectDir: string): NodeRuntime {
    const project = parse(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) as ProjectRuntime;
    const options = typeof project.runtime === "string" ? {} : project.runtime.options ?? {};
    const packageJson = JSON.parse(fs.readFileSync(path.join(projectDir, "package.json"), "utf8")) as { main?: string };
    return {
        typescript: options.typescript ?? true,
        nodeargs: (options.nodeargs ?? "").split(/\s+/).filter((arg) => arg !== ""),
        tsconfig: options.tsconfig,
        main: project.main ?? packageJson.main ?? "index.js",
    };
}
