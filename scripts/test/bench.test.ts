/**
 * Smoke test of the benchmark harness: every row runs with tiny iteration counts and yields
 * finite figures. No timing is asserted (benchmarks, not timed tests: `pnpm bench` measures).
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { formatTable } from "../src/bench/harness.js";
import { ROWS, runBench } from "../src/bench/index.js";

const CLI = fileURLToPath(new URL("../../packages/cli/dist/cli.js", import.meta.url));

describe("pnpm bench (smoke, tiny counts)", () => {
  for (const row of ROWS) {
    const skip = ["sync", "rate", "queue"].includes(row.name) && !existsSync(CLI);
    it.skipIf(skip)(`${row.name} yields finite figures`, { timeout: 240_000 }, async () => {
      const { results, errors } = await runBench({ only: [row.name], scale: 0.002 });
      expect(errors).toEqual([]);
      expect(results.length).toBeGreaterThan(0);
      for (const r of results) {
        expect(r.row.startsWith(row.name === "generate" ? "generate" : row.name)).toBe(true);
        expect(Number.isFinite(r.figure)).toBe(true);
        if (r.baseline !== undefined) expect(Number.isFinite(r.baseline)).toBe(true);
        expect(formatTable([r])).toContain(r.row);
      }
    });
  }
});
