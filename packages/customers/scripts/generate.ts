/**
 * Generates src/generated/constraints.ts (from the effective specs) and docs/capabilities.md
 * (from the mapper tables). `--check` exits 1 when a committed file is stale.
 * Run: pnpm --filter @custkit/customers generate [--check]
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, renderConstraints } from "./constraints.js";

export const CONSTRAINTS_FILE = join(ROOT, "packages/customers/src/generated/constraints.ts");
export const CAPABILITIES_FILE = join(ROOT, "docs/capabilities.md");

const read = (f: string) => {
  try {
    return readFileSync(f, "utf8");
  } catch {
    return undefined;
  }
};

async function main(): Promise<void> {
  const check = process.argv.includes("--check");
  const constraints = renderConstraints();
  let stale = false;
  if (read(CONSTRAINTS_FILE) !== constraints) {
    if (check) stale = true;
    else writeFileSync(CONSTRAINTS_FILE, constraints);
  }
  // The capability doc reads the tables, which read the constraints: import after writing them.
  const { renderCapabilities } = await import("./capabilities.js");
  const doc = renderCapabilities();
  if (read(CAPABILITIES_FILE) !== doc) {
    if (check) stale = true;
    else writeFileSync(CAPABILITIES_FILE, doc);
  }
  if (stale) {
    console.error(
      "customers: generated files are stale; run `pnpm --filter @custkit/customers generate`",
    );
    process.exit(1);
  }
}

await main();
