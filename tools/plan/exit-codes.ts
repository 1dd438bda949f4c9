/** Exit codes of the offline plan: the contract CI and scripts rely on. Kept free of imports so
 * that the CLI can use them without loading the Pulumi SDK. */
export const EXIT_CLEAN = 0;
export const EXIT_MANDATORY_VIOLATION = 1;
export const EXIT_PROGRAM_ERROR = 2;
