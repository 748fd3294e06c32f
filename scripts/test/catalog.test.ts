/**
 * packages/* manifests carry the catalog's exact versions (a host workspace has no catalog to
 * resolve `catalog:` against): the repository's are in step, and on a temp copy a catalog change
 * or a `catalog:` specifier added by hand makes `generate --check` fail until `generate` writes
 * the versions.
 */
import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { pinManifest, readCatalog } from "../src/generate/catalog.js";
import { GenerateErrors } from "../src/generate/errors.js";
import { generate } from "../src/generate/generate.js";
import { publicPackages } from "./fixtures/consumer/pack.js";
import { PROVIDERS, repoRoot, tempRepo } from "./helpers.js";

const HAND_WRITTEN = ["runtime", "customers", "cli"];

async function copyWithWorkspace(): Promise<string> {
  const root = await tempRepo();
  await cp(path.join(repoRoot, "pnpm-workspace.yaml"), path.join(root, "pnpm-workspace.yaml"));
  for (const p of HAND_WRITTEN)
    await cp(
      path.join(repoRoot, "packages", p, "package.json"),
      path.join(root, "packages", p, "package.json"),
    );
  return root;
}

const readJson = async (file: string) => JSON.parse(await readFile(file, "utf8"));

describe("manifests pinned to the catalog", () => {
  test("every packages/* manifest has the catalog's versions and no catalog: specifier", async () => {
    const catalog = readCatalog(repoRoot);
    expect(catalog.get("typescript")).toMatch(/^\d+\.\d+\.\d+$/);
    const packages = await publicPackages();
    expect(packages.map((p) => p.dir)).toEqual(
      expect.arrayContaining([...PROVIDERS, ...HAND_WRITTEN]),
    );
    for (const p of packages) {
      const rel = `packages/${p.dir}/package.json`;
      expect(JSON.stringify(p.manifest), rel).not.toContain('"catalog:');
      expect(pinManifest(p.manifest, catalog, rel), rel).toEqual(p.manifest);
    }
  });

  test("a catalog bump makes every manifest using it stale; generate writes the new version", async () => {
    const root = await copyWithWorkspace();
    const workspace = path.join(root, "pnpm-workspace.yaml");
    const text = await readFile(workspace, "utf8");
    await writeFile(workspace, text.replace(/^ {2}openapi-fetch: .*$/m, "  openapi-fetch: 0.99.1"));
    const stale = (await generate({ root, check: true })).changes.map((c) => c.file).sort();
    expect(stale).toEqual(
      [...PROVIDERS, "runtime"].map((p) => `packages/${p}/package.json`).sort(),
    );
    await generate({ root });
    for (const p of [...PROVIDERS, "runtime"])
      expect(
        (await readJson(path.join(root, `packages/${p}/package.json`))).dependencies,
      ).toMatchObject({
        "openapi-fetch": "0.99.1",
      });
    expect((await generate({ root, check: true })).changes).toEqual([]);
  });

  test("a catalog entry added later and used as catalog: is written in; a missing entry is an error", async () => {
    const root = await copyWithWorkspace();
    const workspace = path.join(root, "pnpm-workspace.yaml");
    await writeFile(
      workspace,
      (await readFile(workspace, "utf8")).replace(/^catalog:\n/m, "catalog:\n  left-pad: 1.3.0\n"),
    );
    const manifest = path.join(root, "packages/customers/package.json");
    const pkg = await readJson(manifest);
    pkg.dependencies["left-pad"] = "catalog:";
    await writeFile(manifest, `${JSON.stringify(pkg, null, 2)}\n`);
    expect((await generate({ root, check: true })).changes).toEqual([
      { file: "packages/customers/package.json", kind: "stale" },
    ]);
    await generate({ root });
    expect((await readJson(manifest)).dependencies["left-pad"]).toBe("1.3.0");

    pkg.dependencies["no-such-entry"] = "catalog:";
    await writeFile(manifest, `${JSON.stringify(pkg, null, 2)}\n`);
    const error = await generate({ root, check: true }).catch((e) => e);
    expect(error).toBeInstanceOf(GenerateErrors);
    expect(String((error as GenerateErrors).errors[0]?.message)).toMatch(
      /packages\/customers\/package\.json.*no-such-entry/,
    );
  });
});
