/**
 * The public @custkit packages and `pnpm pack` (which writes `workspace:^` as the version range):
 * shared by the git release (release.ts) and the tests that install packed packages.
 */
import { execFile } from "node:child_process";
import { mkdir, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

export const run = promisify(execFile);
export const PNPM_VERSION = "10.34.8";

export interface PublicPackage {
  /** Folder under packages/. */
  dir: string;
  name: string;
  version: string;
  manifest: Record<string, unknown>;
}

/** Every non-private package under `root`/packages/. */
export async function publicPackages(root: string): Promise<PublicPackage[]> {
  const out: PublicPackage[] = [];
  for (const dir of (await readdir(path.join(root, "packages"))).sort()) {
    let manifest: Record<string, unknown>;
    try {
      manifest = JSON.parse(
        await readFile(path.join(root, "packages", dir, "package.json"), "utf8"),
      );
    } catch {
      continue;
    }
    if (manifest.private === true) continue;
    out.push({ dir, name: String(manifest.name), version: String(manifest.version), manifest });
  }
  return out;
}

/**
 * How to call pnpm: the one running us (`pnpm run …` sets npm_execpath), else npx.
 * Returns [command, leading args].
 */
export function pnpm(): [string, string[]] {
  const exec = process.env.npm_execpath;
  if (exec && /pnpm/.test(path.basename(exec)))
    return /\.c?js$/.test(exec) ? [process.execPath, [exec]] : [exec, []];
  return ["npx", ["-y", `pnpm@${PNPM_VERSION}`]];
}

export async function runPnpm(args: string[], cwd: string, timeout = 300_000) {
  const [cmd, lead] = pnpm();
  return run(cmd, [...lead, ...args], {
    cwd,
    timeout,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, npm_config_update_notifier: "false" },
  });
}

/** `pnpm pack` every public package of `root` into `dest`; name → tarball path. */
export async function packAll(root: string, dest: string): Promise<Map<string, string>> {
  await mkdir(dest, { recursive: true });
  const out = new Map<string, string>();
  for (const p of await publicPackages(root)) {
    const dist = path.join(root, "packages", p.dir, "dist");
    await readdir(dist).catch(() => {
      throw new Error(`packages/${p.dir}/dist is missing: build first (pnpm build)`);
    });
    const { stdout } = await runPnpm(
      ["pack", "--pack-destination", dest],
      path.join(root, "packages", p.dir),
    );
    const tarball = stdout.trim().split("\n").pop()?.trim() ?? "";
    if (!tarball.endsWith(".tgz")) throw new Error(`pnpm pack printed no tarball:\n${stdout}`);
    out.set(p.name, path.isAbsolute(tarball) ? tarball : path.join(dest, tarball));
  }
  return out;
}
