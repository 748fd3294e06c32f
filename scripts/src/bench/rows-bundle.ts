/**
 * Bundle sizes, min+gzip: esbuild bundles a tiny entry (ESM, minified, tree-shaken, platform
 * node) of the workspace sources; gzip level 9 via node:zlib. Which providers a facade bundle
 * holds is read from esbuild's metafile (its inputs) and checked in the text.
 */

import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build, type Plugin } from "esbuild";
import type { Row, RowResult } from "./harness.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const PROVIDERS = ["enfuce", "nuweb", "loanpro", "align", "maia"] as const;

/** `@custkit/<p>[/<entry>]` → the package's sources. */
const sources: Plugin = {
  name: "custkit-sources",
  setup(b) {
    b.onResolve({ filter: /^@custkit\// }, (a) => {
      const m = /^@custkit\/([^/]+)(?:\/(.+))?$/.exec(a.path) as RegExpExecArray;
      return { path: `${ROOT}packages/${m[1]}/src/${m[2] ?? "index"}.ts` };
    });
  },
};

export interface BundleSize {
  minified: number;
  gzip: number;
  inputs: string[];
  text: string;
}

export async function bundleSize(code: string): Promise<BundleSize> {
  const result = await build({
    stdin: { contents: code, resolveDir: `${ROOT}scripts`, loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "node",
    target: "node20",
    write: false,
    metafile: true,
    plugins: [sources],
    logLevel: "silent",
  });
  const out = result.outputFiles[0]?.contents ?? new Uint8Array();
  const inputs = Object.keys(Object.values(result.metafile.outputs)[0]?.inputs ?? {});
  return {
    minified: out.length,
    gzip: gzipSync(out, { level: 9 }).length,
    inputs,
    text: Buffer.from(out).toString("utf8"),
  };
}

const kb = (bytes: number) => bytes / 1000;

/** Providers (and heavy libraries) a bundle holds, from its inputs. */
export function contents(b: BundleSize): string[] {
  const found = new Set<string>();
  for (const input of b.inputs) {
    for (const p of PROVIDERS)
      if (input.includes(`packages/${p}/`) || input.includes(`customers/src/providers/${p}.ts`))
        found.add(p);
    if (input.includes("libphonenumber-js")) found.add("libphonenumber-js");
    if (input.includes("i18n-iso-countries")) found.add("i18n-iso-countries");
  }
  return [...found].sort();
}

export const bundleClientRow: Row = {
  name: "bundle-client",
  async run(): Promise<RowResult[]> {
    const base = await bundleSize('export { default } from "openapi-fetch";');
    const rows: RowResult[] = [];
    for (const p of PROVIDERS) {
      const factory = `create${p[0]?.toUpperCase()}${p.slice(1)}Client`;
      const b = await bundleSize(`export { ${factory} } from "@custkit/${p}";`);
      const goal = p === "align";
      rows.push({
        row: goal ? "bundle-client" : `bundle-client:${p}`,
        what: `min+gzip kB, ${factory} alone (vs openapi-fetch alone)`,
        figure: kb(b.gzip),
        unit: "kB",
        baseline: kb(base.gzip),
        ratio: b.gzip / base.gzip,
        goal: goal ? `≤ ${kb(base.gzip).toFixed(2)} + 3 kB` : "—",
        pass: goal ? b.gzip <= base.gzip + 3000 : undefined,
        notes: goal
          ? [
              `${p} client: ${b.minified} B minified, ${b.gzip} B gzip; openapi-fetch alone ${base.minified} B / ${base.gzip} B`,
            ]
          : [],
      });
    }
    return rows;
  },
};

const coreEntry = (p: string, options: string) =>
  `import { createCustomers } from "@custkit/customers/core";
import { ${p} } from "@custkit/customers/${p}";
export const customers = createCustomers({ providers: { ${p}: ${p}(${options}) } });`;

export const bundleFacadeRow: Row = {
  name: "bundle-facade",
  async run(): Promise<RowResult[]> {
    const rows: RowResult[] = [];
    for (const [p, options, goal] of [
      ["align", '{ apiKey: "k" }', true],
      ["maia", '{ token: "t" }', false],
      ["nuweb", '{ token: "t" }', false],
    ] as const) {
      const b = await bundleSize(coreEntry(p, options));
      const held = contents(b);
      const others = held.filter((x) => x !== p && (PROVIDERS as readonly string[]).includes(x));
      const phone = held.includes("libphonenumber-js");
      const absent = others.length === 0 && !(p !== "nuweb" && phone);
      rows.push({
        row: goal ? "bundle-facade" : `bundle-facade:${p}`,
        what: `min+gzip kB, core + ${p} (holds: ${held.join(", ") || p})`,
        figure: kb(b.gzip),
        unit: "kB",
        goal: goal ? "≤ 12 kB; other providers absent" : "—",
        pass: goal ? b.gzip <= 12_000 && absent : undefined,
        notes: [
          `core + ${p}: ${b.minified} B minified, ${b.gzip} B gzip; other providers in bundle: ${others.join(", ") || "none"}; libphonenumber-js: ${phone ? "yes" : "no"}`,
        ],
      });
    }
    const all = await bundleSize('export { createCustomers } from "@custkit/customers";');
    rows.push({
      row: "bundle-facade:main",
      what: `min+gzip kB, main entry (all five providers: ${contents(all).join(", ")})`,
      figure: kb(all.gzip),
      unit: "kB",
      goal: "—",
      pass: undefined,
    });
    return rows;
  },
};
