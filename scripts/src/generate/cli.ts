/**
 * `pnpm generate [--check] [--root <dir>] [provider…]`
 * Regenerates packages/<provider>/ from specs/<provider>/ (all providers by default).
 * Without provider names, a generated package whose specs/<p>/ is gone (an orphan) is deleted;
 * naming providers touches only theirs.
 * --check: write nothing; exit 1 listing stale, missing and extra files and orphaned packages
 * when the tree is not what generation would produce. Errors (broken spec, bad provider.yaml)
 * exit 2 and name the file, JSON pointer and reason; packages/ is left untouched.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { GenerateErrors } from "./errors.js";
import { type FileChange, generate } from "./generate.js";

const defaultRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

const DONE: Record<FileChange["kind"], string> = {
  missing: "created",
  stale: "updated",
  extra: "deleted",
  orphan: "deleted",
};

const describe = (c: FileChange): string =>
  c.kind === "orphan" ? `${c.file} (generated from ${c.spec}, which no longer exists)` : c.file;

async function main(argv: string[]): Promise<number> {
  let root = defaultRoot;
  let check = false;
  const providers: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--check") check = true;
    else if (arg === "--root") {
      const value = argv[++i];
      if (!value) {
        console.error("--root needs a directory");
        return 2;
      }
      root = path.resolve(value);
    } else if (arg.startsWith("--root=")) root = path.resolve(arg.slice("--root=".length));
    else if (arg === "--help" || arg === "-h") {
      console.log("usage: pnpm generate [--check] [--root <dir>] [provider…]");
      return 0;
    } else if (arg.startsWith("-")) {
      console.error(`unknown option ${arg}`);
      return 2;
    } else providers.push(arg);
  }
  const started = performance.now();
  try {
    const result = await generate({ root, providers, check });
    const ms = Math.round(performance.now() - started);
    if (check) {
      if (result.changes.length === 0) {
        console.log(`generate --check: ${result.providers.join(", ")} up to date (${ms} ms)`);
        return 0;
      }
      console.error("generate --check: generated packages are stale; run `pnpm generate`:");
      for (const c of result.changes) console.error(`  ${c.kind.padEnd(7)} ${describe(c)}`);
      return 1;
    }
    for (const c of result.changes) console.log(`  ${DONE[c.kind]} ${describe(c)}`);
    if (result.changes.some((c) => c.kind === "orphan"))
      console.log("  run `pnpm install` so that pnpm-lock.yaml drops the deleted package(s)");
    console.log(
      `generate: ${result.providers.join(", ")}: ${result.changes.length} file(s) changed (${ms} ms)`,
    );
    return 0;
  } catch (error) {
    if (error instanceof GenerateErrors) {
      console.error("generate failed; packages/ left untouched:");
      for (const e of error.errors) console.error(`  ${e.message}`);
      return 2;
    }
    console.error(error);
    return 2;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
