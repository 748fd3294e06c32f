/**
 * `pnpm generate [--check] [--root <dir>] [provider…]`: one command for every derived file.
 * Run from its bundle (scripts/dist/generate/all.cjs, see scripts/bundle-generator.mjs), beside
 * the codegen's bundle.
 * 1. the codegen (cli.ts, as dist/generate/cli.cjs): specs/<p>/ → packages/<p>/
 * 2. the facade's derived files (packages/customers `generate`): the provider list (names, entries,
 *    package.json exports and dependencies) from specs/ and the mapper files, then
 *    docs/capabilities.md, which reads the generated packages (their constraint trees), so it runs
 *    second. A provider new to the facade must be installed (`pnpm install`) before the second.
 * --check checks both (exit 1 when either is stale). Step 2 loads the built clients: on a fresh
 * checkout they are built first (turbo), but in --check mode only when step 1 found nothing
 * stale, since building regenerates packages/ and would hide what is stale. With --root (a copy of the repository,
 * used by tests and spec:update) only step 1 runs: step 2 works on this checkout.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../../..");
const args = process.argv.slice(2);
const check = args.includes("--check");
const help = args.includes("--help") || args.includes("-h");
const rooted = args.some((a) => a === "--root" || a.startsWith("--root="));

const run = (cmd: string, argv: string[], cwd: string): number => {
  const r = spawnSync(cmd, argv, { cwd, stdio: "inherit" });
  if (r.error) throw r.error;
  return r.status ?? 1;
};

const codegen = run(process.execPath, [path.join(here, "cli.cjs"), ...args], process.cwd());
// Exit 2 = broken input (nothing written): stop. Exit 1 = stale (--check): still check step 2.
if (codegen === 2 || help || rooted) process.exit(codegen);
const customersDir = path.join(repo, "packages/customers");
const manifest = JSON.parse(readFileSync(path.join(customersDir, "package.json"), "utf8"));
const dependencies = Object.keys(manifest.dependencies).filter((d) => d.startsWith("@custkit/"));
const built = dependencies.every((d) =>
  existsSync(path.join(repo, "packages", d.slice("@custkit/".length), "dist/index.js")),
);
if (!built) {
  if (check && codegen !== 0) process.exit(codegen);
  const turbo = path.join(repo, "node_modules/.bin/turbo");
  const filter = "--filter=@custkit/customers^...";
  if (run(turbo, ["run", "build", filter, "--output-logs=errors-only"], repo) !== 0)
    process.exit(2);
}
// tsx as a loader in one process: its CLI would start a second Node process (≈ 0.3 s).
const facade = run(
  process.execPath,
  [
    "--import",
    "tsx",
    path.join(customersDir, "scripts/generate.ts"),
    ...(check ? ["--check"] : []),
  ],
  customersDir,
);
if (check && facade === 0)
  console.log("generate --check: packages/customers derived files up to date");
process.exit(codegen || facade);
