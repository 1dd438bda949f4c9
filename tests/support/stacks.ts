import { expect } from "chai";
import { runProgram, ProgramRun, RunOptions } from "../../tools/lib/mock-runtime";
import { plainValue, RecordedResource } from "../../tools/lib/recorded-resource";

export const SHIPPED_STACKS = ["dev", "staging", "prod"] as const;
export type ShippedStack = (typeof SHIPPED_STACKS)[number];

const shippedRuns = new Map<string, Promise<ProgramRun>>();

/** Runs a shipped stack once per test process; every test file shares the result. */
export function shippedStack(stack: ShippedStack): Promise<ProgramRun> {
    let run = shippedRuns.get(stack);
    if (!run) {
        run = runProgram({ stack }).then((result) => {
            if (result.error) {
                throw result.error;
            }
            return result;
        });
        shippedRuns.set(stack, run);
    }
    return run;
}

/** Runs the program once with its own config; the runtime is global, so never in parallel. */
export function runWith(options: RunOptions): Promise<ProgramRun> {
    return runProgram(options);
}

/** A recorded resource with its inputs made plain (secrets unwrapped) for assertions. */
export interface PlainResource extends RecordedResource {
    props: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- assertion convenience over arbitrary provider shapes
}

export function resourcesOfType(run: ProgramRun, type: string): PlainResource[] {
    return run.resources
        .filter((r) => r.type === type)
        .map((r) => ({ ...r, props: plainValue(r.inputs) as Record<string, unknown> }));
}

export function onlyResource(run: ProgramRun, type: string, nameSuffix = ""): PlainResource {
    const matches = resourcesOfType(run, type).filter((r) => r.name.endsWith(nameSuffix));
    expect(matches, `exactly one ${type}${nameSuffix ? ` named *${nameSuffix}` : ""}`).to.have.lengthOf(1);
    return matches[0];
}

/** The resource's id/attribute as the mock provider answered. */
export function outputOf(resource: RecordedResource, attribute: string): unknown {
    if (attribute === "id") {
        return resource.id;
    }
    return plainValue(resource.outputs?.[attribute]);
}
