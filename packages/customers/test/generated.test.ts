/** Staleness: the committed generated files must equal what the generator produces now. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderCapabilities } from "../scripts/capabilities.js";
import { describeCapabilities } from "../src/mapping.js";
import { COMPILED, PROVIDER_NAMES } from "../src/providers/index.js";
import { CAPABILITIES_FILE_PATH } from "./paths.js";

describe("generated files are up to date (run `pnpm --filter @custkit/customers generate`)", () => {
  it("docs/capabilities.md", () => {
    expect(readFileSync(CAPABILITIES_FILE_PATH, "utf8")).toBe(renderCapabilities());
  });
});

describe("tables agree with the specs", () => {
  for (const p of PROVIDER_NAMES) {
    it(`${p}: every mapped vendor field exists in the effective spec`, () => {
      const compiled = COMPILED[p];
      for (const rule of compiled.mapping.rules)
        for (const to of rule.to)
          expect(compiled.hasField(to), `${p} ${rule.field} → ${to}`).toBe(true);
    });
    it(`${p}: capabilities() lists every model field`, () => {
      expect(describeCapabilities(COMPILED[p]).fields.length).toBeGreaterThanOrEqual(44);
    });
  }
});
