/** `pnpm start` shows the demo, not the build, and ends with two commands that work as printed. */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { NEXT_STEPS, nextStepsText } from "../src/demo/next-steps.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

describe("pnpm start", () => {
  it("builds with turbo's errors-only output", () => {
    const pkg = JSON.parse(readFileSync(`${ROOT}/package.json`, "utf8"));
    expect(pkg.scripts.start).toMatch(/^turbo run build --output-logs=errors-only && /);
  });

  it("ends with two lines, each a command of the built CLI that succeeds", () => {
    expect(nextStepsText().split("\n")).toHaveLength(2);
    for (const args of NEXT_STEPS) {
      const r = spawnSync(process.execPath, [`${ROOT}/packages/cli/dist/cli.js`, ...args], {
        env: { PATH: process.env.PATH ?? "" },
        encoding: "utf8",
      });
      expect(r.status, r.stderr).toBe(0);
    }
    expect(nextStepsText()).toContain("--set 'phone=+44 7911 123456' --dry-run");
  });
});
