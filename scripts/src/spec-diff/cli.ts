/**
 * pnpm spec:diff [--base <ref>] [--write] [--json] [--masked <file>] [--root <dir>] [provider…]
 * `--masked <file>` writes the vendor changes the overlays mask as a Markdown list (an empty file
 * when none), for the regenerate workflow's pull request.
 * Exit codes: 0 = diff printed (changes or not), 1 = a spec could not be read/applied, 2 = bad arguments or ref.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { GitError, repoRoot } from "./git.js";
import { formatReport, maskedReport, specDiff } from "./run.js";

const USAGE =
  "usage: pnpm spec:diff [--base <ref>] [--write] [--json] [--masked <file>] [--root <dir>] [provider…]";

export async function main(
  argv: string[],
  io = { out: console.log, err: console.error },
): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  function parse() {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        base: { type: "string", default: "HEAD" },
        write: { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        masked: { type: "string" },
        root: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  }
  try {
    parsed = parse();
  } catch (error) {
    io.err(`spec:diff: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const bad = positionals.find((p) => !/^[a-z0-9][a-z0-9_-]*$/i.test(p));
  if (bad !== undefined) {
    io.err(`spec:diff: not a provider name: ${bad}\n${USAGE}`);
    return 2;
  }
  let root: string;
  try {
    root = repoRoot(values.root ?? process.cwd());
  } catch (error) {
    io.err(`spec:diff: not inside a git repository: ${(error as Error).message}`);
    return 2;
  }
  try {
    const report = await specDiff({
      root,
      base: values.base,
      providers: positionals,
      write: values.write,
    });
    io.out(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
    if (values.masked !== undefined) writeFileSync(values.masked, maskedReport(report));
    return 0;
  } catch (error) {
    if (error instanceof GitError) {
      io.err(`spec:diff: ${error.message}`);
      return 2;
    }
    io.err(`spec:diff: ${(error as Error).message}`);
    return 1;
  }
}

if (process.argv[1]?.endsWith("spec-diff/cli.ts")) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
