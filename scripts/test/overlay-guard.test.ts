/**
 * No overlay may hide a vendor change: every provider's vendor file is mutated in memory and each
 * mutation must reach the effective spec (or make the overlay fail, naming the action).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { GenerateError } from "../src/generate/errors.js";
import { applyOverlay } from "../src/generate/load.js";
import { applyEdit, type VendorEdit } from "../src/spec-diff/masked.js";
import { readProviderFiles } from "../src/spec-diff/provider.js";
import { diffProvider, formatReport, readWorkingTree } from "../src/spec-diff/run.js";
import { repoRoot } from "./helpers.js";
import { guard, guardFailures, mutations, PROBE, reachableObjectSchemas } from "./overlay-guard.js";

const providers = readdirSync(join(repoRoot, "specs")).filter((p) =>
  existsSync(join(repoRoot, "specs", p, "provider.yaml")),
);

describe.each(providers)("overlay guard: %s", (provider) => {
  it("every mutation of the vendor file reaches the effective spec or fails generate naming the action", async () => {
    const files = readProviderFiles(readWorkingTree(repoRoot), provider);
    if (!files?.overlay || !files.overlayFile) return; // no overlay: nothing can mask
    const result = await guard(files.spec, files.overlay, files.overlayFile);
    const objects = reachableObjectSchemas(files.spec).length;
    console.log(
      `${provider}: ${objects} object schemas, ${result.tried} mutations, ${result.reached} reached, ${result.masked.length} masked, ${result.refused.length} refused by the overlay`,
    );
    expect(result.tried).toBeGreaterThan(0);
    expect(guardFailures(result)).toEqual([]);
    expect(result.reached + result.refused.length).toBe(result.tried);
    for (const r of result.refused) expect(r.error).toMatch(/overlay\.yaml#\/actions\/\d+: /);
  });
});

const FIXTURE = join(import.meta.dirname, "fixtures/overlay-guard");
const fixture = (file: string) =>
  parse(readFileSync(join(FIXTURE, file), "utf8")) as Record<string, unknown>;
const OVERLAY_FILE = "specs/fixture/overlay.yaml";

describe("overlay guard on fixtures", () => {
  it("mutates every reachable object schema and enum: oneOf branches, nested address, $ref'd 2xx response", () => {
    const tried = mutations(fixture("openapi.yaml")).map(
      (m) => `${m.kind} ${m.edit.path.slice(-3).join("/")}`,
    );
    expect(tried).toEqual([
      `add property 0/properties/${PROBE}`,
      "remove property 0/properties/name",
      `add property address/properties/${PROBE}`,
      "remove property address/properties/city",
      `add property 1/properties/${PROBE}`,
      "remove property 1/properties/legal_name",
      `add property Customer/properties/${PROBE}`,
      "remove property Customer/properties/id",
      "add enum value properties/status/enum",
      "remove enum value properties/status/enum",
    ]);
  });

  it("fails for an overlay that shadows the vendor's oneOf branches with copies, naming the action", async () => {
    const result = await guard(fixture("openapi.yaml"), fixture("shadowing.yaml"), OVERLAY_FILE);
    const failures = guardFailures(result);
    // The eight body mutations are hidden by the copies; the $ref'd response still flows.
    expect(result.masked).toHaveLength(8);
    expect(result.reached).toBe(2);
    expect(failures).toHaveLength(8);
    expect(result.masked.every((m) => m.reported)).toBe(true);
    for (const f of failures)
      expect(f).toMatch(/masked by specs\/fixture\/overlay\.yaml#\/actions\/1$/);
  });

  it("passes for branches moved by an Overlay 1.1 copy (applied each time, nothing frozen)", async () => {
    const result = await guard(fixture("openapi.yaml"), fixture("moved.yaml"), OVERLAY_FILE);
    expect(guardFailures(result)).toEqual([]);
    expect(result.reached).toBe(result.tried);
  });

  it("a copy whose source the vendor dropped fails naming the action, as a stale target does", async () => {
    const vendor = applyEdit(fixture("openapi.yaml"), {
      op: "remove",
      path: [
        "paths",
        "/customers/{id}",
        "put",
        "requestBody",
        "content",
        "application/json",
        "schema",
        "oneOf",
      ],
    });
    const error = await applyOverlay(vendor, fixture("moved.yaml"), OVERLAY_FILE).catch((e) => e);
    expect(error).toBeInstanceOf(GenerateError);
    expect((error as GenerateError).message).toMatch(
      /^specs\/fixture\/overlay\.yaml#\/actions\/1: overlay could not be applied: .*copy.*exactly one node/,
    );
    // One numbering: the action is named by its pointer only, not also as "action #2".
    expect((error as GenerateError).message).not.toMatch(/action #\d/i);
  });

  it("passes for the same correction made in place", async () => {
    const result = await guard(fixture("openapi.yaml"), fixture("in-place.yaml"), OVERLAY_FILE);
    expect(guardFailures(result)).toEqual([]);
    expect(result.reached).toBe(result.tried);
  });
});

describe("spec:diff lists what an overlay masks", () => {
  const providerYaml = "name: fixture\nspec: openapi.yaml\noverlay: overlay.yaml\n";
  const source =
    (spec: Record<string, unknown>, overlay: string) =>
    (rel: string): string | undefined =>
      ({
        "specs/fixture/provider.yaml": providerYaml,
        "specs/fixture/openapi.yaml": JSON.stringify(spec),
        "specs/fixture/overlay.yaml": readFileSync(join(FIXTURE, overlay), "utf8"),
      })[rel];

  const BRANCH = ["paths", "/customers/{id}", "put", "requestBody", "content", "application/json"];
  const NICKNAME: VendorEdit = {
    op: "add",
    path: [...BRANCH, "schema", "oneOf", "0", "properties", "nickname"],
    value: { type: "string" },
  };

  it("a vendor change hidden by a copy: no effective change, listed as masked by the action", async () => {
    const before = fixture("openapi.yaml");
    const after = applyEdit(before, NICKNAME);
    const d = await diffProvider(
      "fixture",
      source(before, "shadowing.yaml"),
      source(after, "shadowing.yaml"),
      false,
    );
    expect(d.changes).toEqual([]);
    expect(d.bump).toBeNull();
    expect(d.masked).toEqual([
      {
        location:
          "/paths/~1customers~1{id}/put/requestBody/content/application~1json/schema/oneOf/0/properties/nickname",
        op: "add",
        maskedBy: "specs/fixture/overlay.yaml#/actions/1",
        action: 1,
      },
    ]);
    const text = formatReport({ base: "HEAD", commit: "0".repeat(40), providers: [d] });
    expect(text).toContain("1 masked by the overlay");
    expect(text).toContain(
      "/properties/nickname (added): masked by specs/fixture/overlay.yaml#/actions/1: review the overlay",
    );
  });

  it("the same change with the in-place overlay is a classified change and nothing is masked", async () => {
    const before = fixture("openapi.yaml");
    const after = applyEdit(before, NICKNAME);
    const d = await diffProvider(
      "fixture",
      source(before, "in-place.yaml"),
      source(after, "in-place.yaml"),
      false,
    );
    expect(d.masked).toEqual([]);
    expect(d.bump).toBe("minor");
  });
});
