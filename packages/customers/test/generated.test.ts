/** Staleness: the committed generated files must equal what the generator produces now. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderCapabilities } from "../scripts/capabilities.js";
import { renderConstraints } from "../scripts/constraints.js";
import { CONSTRAINTS } from "../src/generated/constraints.js";
import { describeCapabilities } from "../src/mapping.js";
import { COMPILED, PROVIDER_NAMES } from "../src/providers/index.js";
import { CAPABILITIES_FILE_PATH, CONSTRAINTS_FILE_PATH } from "./paths.js";

describe("generated files are up to date (run `pnpm --filter @custkit/customers generate`)", () => {
  it("src/generated/constraints.ts", () => {
    expect(readFileSync(CONSTRAINTS_FILE_PATH, "utf8")).toBe(renderConstraints());
  });
  it("docs/capabilities.md", () => {
    expect(readFileSync(CAPABILITIES_FILE_PATH, "utf8")).toBe(renderCapabilities());
  });
});

describe("tables agree with the specs", () => {
  for (const p of PROVIDER_NAMES) {
    it(`${p}: every mapped vendor field exists in the effective spec`, () => {
      const fields = CONSTRAINTS[p]?.[COMPILED[p].mapping.operation] ?? {};
      for (const rule of COMPILED[p].mapping.rules)
        for (const to of rule.to) expect(fields, `${p} ${rule.field} → ${to}`).toHaveProperty([to]);
    });
    it(`${p}: capabilities() lists every model field`, () => {
      expect(describeCapabilities(COMPILED[p]).fields.length).toBeGreaterThanOrEqual(44);
    });
  }
});
