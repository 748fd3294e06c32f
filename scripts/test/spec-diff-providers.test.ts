/**
 * Classification on every real provider's own vendor file (Align's oneOf branches included): the
 * overlay guard's mutations, diffed through the overlay as spec:diff does.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { applyEdit, editPointer } from "../src/spec-diff/masked.js";
import { readProviderFiles } from "../src/spec-diff/provider.js";
import { diffProvider, readWorkingTree } from "../src/spec-diff/run.js";
import { repoRoot } from "./helpers.js";
import { type Mutation, mutations } from "./overlay-guard.js";

const providers = readdirSync(join(repoRoot, "specs")).filter((p) =>
  existsSync(join(repoRoot, "specs", p, "provider.yaml")),
);

describe.each(providers)("spec:diff classification: %s", (provider) => {
  const read = readWorkingTree(repoRoot);
  const files = readProviderFiles(read, provider);
  if (!files) throw new Error(`specs/${provider}: no vendor file`);
  const all = mutations(files.spec);
  const bumpOf = async (mutation: Mutation) => {
    // JSON is YAML too: the changed vendor file is read back whatever its extension.
    const changed = JSON.stringify(applyEdit(files.spec, mutation.edit));
    const after = (rel: string) => (rel === files.specFile ? changed : read(rel));
    const d = await diffProvider(provider, read, after, false);
    expect(d.masked).toEqual([]);
    return d.bump;
  };
  const expectBump = async (kind: Mutation["kind"], bump: string, only = (_: Mutation) => true) => {
    const chosen = all.filter((m) => m.kind === kind && only(m));
    for (const m of chosen) expect(await bumpOf(m), editPointer(m.edit.path)).toBe(bump);
    return chosen.length;
  };

  it("an optional property added to any object schema → minor", async () => {
    expect(await expectBump("add property", "minor")).toBeGreaterThan(0);
  });

  it("a property removed from any object schema → major", async () => {
    expect(await expectBump("remove property", "major")).toBeGreaterThan(0);
  });

  it("an enum value removed from a request body → major", async () => {
    const count = await expectBump("remove enum value", "major", (m) =>
      m.edit.path.includes("requestBody"),
    );
    if (provider === "align") expect(count).toBeGreaterThan(0);
  });
});
