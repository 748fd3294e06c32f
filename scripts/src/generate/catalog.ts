/**
 * The workspace catalog (pnpm-workspace.yaml `catalog:`) is the one source of third-party
 * versions, but `catalog:` only resolves inside this workspace: a host workspace that lists
 * packages/* (custkit as a submodule) has no such catalog and pnpm stops. So every packages/*
 * manifest carries the catalog's exact versions, written from the catalog here: the generated
 * packages' through emit-package.ts, the hand-written ones (runtime, customers, cli) by
 * `pnpm generate`, and `pnpm generate --check` fails on a manifest that drifted or still says
 * `catalog:` (an entry added later is picked up the same way).
 */
import { existsSync, readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { GenerateError, pointer } from "./errors.js";

export type Catalog = ReadonlyMap<string, string>;

const SECTIONS = [
  "dependencies",
  "devDependencies",
  "optionalDependencies",
  "peerDependencies",
] as const;

/**
 * The catalog of `root`; a root without pnpm-workspace.yaml (a folder of specs generated with
 * --root) takes the catalog of the checkout the generator comes from, as it takes its LICENSE.
 */
export function readCatalog(root: string): Catalog {
  const own = path.join(root, "pnpm-workspace.yaml");
  const file = existsSync(own)
    ? own
    : fileURLToPath(new URL("../../../pnpm-workspace.yaml", import.meta.url));
  const catalog = parse(readFileSync(file, "utf8"))?.catalog ?? {};
  return new Map(Object.entries(catalog).map(([name, version]) => [name, String(version)]));
}

/**
 * `deps` with every `catalog:` specifier, and every version of a catalog entry, set to the
 * catalog's version. A `catalog:` without an entry is an error naming the manifest.
 */
export function pinToCatalog(
  deps: Record<string, string>,
  catalog: Catalog,
  manifest: string,
  section: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, spec] of Object.entries(deps)) {
    const version = catalog.get(name);
    if (spec.startsWith("catalog:") && version === undefined)
      throw new GenerateError(
        manifest,
        pointer(section, name),
        `"${spec}" but pnpm-workspace.yaml's catalog has no entry ${name}`,
      );
    out[name] = version !== undefined && !spec.startsWith("workspace:") ? version : spec;
  }
  return out;
}

/** A manifest with each dependency section pinned to the catalog. */
export function pinManifest(
  pkg: Record<string, unknown>,
  catalog: Catalog,
  manifest: string,
): Record<string, unknown> {
  const out = { ...pkg };
  for (const section of SECTIONS) {
    const deps = pkg[section];
    if (deps && typeof deps === "object")
      out[section] = pinToCatalog(deps as Record<string, string>, catalog, manifest, section);
  }
  return out;
}

/**
 * The hand-written packages' manifests (no `custkit.generated` marker) whose pinned form differs
 * from the file: path relative to the root → new content. Untouched manifests are not rewritten,
 * so their formatting stays the author's.
 */
export async function pinnedHandWrittenManifests(
  root: string,
  catalog: Catalog,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const entries = await readdir(path.join(root, "packages"), { withFileTypes: true }).catch(
    () => [],
  );
  for (const entry of entries
    .filter((e) => e.isDirectory())
    .sort((a, b) => a.name.localeCompare(b.name))) {
    const rel = `packages/${entry.name}/package.json`;
    const text = await readFile(path.join(root, rel), "utf8").catch(() => undefined);
    if (text === undefined) continue;
    let pkg: Record<string, unknown>;
    try {
      pkg = JSON.parse(text);
    } catch {
      continue; // not a package yet (work in progress): not ours to rewrite
    }
    if ((pkg.custkit as { generated?: unknown } | undefined)?.generated) continue;
    const pinned = pinManifest(pkg, catalog, rel);
    if (JSON.stringify(pinned) !== JSON.stringify(pkg))
      out.set(rel, `${JSON.stringify(pinned, null, 2)}\n`);
  }
  return out;
}
