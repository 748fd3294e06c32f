/**
 * Publishes each public package's packed contents to a git tag of its own, as gitpkg does, so a
 * project can depend on custkit from git without a registry, with pnpm or npm:
 *   "@custkit/customers": "git+https://github.com/custkit/custkit.git#dist/customers/v0.3.0"
 * A sub-folder of the source tree cannot be that dependency: its manifest says `workspace:^`,
 * which only this workspace resolves, and npm has no sub-folder git install at all. The tag's tree
 * is what `pnpm pack` puts in the tarball (built dist/, `workspace:^` written as versions), with
 * the @custkit dependencies pointing at their own tags in the same repository, and without
 * `scripts` and `devDependencies` (a git dependency with a build script is built by npm on install).
 * Tags are never moved: a package whose tag already exists at the remote is left as it is.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { packAll, publicPackages, run } from "./pack.js";

export interface GitReleaseOptions {
  /** The custkit checkout, built (each package's dist/). */
  root: string;
  /** What consumers' package managers fetch, e.g. git+https://github.com/custkit/custkit.git. */
  url: string;
  /** Where the tags are pushed (a URL or path git can push to); none: build them and push nothing. */
  push?: string;
}

export interface ReleasedPackage {
  name: string;
  version: string;
  tag: string;
  /** The commit the tag points at; undefined when the tag already existed at the remote. */
  commit?: string;
  /** The dependency to write in a consumer's package.json. */
  spec: string;
}

export const tagFor = (name: string, version: string): string =>
  `dist/${name.replace(/^@custkit\//, "")}/v${version}`;

const git = (args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) =>
  run("git", args, { ...options, maxBuffer: 64 * 1024 * 1024 }).then((r) => r.stdout.trim());

/** The packed manifest as the tag carries it. */
export function gitManifest(
  packed: Record<string, unknown>,
  specs: ReadonlyMap<string, string>,
): Record<string, unknown> {
  const { scripts: _scripts, devDependencies: _dev, ...manifest } = packed;
  const dependencies = manifest.dependencies as Record<string, string> | undefined;
  if (dependencies)
    manifest.dependencies = Object.fromEntries(
      Object.entries(dependencies).map(([name, range]) => [name, specs.get(name) ?? range]),
    );
  return manifest;
}

async function existingTags(remote: string, tags: string[]): Promise<Set<string>> {
  const out = await git(["ls-remote", "--tags", remote, ...tags.map((t) => `refs/tags/${t}`)]);
  return new Set(
    out
      .split("\n")
      .filter(Boolean)
      .map((line) => line.split("\t")[1]?.replace(/^refs\/tags\//, "") ?? ""),
  );
}

export async function releaseToGit(options: GitReleaseOptions): Promise<ReleasedPackage[]> {
  const packages = await publicPackages(options.root);
  const released: ReleasedPackage[] = packages.map((p) => {
    const tag = tagFor(p.name, p.version);
    return { name: p.name, version: p.version, tag, spec: `${options.url}#${tag}` };
  });
  const specs = new Map(released.map((r) => [r.name, r.spec]));
  const existing = options.push
    ? await existingTags(
        options.push,
        released.map((r) => r.tag),
      )
    : new Set<string>();
  const fresh = released.filter((r) => !existing.has(r.tag));
  if (fresh.length === 0) return released;

  const source = await git(["rev-parse", "HEAD"], { cwd: options.root }).catch(() => "");
  const date = source
    ? await git(["show", "-s", "--format=%cI", source], { cwd: options.root })
    : new Date().toISOString();
  const work = await mkdtemp(path.join(tmpdir(), "custkit-release-git-"));
  try {
    const gitDir = path.join(work, "tags.git");
    await git(["init", "-q", "--bare", gitDir]);
    const tarballs = await packAll(options.root, path.join(work, "tarballs"));
    const env = {
      ...process.env,
      GIT_DIR: gitDir,
      GIT_AUTHOR_NAME: "custkit release",
      GIT_AUTHOR_EMAIL: "release@custkit.invalid",
      GIT_COMMITTER_NAME: "custkit release",
      GIT_COMMITTER_EMAIL: "release@custkit.invalid",
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
    };
    for (const r of fresh) {
      const tarball = tarballs.get(r.name) as string;
      const tree = path.join(work, "trees", r.tag);
      await mkdir(tree, { recursive: true });
      await run("tar", ["-xzf", tarball, "-C", tree, "--strip-components=1"]);
      const manifestFile = path.join(tree, "package.json");
      const packed = JSON.parse(await readFile(manifestFile, "utf8"));
      await writeFile(manifestFile, `${JSON.stringify(gitManifest(packed, specs), null, 2)}\n`);
      const index = { ...env, GIT_INDEX_FILE: path.join(work, "index"), GIT_WORK_TREE: tree };
      await git(["add", "-A", "."], { cwd: tree, env: index });
      const treeId = await git(["write-tree"], { cwd: tree, env: index });
      await rm(path.join(work, "index"));
      const message = `${r.name}@${r.version}, packed${source ? ` from ${source}` : ""}`;
      r.commit = await git(["commit-tree", treeId, "-m", message], { env });
      await git(["update-ref", `refs/tags/${r.tag}`, r.commit], { env });
    }
    if (options.push)
      await git(
        ["push", "-q", "--atomic", options.push, ...fresh.map((r) => `refs/tags/${r.tag}`)],
        { env },
      );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return released;
}
