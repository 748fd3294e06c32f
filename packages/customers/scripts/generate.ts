/**
 * Generates docs/capabilities.md from the mapper tables (which read the generated packages'
 * constraint trees for what can be cleared). `--check` exits 1 when the committed file is stale.
 * Run: pnpm --filter @custkit/customers generate [--check]
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { renderCapabilities } from "./capabilities.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const CAPABILITIES_FILE = join(ROOT, "docs/capabilities.md");

const read = (f: string) => {
  try {
    return readFileSync(f, "utf8");
  } catch {
    return undefined;
  }
};

function main(): void {
  const check = process.argv.includes("--check");
  const doc = renderCapabilities();
  if (read(CAPABILITIES_FILE) === doc) return;
  if (!check) {
    writeFileSync(CAPABILITIES_FILE, doc);
    return;
  }
  console.error(
    "customers: generated files are stale; run `pnpm --filter @custkit/customers generate`",
  );
  process.exit(1);
}

main();
