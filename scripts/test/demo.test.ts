/** The demo behind `pnpm start`: five Prism mocks, one update each through the facade, all succeed. */
import { describe, expect, it } from "vitest";
import { DEMO_PROVIDERS, runDemo } from "../src/demo/demo.js";

describe("demo", () => {
  it("updates one customer at each of the five vendors' mock servers", async () => {
    let printed = "";
    const { ok, rows } = await runDemo({ print: (t) => (printed += `${t}\n`) });
    for (const row of rows)
      expect(row.error, `${row.provider}: ${JSON.stringify(row.error)}`).toBeUndefined();
    expect(ok).toBe(true);
    expect(rows.map((r) => r.provider)).toEqual([...DEMO_PROVIDERS]);
    for (const row of rows) {
      expect(row.sent.length).toBeGreaterThan(0);
      expect(row.statuses.every((s) => s >= 200 && s < 300)).toBe(true);
    }
    expect(
      rows
        .find((r) => r.provider === "enfuce")
        ?.sent.map((s) => `${s.method} ${s.path.split("?")[0]}`),
    ).toEqual([
      "PATCH /v3/PRIVATE/C-100",
      "POST /v3/PRIVATE/C-100/update/DELETE_TEMPORARY_ADDRESS",
    ]);
    // Credentials never reach the output.
    expect(printed).not.toMatch(/demo-(align-key|nuweb-token|loanpro-token|maia-token|password)/);
    expect(printed).toContain("[REDACTED]");
    expect(printed).toContain("Mock servers stopped.");
  }, 240_000);
});
