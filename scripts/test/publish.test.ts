/**
 * Publishable packages: every public @custkit package packs (pnpm pack: workspace:/catalog:
 * specifiers replaced by real versions) with ESM + CJS + types for each, a correct exports map,
 * files, sideEffects, licence and README; publint and @arethetypeswrong/cli find no problems in
 * the tarballs; `changeset version` bumps consistently and a dry-run publish packs every package.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  copyRepo,
  type PublicPackage,
  packAll,
  publicPackages,
  run,
  runPnpm,
} from "./fixtures/consumer/pack.js";
import { repoRoot, scriptsDir } from "./helpers.js";

const gunzip = promisify(zlib.gunzip);

/** Minimal tar reader: path → content of every regular file in a .tgz. */
async function untar(file: string): Promise<Map<string, Buffer>> {
  const data = (await gunzip(await readFile(file))) as Buffer;
  const out = new Map<string, Buffer>();
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= data.length) {
    const header = data.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, len: number) =>
      header
        .subarray(start, start + len)
        .toString("utf8")
        .replace(/\0.*$/s, "");
    const size = Number.parseInt(field(124, 12).trim() || "0", 8);
    const type = field(156, 1);
    const prefix = field(345, 155);
    let name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
    const body = data.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === "L") {
      longName = body.toString("utf8").replace(/\0.*$/s, "");
      continue;
    }
    if (longName) name = longName;
    longName = undefined;
    if (type === "0" || type === "") out.set(name.replace(/^package\//, ""), body);
  }
  return out;
}

let work: string;
let packages: PublicPackage[];
let tarballs: Map<string, string>;
const contents = new Map<string, Map<string, Buffer>>();

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "custkit-publish-"));
  packages = await publicPackages();
  tarballs = await packAll(path.join(work, "tarballs"));
  for (const [name, file] of tarballs) contents.set(name, await untar(file));
}, 300_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

const BIN_ONLY = new Set(["@custkit/cli"]);

describe("packed tarballs", () => {
  test("every public package is packed", () => {
    expect(packages.map((p) => p.name).sort()).toEqual([...tarballs.keys()].sort());
    expect(packages.map((p) => p.name)).toEqual(
      expect.arrayContaining([
        "@custkit/runtime",
        "@custkit/customers",
        "@custkit/cli",
        "@custkit/align",
        "@custkit/enfuce",
        "@custkit/loanpro",
        "@custkit/maia",
        "@custkit/nuweb",
      ]),
    );
  });

  test("manifests: real versions for workspace deps, publish fields, licence, README", async () => {
    const license = await readFile(path.join(repoRoot, "LICENSE"));
    const versions = new Map(packages.map((p) => [p.name, p.version]));
    for (const p of packages) {
      const files = contents.get(p.name) as Map<string, Buffer>;
      const manifest = JSON.parse(String(files.get("package.json")));
      const text = String(files.get("package.json"));
      expect(text, p.name).not.toMatch(/"(workspace|catalog):/);
      for (const field of ["dependencies", "peerDependencies", "optionalDependencies"])
        for (const [dep, range] of Object.entries(manifest[field] ?? {}))
          if (versions.has(dep)) expect(range, `${p.name} → ${dep}`).toBe(`^${versions.get(dep)}`);
      expect(manifest).toMatchObject({
        name: p.name,
        version: p.version,
        license: "MIT",
        type: "module",
        engines: { node: ">=20.19" },
        publishConfig: { access: "public", provenance: true },
        repository: { type: "git", directory: `packages/${p.dir}` },
      });
      expect(manifest.keywords, p.name).toContain("custkit");
      expect(manifest.files, p.name).toContain("dist");
      expect(files.get("LICENSE")?.equals(license), `${p.name} LICENSE = root LICENSE`).toBe(true);
      const readme = String(files.get("README.md") ?? "");
      expect(readme.length, `${p.name} README`).toBeGreaterThan(300);
      expect(readme, `${p.name} README`).toMatch(/^(<!--.*-->\n)?# /);
      // Only what consumers need: no sources, tests, configs.
      for (const f of files.keys())
        expect(f, `${p.name} ships ${f}`).toMatch(
          /^(dist\/.+|package\.json|README\.md|LICENSE|CHANGELOG\.md|openapi\.json)$/,
        );
      if (BIN_ONLY.has(p.name)) {
        // A command, not a library: bin only, and running it has side effects by design.
        expect(files.has(String(Object.values(manifest.bin)[0]).replace(/^\.\//, ""))).toBe(true);
        continue;
      }
      expect(manifest.sideEffects, p.name).toBe(false);
      expect(manifest).toMatchObject({
        main: "./dist/index.cjs",
        module: "./dist/index.js",
        types: "./dist/index.d.cts",
      });
      // Every code entry: import and require, each with its own types first, all files shipped.
      for (const [subpath, target] of Object.entries(manifest.exports as Record<string, unknown>)) {
        if (typeof target === "string") {
          expect(files.has(target.replace(/^\.\//, "")), `${p.name} ${subpath}`).toBe(true);
          continue;
        }
        const t = target as Record<string, Record<string, string>>;
        expect(Object.keys(t), `${p.name} ${subpath}`).toEqual(["import", "require"]);
        expect(Object.keys(t.import ?? {}), `${p.name} ${subpath}`).toEqual(["types", "default"]);
        expect(Object.keys(t.require ?? {}), `${p.name} ${subpath}`).toEqual(["types", "default"]);
        expect(t.import?.types).toMatch(/\.d\.ts$/);
        expect(t.import?.default).toMatch(/\.js$/);
        expect(t.require?.types).toMatch(/\.d\.cts$/);
        expect(t.require?.default).toMatch(/\.cjs$/);
        for (const f of [...Object.values(t.import ?? {}), ...Object.values(t.require ?? {})])
          expect(files.has(f.replace(/^\.\//, "")), `${p.name} ships ${f}`).toBe(true);
        // Subpaths resolve for TypeScript's node10 resolution too (typesVersions).
        if (subpath !== ".")
          expect(
            manifest.typesVersions?.["*"]?.[subpath.slice(2)],
            `${p.name} typesVersions ${subpath}`,
          ).toEqual([t.require?.types]);
      }
    }
  });

  test("publint (strict) reports nothing", async () => {
    const problems: string[] = [];
    for (const [name, file] of tarballs) {
      const buffer = await readFile(file);
      const tarball = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
      const { messages, pkg } = await publint({
        pack: { tarball },
        strict: true,
        level: "suggestion",
      });
      for (const m of messages)
        problems.push(`${name}: [${m.type}] ${formatMessage(m, pkg) ?? m.code}`);
    }
    expect(problems).toEqual([]);
  });

  test("@arethetypeswrong/cli reports no problems in any resolution mode (node10 included)", async () => {
    const attw = path.join(scriptsDir, "node_modules/.bin/attw");
    const problems: string[] = [];
    for (const [name, file] of tarballs) {
      if (BIN_ONLY.has(name)) continue; // no importable entry, no types: nothing for attw to check
      // JSON to a file: attw exits before a large stdout pipe drains.
      const out = path.join(work, `${path.basename(file)}.attw.json`);
      const cmd = `${JSON.stringify(attw)} ${JSON.stringify(file)} --format json > ${JSON.stringify(out)}`;
      await run("sh", ["-c", `${cmd} || true`], { timeout: 120_000 });
      const report = JSON.parse(await readFile(out, "utf8"));
      const analysis = report.analysis ?? report;
      expect(analysis.types, name).toBeTruthy();
      for (const p of analysis.problems ?? [])
        problems.push(`${name}: ${p.kind} ${p.entrypoint ?? ""} ${p.resolutionKind ?? ""}`);
    }
    expect(problems).toEqual([]);
  }, 300_000);
});

describe("changesets", () => {
  test("config: public access, scripts ignored, internal dependents bumped", async () => {
    const config = JSON.parse(
      await readFile(path.join(repoRoot, ".changeset/config.json"), "utf8"),
    );
    expect(config).toMatchObject({
      access: "public",
      updateInternalDependencies: "patch",
      ignore: ["@custkit/scripts"],
    });
  });

  test("`changeset version` bumps a provider and its dependents; a dry-run publish packs every package", async () => {
    const repo = path.join(work, "repo");
    await copyRepo(repo);
    // Only this test's changeset: ones pending in the checkout would bump other packages too.
    for (const f of await readdir(path.join(repo, ".changeset")))
      if (f.endsWith(".md") && f !== "README.md") await rm(path.join(repo, ".changeset", f));
    await writeFile(
      path.join(repo, ".changeset/align-nickname.md"),
      '---\n"@custkit/align": minor\n---\n\nalign: accept the nickname field.\n',
    );
    await run(path.join(repoRoot, "node_modules/.bin/changeset"), ["version"], { cwd: repo });
    const after = new Map((await publicPackages(repo)).map((p) => [p.name, p]));
    const before = new Map(packages.map((p) => [p.name, p]));
    const bump = (v: string, kind: "minor" | "patch") => {
      const [ma, mi, pa] = v.split(".").map(Number) as [number, number, number];
      return kind === "minor" ? `${ma}.${mi + 1}.0` : `${ma}.${mi}.${pa + 1}`;
    };
    expect(after.get("@custkit/align")?.version).toBe(
      bump(before.get("@custkit/align")?.version ?? "", "minor"),
    );
    // customers depends on align (dependencies): patch-bumped, with a changelog entry naming it.
    expect(after.get("@custkit/customers")?.version).toBe(
      bump(before.get("@custkit/customers")?.version ?? "", "patch"),
    );
    const alignLog = await readFile(path.join(repo, "packages/align/CHANGELOG.md"), "utf8");
    expect(alignLog).toContain(`## ${after.get("@custkit/align")?.version}`);
    expect(alignLog).toContain("align: accept the nickname field.");
    const customersLog = await readFile(path.join(repo, "packages/customers/CHANGELOG.md"), "utf8");
    expect(customersLog).toContain(`@custkit/align@${after.get("@custkit/align")?.version}`);
    // Packages that do not depend on align keep their version.
    for (const name of [
      "@custkit/runtime",
      "@custkit/enfuce",
      "@custkit/nuweb",
      "@custkit/loanpro",
      "@custkit/maia",
    ])
      expect(after.get(name)?.version, name).toBe(before.get(name)?.version);
    // The generator keeps the bumped version and the changelog: --check is clean.
    await run(path.join(repoRoot, "node_modules/.bin/tsx"), [
      path.join(scriptsDir, "src/generate/cli.ts"),
      "--check",
      "--root",
      repo,
    ]);

    // Dry-run publish of the whole workspace: needs the workspace installed (links) and built.
    await runPnpm(["install", "--offline", "--frozen-lockfile", "--ignore-scripts"], repo);
    for (const p of packages)
      await run("cp", [
        "-R",
        path.join(repoRoot, "packages", p.dir, "dist"),
        path.join(repo, "packages", p.dir, "dist"),
      ]);
    const { stdout, stderr } = await runPnpm(
      ["-r", "publish", "--dry-run", "--no-git-checks"],
      repo,
      600_000,
    );
    const log = `${stdout}\n${stderr}`;
    for (const [name, p] of after) expect(log, name).toContain(`+ ${name}@${p.version}`);
    expect(log).not.toContain("@custkit/scripts@");
    // The packed customers depends on the new align version.
    const packed = await packAll(path.join(work, "repo-tarballs"), repo);
    const customers = JSON.parse(
      String((await untar(packed.get("@custkit/customers") as string)).get("package.json")),
    );
    expect(customers.dependencies["@custkit/align"]).toBe(
      `^${after.get("@custkit/align")?.version}`,
    );
  }, 900_000);
});
