/** Small wrappers that keep each policy module about its rule, not about plumbing. */
import { ReportViolation, ResourceValidation, ResourceValidationArgs, StackValidation, StackValidationArgs } from "@pulumi/policy";
import { withDefaults } from "./config";
import { StackResource, stackResources } from "./stack";
import { ResourceView, view } from "./types";
import { decideWithUnknowns } from "./unknowns";

/**
 * A resource validation that only runs for the given type tokens (others are reported as not
 * applicable) and receives the raw props and the policy config merged over its defaults.
 */
export function validateTypes<C extends object>(
    types: readonly string[],
    defaults: C,
    validate: (resource: ResourceView, config: C, report: ReportViolation, args: ResourceValidationArgs) => void,
): ResourceValidation {
    return (args, report) => {
        if (!types.includes(args.type)) {
            args.notApplicable(`Policy only applies to resources of type ${types.join(", ")}`);
        }
        decideWithUnknowns(() => validate(view(args), withDefaults(args.getConfig<Partial<C>>(), defaults), report, args));
    };
}

/** A resource validation for any type (the callback decides applicability). */
export function validateAny<C extends object>(
    defaults: C,
    validate: (resource: ResourceView, config: C, report: ReportViolation, args: ResourceValidationArgs) => void,
): ResourceValidation {
    return (args, report) => decideWithUnknowns(() => validate(view(args), withDefaults(args.getConfig<Partial<C>>(), defaults), report, args));
}

/** A stack validation over plain StackResources (raw props, dependencies as URNs). */
export function validateStackWith<C extends object>(
    defaults: C,
    validate: (resources: StackResource[], config: C, report: ReportViolation, args: StackValidationArgs) => void,
): StackValidation {
    return (args, report) => decideWithUnknowns(() => validate(stackResources(args.resources), withDefaults(args.getConfig<Partial<C>>(), defaults), report, args));
}
