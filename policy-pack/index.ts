// The memory-spine-guardrails CrossGuard pack. Constructing the PolicyPack starts the analyzer gRPC
// server and prints its port: never import this file from tests or tools (import ./policies instead).
import { PolicyPack } from "@pulumi/policy";
import { allPolicies } from "./policies";

new PolicyPack("memory-spine-guardrails", {
    description: "Cost, tagging and security guardrails for the Memory Spine infrastructure.",
    policies: allPolicies,
});
