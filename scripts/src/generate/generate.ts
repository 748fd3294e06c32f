/**
 * Orchestration: every provider is loaded, validated and emitted in memory first; only when all
 * succeeded is anything written, and then atomically per file (temp file + rename, all temp files
 * written before the first rename). `check` compares instead of writing.
 * Over the whole set (no provider names), a generated package whose spec folder is gone is an
 * orphan: deleted with the writes, so a removed or renamed vendor's package does not stay published.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pinnedHandWrittenManifests, readCatalog } from "./catalog.js";
import { emitPackage, HEADER } from "./emit.js";
import { GenerateError, GenerateErrors } from "./errors.js";
import { loadProvider } from "./load.js";

/** Folders inside a generated package that are not ours to compare or delete. */
const IGNORED_DIRS = new Set(["dist", "node_modules", ".turbo"]);
/** Files a generated package may hold that generation does not own: changesets writes CHANGELOG.md. */
const KEPT_FILES = new Set(["CHANGELOG.md"]);

export interface GenerateOptions {
  root: string;
  /** Provider names; default: every folder of specs/. */
  providers?: string[];
  check?: boolean;
}

export type FileChange =
  | {
      /** Path relative to the root, e.g. packages/align/src/client.ts. */
      file: string;
      kind: "stale" | "missing" | "extra";
    }
  | {
      /** The whole generated package, e.g. packages/acme/. */
      file: string;
      kind: "orphan";
      /** The spec folder it was generated from, which no longer exists, e.g. specs/acme/. */
      spec: string;
    };

export interface GenerateResult {
  providers: string[];
  changes: FileChange[];
}

export async function listProviders(root: string): Promise<string[]> {
  const dir = path.join(root, "specs");
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => {
    throw new GenerateError("specs", "", "no specs/ folder");
  });
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && IGNORED_DIRS.has(entry.name)) continue;
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (!prefix && entry.isFile() && KEPT_FILES.has(entry.name)) continue;
    if (entry.isDirectory()) out.push(...(await listFiles(path.join(dir, entry.name), rel)));
    else out.push(rel);
  }
  return out.sort();
}

/** Whether packages/<name>/ was written by this codegen: its package.json carries the marker. */
async function isGenerated(root: string, name: string): Promise<boolean> {
  try {
    const pkg = JSON.parse(
      await readFile(path.join(root, "packages", name, "package.json"), "utf8"),
    );
    return pkg?.custkit?.generated === HEADER;
  } catch {
    // no or unreadable package.json: not provably ours, so never deleted
    return false;
  }
}

/** Generated packages under packages/ that no folder of specs/ produces any more. */
async function findOrphans(root: string, providers: string[]): Promise<string[]> {
  const entries = await readdir(path.join(root, "packages"), { withFileTypes: true }).catch(
    () => [],
  );
  const known = new Set(providers);
  const orphans: string[] = [];
  for (const entry of entries)
    if (entry.isDirectory() && !known.has(entry.name) && (await isGenerated(root, entry.name)))
      orphans.push(entry.name);
  return orphans.sort();
}

async function existingVersion(root: string, name: string): Promise<string> {
  try {
    const pkg = JSON.parse(
      await readFile(path.join(root, "packages", name, "package.json"), "utf8"),
    );
    if (typeof pkg.version === "string" && /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(pkg.version))
      return pkg.version;
  } catch {
    // no package yet (or unreadable): start at 0.0.0
  }
  return "0.0.0";
}

/** Generate (or, with `check`, compare) the packages of the given providers. */
export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const root = path.resolve(options.root);
  const named = options.providers?.length ? [...options.providers].sort() : undefined;
  const providers = named ?? (await listProviders(root));
  const errors: GenerateError[] = [];
  const planned = new Map<string, Map<string, string>>();
  const catalog = readCatalog(root);
  for (const name of providers) {
    const valid = /^[a-z][a-z0-9]*$/.test(name);
    if (!valid || !existsSync(path.join(root, "specs", name))) {
      // a valid name only: a hostile one must not steer the path read
      const orphan = valid && (await isGenerated(root, name));
      errors.push(
        new GenerateError(
          `specs/${name}`,
          "",
          orphan
            ? `no such provider folder; packages/${name}/ is an orphan: \`pnpm generate\` without provider names deletes it`
            : "no such provider folder",
        ),
      );
      continue;
    }
    try {
      const loaded = await loadProvider(root, name);
      const version = await existingVersion(root, name);
      planned.set(name, await emitPackage(loaded, { version, catalog }));
    } catch (error) {
      if (error instanceof GenerateError) errors.push(error);
      else errors.push(new GenerateError(`specs/${name}`, "", (error as Error).message));
    }
  }
  // The hand-written manifests' catalog versions belong to the whole set, like orphans.
  let handWritten = new Map<string, string>();
  if (!named)
    handWritten = await pinnedHandWrittenManifests(root, catalog).catch((error) => {
      errors.push(
        error instanceof GenerateError ? error : new GenerateError("packages", "", String(error)),
      );
      return handWritten;
    });
  if (errors.length > 0) throw new GenerateErrors(errors);

  const changes: FileChange[] = [];
  const writes: { target: string; content: string }[] = [];
  const deletes: string[] = [];
  for (const [name, files] of planned) {
    const dir = path.join(root, "packages", name);
    const existing = new Set(await listFiles(dir));
    for (const [rel, content] of files) {
      const target = path.join(dir, rel);
      const file = `packages/${name}/${rel}`;
      if (!existing.has(rel)) {
        changes.push({ file, kind: "missing" });
        writes.push({ target, content });
        continue;
      }
      const current = await readFile(target, "utf8");
      if (current !== content) {
        changes.push({ file, kind: "stale" });
        writes.push({ target, content });
      }
    }
    for (const rel of existing) {
      if (!files.has(rel)) {
        changes.push({ file: `packages/${name}/${rel}`, kind: "extra" });
        deletes.push(path.join(dir, rel));
      }
    }
  }
  for (const [file, content] of handWritten) {
    changes.push({ file, kind: "stale" });
    writes.push({ target: path.join(root, file), content });
  }
  // Naming providers touches only those packages; orphans are a property of the whole set.
  const orphans = named ? [] : await findOrphans(root, providers);
  for (const name of orphans)
    changes.push({ file: `packages/${name}/`, kind: "orphan", spec: `specs/${name}/` });
  if (!options.check)
    await applyChanges(
      writes,
      deletes,
      orphans.map((name) => path.join(root, "packages", name)),
    );
  return { providers, changes };
}

/**
 * Orphaned packages go as whole folders (build output and CHANGELOG.md included: the package is
 * gone), each first renamed aside so that packages/<p>/ vanishes in one step even if the
 * recursive removal is interrupted.
 */
async function applyChanges(
  writes: { target: string; content: string }[],
  deletes: string[],
  orphanDirs: string[],
): Promise<void> {
  const suffix = `.custkit-tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  const staged: { temp: string; target: string }[] = [];
  try {
    for (const { target, content } of writes) {
      await mkdir(path.dirname(target), { recursive: true });
      const temp = `${target}${suffix}`;
      await writeFile(temp, content, "utf8");
      staged.push({ temp, target });
    }
  } catch (error) {
    await Promise.all(staged.map(({ temp }) => rm(temp, { force: true })));
    throw error;
  }
  for (const { temp, target } of staged) await rename(temp, target);
  const trash: string[] = [];
  for (const dir of orphanDirs) {
    const aside = path.join(path.dirname(dir), `.${path.basename(dir)}${suffix}`);
    await rename(dir, aside);
    trash.push(aside);
  }
  for (const file of deletes) await rm(file, { force: true });
  for (const dir of trash) await rm(dir, { recursive: true, force: true });
}
