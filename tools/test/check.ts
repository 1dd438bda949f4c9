// The static half of `npm test`: the strict type-check (what `tsc --noEmit` reports) and ESLint,
// in one process over one TypeScript program. typescript-eslint's type-aware rules get the
// type-check's own program instead of building a second one, which would cost as much again.
import * as path from "path";
import { ESLint } from "eslint";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "..", "..");

function typeCheck(): { program: ts.Program; errors: number } {
    const parsed = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, "tsconfig.json"), { noEmit: true }, {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
            throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
        },
    });
    if (!parsed) {
        throw new Error("tsconfig.json could not be read");
    }
    const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, projectReferences: parsed.projectReferences });
    const diagnostics = [...parsed.errors, ...ts.getPreEmitDiagnostics(program)];
    if (diagnostics.length > 0) {
        const host: ts.FormatDiagnosticsHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => ROOT, getNewLine: () => "\n" };
        process.stdout.write(ts.formatDiagnosticsWithColorAndContext(diagnostics, host));
    }
    return { program, errors: diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error).length };
}

async function lint(program: ts.Program): Promise<number> {
    const eslint = new ESLint({
        cwd: ROOT,
        // TypeScript files take the type-check's program; eslint.config.mjs stays the one
        // configuration (a plain `npx eslint .` builds its own program and reports the same).
        overrideConfig: { files: ["**/*.ts"], languageOptions: { parserOptions: { programs: [program], projectService: false } } },
    });
    const results = await eslint.lintFiles(["."]);
    const formatter = await eslint.loadFormatter("stylish");
    const text = await formatter.format(results);
    if (text) {
        process.stdout.write(`${text}\n`);
    }
    return results.reduce((sum, r) => sum + r.errorCount + r.fatalErrorCount, 0);
}

async function main(): Promise<number> {
    const started = Date.now();
    const { program, errors } = typeCheck();
    const typed = Date.now();
    const problems = await lint(program);
    console.log(
        `type-check: ${errors} error${errors === 1 ? "" : "s"} (${((typed - started) / 1000).toFixed(1)} s); ` +
            `eslint: ${problems} problem${problems === 1 ? "" : "s"} (${((Date.now() - typed) / 1000).toFixed(1)} s)`,
    );
    return errors === 0 && problems === 0 ? 0 : 1;
}

main().then(
    (code) => process.exit(code),
    (err: unknown) => {
        console.error(err instanceof Error ? err.stack : String(err));
        process.exit(2);
    },
);
