/**
 * Mocks for the first `pulumi preview` of a new stack: nothing exists yet, so every value a
 * provider computes on create (ids, ARNs, endpoints, DNS names, generated names) is unknown.
 * What the program gave as an input stays known, as in the engine's preview; data sources are
 * still read (the engine reads them during preview too).
 */
import * as pulumi from "@pulumi/pulumi";
import { UNKNOWN_VALUE } from "./recorded-resource";

/** `mocks` with every attribute the provider would compute on create made unknown. */
export function firstPreviewMocks(mocks: pulumi.runtime.Mocks): pulumi.runtime.Mocks {
    return {
        async newResource(args: pulumi.runtime.MockResourceArgs) {
            const created = await mocks.newResource(args);
            const computed = Object.keys(created.state as Record<string, unknown>).filter((key) => !(key in args.inputs));
            // An empty id is the wire form of "unknown" during preview.
            return { id: "", state: { ...Object.fromEntries(computed.map((key) => [key, UNKNOWN_VALUE])), ...args.inputs } };
        },
        call: (args: pulumi.runtime.MockCallArgs) => mocks.call(args),
    };
}
