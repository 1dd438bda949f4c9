/** Every policy of the pack, in report order. Safe to import anywhere (it starts nothing). */
import { Policies } from "@pulumi/policy";
import { costPolicies } from "./cost";
import { securityPolicies } from "./security";
import { taggingPolicies } from "./tagging";

export const allPolicies: Policies = [...costPolicies, ...taggingPolicies, ...securityPolicies];
