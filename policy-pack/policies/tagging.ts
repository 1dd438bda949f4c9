/** Tagging guardrails. */
import { Policies } from "@pulumi/policy";
import { environmentTagConsistent } from "./tagging/environment-tag-consistent";
import { environmentTagValue } from "./tagging/environment-tag-value";
import { requiredTags } from "./tagging/required-tags";

export const taggingPolicies: Policies = [requiredTags, environmentTagValue, environmentTagConsistent];
