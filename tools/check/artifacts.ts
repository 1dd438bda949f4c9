/**
 * The artifacts a stack renders that a real tool can check, read from the resources the program
 * registered: boot scripts (launch templates and instances), Prometheus rule groups and alert
 * manager definitions (Amazon Managed Prometheus).
 */
import type { ProgramRun } from "../lib/mock-runtime";
import { plainValue, RecordedResource } from "../lib/recorded-resource";

export interface Artifact {
    /** `<type> <name>` of the resource that carries it. */
    source: string;
    text: string;
}

export interface StackArtifacts {
    bootScripts: Artifact[];
    prometheusRules: Artifact[];
    alertManagerDefinitions: Artifact[];
}

function props(resource: RecordedResource): Record<string, unknown> {
    return plainValue(resource.inputs) as Record<string, unknown>;
}

function source(resource: RecordedResource): string {
    return `${resource.type} ${resource.name}`;
}

const BOOT_SCRIPT_CARRIERS: Readonly<Record<string, { base64: string[]; plain: string[] }>> = {
    "aws:ec2/launchTemplate:LaunchTemplate": { base64: ["userData"], plain: [] },
    "aws:ec2/instance:Instance": { base64: ["userDataBase64"], plain: ["userData"] },
};

export function stackArtifacts(run: Pick<ProgramRun, "resources">): StackArtifacts {
    const artifacts: StackArtifacts = { bootScripts: [], prometheusRules: [], alertManagerDefinitions: [] };
    for (const resource of run.resources) {
        const p = props(resource);
        const carrier = BOOT_SCRIPT_CARRIERS[resource.type];
        if (carrier) {
            for (const key of carrier.base64) {
                if (typeof p[key] === "string") {
                    artifacts.bootScripts.push({ source: source(resource), text: Buffer.from(p[key], "base64").toString("utf8") });
                }
            }
            for (const key of carrier.plain) {
                if (typeof p[key] === "string") {
                    artifacts.bootScripts.push({ source: source(resource), text: p[key] });
                }
            }
        } else if (resource.type === "aws:amp/ruleGroupNamespace:RuleGroupNamespace" && typeof p.data === "string") {
            artifacts.prometheusRules.push({ source: source(resource), text: p.data });
        } else if (resource.type === "aws:amp/alertManagerDefinition:AlertManagerDefinition" && typeof p.definition === "string") {
            artifacts.alertManagerDefinitions.push({ source: source(resource), text: p.definition });
        }
    }
    return artifacts;
}
