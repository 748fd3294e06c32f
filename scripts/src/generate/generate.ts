/**
 * Orchestration: every provider is loaded, validated and emitted in memory first; only when all
 * succeeded is anything written, and then atomically per file (temp file + rename, all temp files
 * written before the first rename). `check` compares instead of writing.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { emitPackage } from "./emit.js";
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

export interface FileChange {
  /** Path relative to the root, e.g. packages/align/src/client.ts. */
  file: string;
  kind: "stale" | "missing" | "extra";
}

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
  const providers = options.providers?.length
    ? [...options.providers].sort()
    : await listProviders(root);
  const errors: GenerateError[] = [];
  const planned = new Map<string, Map<string, string>>();
  for (const name of providers) {
    if (!/^[a-z][a-z0-9]*$/.test(name) || !existsSync(path.join(root, "specs", name))) {
      errors.push(new GenerateError(`specs/${name}`, "", "no such provider folder"));
      continue;
    }
    try {
      const loaded = await loadProvider(root, name);
      planned.set(name, await emitPackage(loaded, { version: await existingVersion(root, name) }));
    } catch (error) {
      if (error instanceof GenerateError) errors.push(error);
      else errors.push(new GenerateError(`specs/${name}`, "", (error as Error).message));
    }
  }
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
  if (!options.check) await applyChanges(writes, deletes);
  return { providers, changes };
}

async function applyChanges(
  writes: { target: string; content: string }[],
  deletes: string[],
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
  for (const file of deletes) await rm(file, { force: true });
}
