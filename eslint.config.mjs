// ESLint over the program, the policy pack, the tools and the tests, with typescript-eslint's
// type-aware rules: the ones that catch real bugs in Pulumi code (a promise nobody awaits, an
// async callback where a sync one is expected, awaiting a non-promise) are errors. `npm test`
// runs it (tools/test/check.ts, which hands ESLint the type-check's own program).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    {
        ignores: ["node_modules/", "policy-pack/node_modules/", "bin/", "policy-pack/bin/", ".bench/", "terraform/"],
    },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        languageOptions: {
            parserOptions: {
                projectService: true,
                tsconfigRootDir: import.meta.dirname,
            },
        },
        linterOptions: {
            reportUnusedDisableDirectives: "error",
        },
        // Type-aware rules chosen for the bugs they catch, not the whole recommendedTypeChecked
        // set: its no-unsafe-* family would flag every assertion over provider inputs, which the
        // tests read as `any` on purpose (tests/support/stacks.ts), while no-explicit-any keeps
        // new `any` out of everything else.
        rules: {
            "@typescript-eslint/no-floating-promises": "error",
            "@typescript-eslint/no-misused-promises": "error",
            "@typescript-eslint/await-thenable": "error",
            "@typescript-eslint/only-throw-error": "error",
            "@typescript-eslint/no-base-to-string": "error",
            "@typescript-eslint/no-for-in-array": "error",
            "@typescript-eslint/no-implied-eval": "error",
            "@typescript-eslint/no-unnecessary-type-assertion": "error",
            "@typescript-eslint/return-await": ["error", "in-try-catch"],
            "@typescript-eslint/no-explicit-any": "error",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
            // An inline disable must say why.
            "@typescript-eslint/ban-ts-comment": ["error", { "ts-expect-error": "allow-with-description" }],
        },
    },
    {
        // Plain CommonJS start-up hooks and this file.
        files: ["**/*.js", "**/*.mjs"],
        extends: [tseslint.configs.disableTypeChecked],
        languageOptions: {
            sourceType: "commonjs",
            globals: { require: "readonly", module: "writable", process: "readonly", __dirname: "readonly", console: "readonly" },
        },
        rules: {
            "@typescript-eslint/no-require-imports": "off",
        },
    },
    {
        files: ["**/*.mjs"],
        languageOptions: { sourceType: "module" },
    },
    {
        // chai's property assertions (`expect(x).to.be.true`) are expressions by design.
        files: ["tests/**/*.ts"],
        rules: {
            "@typescript-eslint/no-unused-expressions": "off",
        },
    },
);
