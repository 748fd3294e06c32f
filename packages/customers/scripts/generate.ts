/**
 * Generates the facade's derived files: the provider list (scripts/providers.ts: names, entries,
 * package.json exports and dependencies) from specs/ and the mapper files, then
 * docs/capabilities.md from the mapper tables (which read the generated packages' constraint
 * trees for what can be cleared). `--check` exits 1 naming every stale, missing or extra file.
 * Run: pnpm --filter @custkit/customers generate [--check]
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { orphanEntries, renderProviderFiles } from "./providers.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const CAPABILITIES_FILE = "docs/capabilities.md";

const read = (f: string) => {
  try {
    return readFileSync(join(ROOT, f), "utf8");
  } catch {
    return undefined;
  }
};

/** Write (or with `check`, list) what differs; returns the files that were stale. */
function sync(files: ReadonlyMap<string, string>, extra: readonly string[], check: boolean) {
  const stale: string[] = [];
  for (const [file, text] of files) {
    if (read(file) === text) continue;
    stale.push(file);
    if (!check) writeFileSync(join(ROOT, file), text);
  }
  for (const file of extra) {
    stale.push(file);
    if (!check) rmSync(join(ROOT, file));
  }
  return stale;
}

/** Providers whose client package is not linked into this package yet (a new one: `pnpm install`). */
function unlinked(files: ReadonlyMap<string, string>): string[] {
  const manifest = JSON.parse(files.get("packages/customers/package.json") as string);
  return Object.keys(manifest.dependencies).filter(
    (dep: string) =>
      dep.startsWith("@custkit/") &&
      !existsSync(join(ROOT, "packages/customers/node_modules", dep, "package.json")),
  );
}

async function main(): Promise<void> {
  const check = process.argv.includes("--check");
  const providerFiles = renderProviderFiles(ROOT);
  const stale = sync(providerFiles, orphanEntries(ROOT, providerFiles), check);
  const missing = unlinked(providerFiles);
  if (missing.length > 0) {
    console.error(
      `customers: ${missing.join(", ")} not installed yet: run \`pnpm install\`, then \`pnpm generate\` again (it renders ${CAPABILITIES_FILE} from every mapper)`,
    );
    process.exit(1);
  }
  // Imported only now: it reads the provider list just written.
  const { renderCapabilities } = await import("./capabilities.js");
  stale.push(...sync(new Map([[CAPABILITIES_FILE, renderCapabilities()]]), [], check));
  if (stale.length === 0) return;
  if (!check) {
    console.log(`customers: wrote ${stale.join(", ")}`);
    return;
  }
  console.error(
    `customers: generated files are stale (run \`pnpm generate\`): ${stale.join(", ")}`,
  );
  process.exit(1);
}

await main();
