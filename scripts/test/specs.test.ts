/**
 * The inputs of the codegen, `specs/<p>/`: verbatim vendor files are the vendor's documents byte for
 * byte, every overlay action says why it exists, and every provider.yaml names its provenance and
 * an existing spec file.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "./helpers.js";

const specsDir = path.join(repoRoot, "specs");
const providers = readdirSync(specsDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

const readYaml = (file: string): unknown => parse(readFileSync(file, "utf8"));

interface ProviderYaml {
  provenance?: unknown;
  spec?: unknown;
}

const providerYaml = (p: string) =>
  readYaml(path.join(specsDir, p, "provider.yaml")) as ProviderYaml;

// ------------------------------------------------------------------------------------------------
// (a) verbatim vendor files = the documents embedded in the saved vendor docs pages

/** The saved vendor docs pages; beside the repo in CI, absent from users' clones. */
const seedsDir = path.resolve(repoRoot, "../shared/seeds");
const haveSeeds = existsSync(seedsDir);

/** The lines strictly between an opening fence (first line at or after `from` matching `open`) and its closing fence. */
function fencedBlock(md: string, open: (line: string) => boolean, from = 0): string {
  const lines = md.split("\n");
  const start = lines.findIndex((l, i) => i >= from && open(l));
  if (start < 0) throw new Error("opening fence not found");
  const fence = /^(`{3,}|~{3,})/.exec(lines[start] as string)?.[1] as string;
  const end = lines.findIndex((l, i) => i > start && l.trimEnd() === fence);
  if (end < 0) throw new Error(`closing fence ${fence} not found`);
  return lines.slice(start + 1, end).join("\n");
}

/** Per verbatim provider: its seed page and where the document sits in it. */
const SEEDS: Record<string, { page: string; spec: string; extract: (md: string) => string }> = {
  enfuce: {
    page: "enfuce-update-customer.md",
    spec: "openapi.yaml",
    // The ```` fence after the "## OpenAPI" heading.
    extract: (md) =>
      fencedBlock(
        md,
        (l) => l.startsWith("````"),
        md.split("\n").findIndex((l) => l.trim() === "## OpenAPI"),
      ),
  },
  align: {
    page: "align-update-customer.md",
    spec: "openapi.json",
    // The ```json fenced block.
    extract: (md) => fencedBlock(md, (l) => l.trim() === "```json"),
  },
};

describe("verbatim vendor specs", () => {
  it("every verbatim provider has its seed page listed here", () => {
    const verbatim = providers.filter((p) => providerYaml(p).provenance === "verbatim");
    expect(verbatim.sort()).toEqual(Object.keys(SEEDS).sort());
    for (const p of verbatim) expect(providerYaml(p).spec).toBe(SEEDS[p]?.spec);
  });

  for (const [provider, seed] of Object.entries(SEEDS)) {
    const name = `specs/${provider}/${seed.spec} is the document in ${seed.page}, byte for byte`;
    if (!haveSeeds) {
      it.skip(`${name} — skipped: no ../shared/seeds beside the repo (${seedsDir}); CI has it`, () => {});
      continue;
    }
    it(name, () => {
      const md = readFileSync(path.join(seedsDir, seed.page), "utf8");
      // The document exactly, ending in the single newline a file ends with.
      const expected = `${seed.extract(md).replace(/\n*$/, "")}\n`;
      const actual = readFileSync(path.join(specsDir, provider, seed.spec));
      expect(actual.toString("utf8")).toBe(expected); // a readable diff first
      expect(actual.equals(Buffer.from(expected, "utf8"))).toBe(true); // then the bytes (BOM, encoding)
    });
  }
});

// ------------------------------------------------------------------------------------------------
// (b) overlays

describe.each(providers)("specs/%s/overlay.yaml", (provider) => {
  it("every action's description starts with [defect], [undocumented] or [guess]", () => {
    const overlay = readYaml(path.join(specsDir, provider, "overlay.yaml")) as {
      actions?: { target?: string; description?: unknown }[];
    };
    expect(Array.isArray(overlay.actions)).toBe(true);
    const bad = (overlay.actions ?? [])
      .map((a, i) => ({ i, target: a.target, description: a.description }))
      .filter(
        (a) =>
          typeof a.description !== "string" ||
          !/^\[(defect|undocumented|guess)\]/.test(a.description),
      );
    expect(bad).toEqual([]);
  });
});

// ------------------------------------------------------------------------------------------------
// (c) provider.yaml

describe.each(providers)("specs/%s/provider.yaml", (provider) => {
  it("provenance is verbatim or authored, and the spec file exists", () => {
    const p = providerYaml(provider);
    expect(["verbatim", "authored"]).toContain(p.provenance);
    expect(typeof p.spec).toBe("string");
    expect(existsSync(path.join(specsDir, provider, p.spec as string))).toBe(true);
  });
});
