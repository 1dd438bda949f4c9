// Where a test asks whether a tool is on PATH; the answer comes from the artifact checks' runner.
export { hasCommand } from "../../tools/check/run";
