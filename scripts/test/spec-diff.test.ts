import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { main } from "../src/spec-diff/cli.js";
import { bumpFor, diffSpecs, toPointer } from "../src/spec-diff/diff.js";
import { buildEffectiveSpec } from "../src/spec-diff/effective.js";

const FIXTURES = join(import.meta.dirname, "fixtures/spec-diff");
const load = (p: string) =>
  parse(readFileSync(join(FIXTURES, p), "utf8")) as Record<string, unknown>;
const cases = readdirSync(FIXTURES).filter((d) => d !== "provider");

describe("diffSpecs on fixture pairs", () => {
  it.each(cases)("%s", (name) => {
    const { bump } = JSON.parse(readFileSync(join(FIXTURES, name, "expected.json"), "utf8"));
    const changes = diffSpecs(load(`${name}/before.yaml`), load(`${name}/after.yaml`));
    expect(bumpFor(changes) ?? null).toBe(bump);
    for (const c of changes) {
      expect(c.operation).toBe("PUT /customers/{id}");
      expect(
        c.location.startsWith(
          "/paths/~1customers~1{id}/put/requestBody/content/application~1json/schema",
        ),
      ).toBe(true);
      expect(c.description).not.toBe("");
    }
  });

  it("added optional property: one non-breaking change at the property, no components/ duplicate", () => {
    const changes = diffSpecs(
      load("added-optional-property/before.yaml"),
      load("added-optional-property/after.yaml"),
    );
    expect(changes).toEqual([
      {
        operation: "PUT /customers/{id}",
        location:
          "/paths/~1customers~1{id}/put/requestBody/content/application~1json/schema/properties/nickname",
        kind: "non-breaking",
        action: "add",
        description: "[Added] property `nickname` in Request Body content (application/json)",
      },
    ]);
  });

  it("removed property: api-smart-diff says non-breaking, we say breaking and say why", () => {
    const [change] = diffSpecs(
      load("removed-property/before.yaml"),
      load("removed-property/after.yaml"),
    );
    expect(change?.kind).toBe("breaking");
    expect(change?.reclassified).toMatch(/^non-breaking → breaking/);
  });

  it("removed enum value and newly required field are breaking as classified by api-smart-diff", () => {
    for (const name of ["removed-enum-value", "newly-required-field"]) {
      const changes = diffSpecs(load(`${name}/before.yaml`), load(`${name}/after.yaml`));
      expect(changes.length).toBeGreaterThan(0);
      expect(changes.every((c) => c.kind === "breaking" && c.reclassified === undefined)).toBe(
        true,
      );
    }
  });

  it("description change is annotation-only", () => {
    const changes = diffSpecs(
      load("description-change/before.yaml"),
      load("description-change/after.yaml"),
    );
    expect(changes.map((c) => c.kind)).toEqual(["annotation"]);
  });

  it("an unreferenced component change is still reported, under `components`", () => {
    const before = load("no-change/before.yaml");
    const after = structuredClone(before) as any;
    after.components.schemas.Orphan = { type: "object" };
    const changes = diffSpecs(before, after);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      operation: "components",
      location: "/components/schemas/Orphan",
      kind: "non-breaking",
    });
  });

  it("a removed operation is breaking, an added one non-breaking", () => {
    const before = load("no-change/before.yaml") as any;
    const after = structuredClone(before);
    after.paths["/customers/{id}"].get = { responses: { "200": { description: "ok" } } };
    delete after.paths["/customers/{id}"].put;
    const kinds = diffSpecs(before, after)
      .map((c) => `${c.operation}:${c.kind}`)
      .sort();
    expect(kinds).toEqual(["GET /customers/{id}:non-breaking", "PUT /customers/{id}:breaking"]);
  });

  it("JSON pointers escape ~ and /", () => {
    expect(toPointer(["paths", "/a~b/{c}", "get"])).toBe("/paths/~1a~0b~1{c}/get");
  });
});

describe("effective spec", () => {
  it("applies the overlay (the codegen's applyOverlay) without touching the input; a stale action is an error", async () => {
    const spec = load("provider/acme/openapi.yaml");
    const overlay = load("provider/acme/overlay.yaml");
    const frozen = JSON.stringify(spec);
    const eff = await buildEffectiveSpec(spec, overlay);
    expect(JSON.stringify(spec)).toBe(frozen);
    expect((eff as any).components.schemas.CustomerUpdate.properties.phone.pattern).toBe(
      "^\\+[1-9][0-9]{6,14}$",
    );
    const stale = {
      ...overlay,
      actions: [{ target: "$.components.schemas.Gone", update: { description: "x" } }],
    };
    await expect(buildEffectiveSpec(spec, stale, "specs/acme/overlay.yaml")).rejects.toThrow(
      /specs\/acme\/overlay.yaml#\/actions\/0: .*matches nothing/,
    );
  });
});

describe("spec:diff CLI arguments", () => {
  const capture = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) } };
  };
  it("exits 2 on an unknown option", async () => {
    const c = capture();
    expect(await main(["--bogus"], c.io)).toBe(2);
    expect(c.err.join("\n")).toMatch(/usage: pnpm spec:diff/);
  });
  it("exits 2 on an unknown ref", async () => {
    const c = capture();
    expect(
      await main(["--base", "no-such-ref-xyz", "--root", join(import.meta.dirname, "..")], c.io),
    ).toBe(2);
    expect(c.err.join("\n")).toMatch(/unknown git ref: no-such-ref-xyz/);
  });
  it("exits 2 on a provider name that is not a folder name", async () => {
    const c = capture();
    expect(await main(["../etc"], c.io)).toBe(2);
  });
});
