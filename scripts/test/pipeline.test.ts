/**
 * The turbo pipeline (generate → build → typecheck → test) caches correctly:
 * - with nothing changed, every build task is a cache hit (measured in this checkout, after the
 *   builds `turbo run test` ran before this package's tests);
 * - a change to one spec changes the task hashes of that provider's package and of the packages
 *   that depend on it, and of nothing else (measured with `turbo --dry=json` in a copy).
 */
import { appendFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { copyRepo, run, runPnpm } from "./fixtures/consumer/pack.js";
import { PROVIDERS, repoRoot } from "./helpers.js";

const turboBin = path.join(repoRoot, "node_modules/.bin/turbo");
const env = {
  ...process.env,
  TURBO_TELEMETRY_DISABLED: "1",
  DO_NOT_TRACK: "1",
  TURBO_NO_UPDATE_NOTIFIER: "1",
};

interface DryTask {
  taskId: string;
  hash: string;
  cache: { status: "HIT" | "MISS" };
  command: string;
}

async function dry(cwd: string, tasks: string[]): Promise<Map<string, DryTask>> {
  const { stdout } = await run(turboBin, ["run", ...tasks, "--dry=json"], {
    cwd,
    env,
    maxBuffer: 256 * 1024 * 1024,
    timeout: 120_000,
  });
  const json = JSON.parse(stdout.slice(stdout.indexOf("{")));
  return new Map((json.tasks as DryTask[]).map((t) => [t.taskId, t]));
}

const changed = (a: Map<string, DryTask>, b: Map<string, DryTask>) =>
  [...a.keys()].filter((id) => a.get(id)?.hash !== b.get(id)?.hash).sort();

const tasksOf = (pkgs: string[], tasks: string[]) =>
  pkgs.flatMap((p) => tasks.map((t) => `@custkit/${p}#${t}`)).sort();

let copy: string;
beforeAll(async () => {
  copy = await mkdtemp(path.join(tmpdir(), "custkit-pipeline-"));
  await copyRepo(copy);
  const git = (...args: string[]) => run("git", args, { cwd: copy });
  await git("init", "-q");
  await git("add", "-A");
  await git("-c", "user.email=ci@example.com", "-c", "user.name=ci", "commit", "-qm", "copy");
}, 120_000);

afterAll(async () => {
  if (copy) await rm(copy, { recursive: true, force: true });
});

const ALL = ["generate", "build", "typecheck", "test"];

describe("turbo pipeline", () => {
  test("order: generate → build → typecheck → test, per package", async () => {
    const tasks = await dry(copy, ["test"]);
    const deps = async () => {
      const { stdout } = await run(turboBin, ["run", "test", "--dry=json"], {
        cwd: copy,
        env,
        maxBuffer: 256 * 1024 * 1024,
      });
      const json = JSON.parse(stdout.slice(stdout.indexOf("{")));
      return new Map<string, string[]>(
        json.tasks.map((t: { taskId: string; dependencies: string[] }) => [
          t.taskId,
          t.dependencies,
        ]),
      );
    };
    const graph = await deps();
    for (const p of PROVIDERS) {
      expect(tasks.get(`@custkit/${p}#generate`)?.command).toContain(
        `scripts/generate-package.cjs ${p}`,
      );
      expect(graph.get(`@custkit/${p}#build`)).toContain(`@custkit/${p}#generate`);
      expect(graph.get(`@custkit/${p}#build`)).toContain("@custkit/runtime#build");
    }
    // The facade's derived files (constraints, capability matrix) load the built clients.
    expect(graph.get("@custkit/customers#generate")).toEqual(
      expect.arrayContaining(PROVIDERS.map((p) => `@custkit/${p}#build`)),
    );
    expect(graph.get("@custkit/customers#build")).toEqual(
      expect.arrayContaining([
        "@custkit/customers#generate",
        ...PROVIDERS.map((p) => `@custkit/${p}#build`),
      ]),
    );
    expect(graph.get("@custkit/customers#test")).toEqual(
      expect.arrayContaining(["@custkit/customers#build", "@custkit/customers#typecheck"]),
    );
    expect(graph.get("@custkit/scripts#test")).toContain("@custkit/cli#build");
  }, 120_000);

  test("nothing changed: the same hashes, and every build is a cache hit here", async () => {
    expect(changed(await dry(copy, ALL), await dry(copy, ALL))).toEqual([]);
    // In this checkout the builds ran before this test (turbo run test → ^build); run standalone,
    // build once first.
    let builds = await dry(repoRoot, ["build"]);
    // Tasks of packages without such a script are no-ops and never cached.
    const real = (m: Map<string, DryTask>) =>
      [...m.values()].filter((t) => t.command !== "<NONEXISTENT>");
    if (real(builds).some((t) => t.cache.status !== "HIT")) {
      await runPnpm(
        ["exec", "turbo", "run", "build", "--output-logs=errors-only"],
        repoRoot,
        900_000,
      );
      builds = await dry(repoRoot, ["build"]);
    }
    const misses = real(builds)
      .filter((t) => t.cache.status !== "HIT")
      .map((t) => t.taskId);
    expect(misses).toEqual([]);
    expect(real(builds).length).toBeGreaterThanOrEqual(2 * PROVIDERS.length + 3); // generate + build
  }, 900_000);

  test("a change to one spec reruns only that provider's package and its dependents", async () => {
    const before = await dry(copy, ALL);
    await appendFile(path.join(copy, "specs/align/overlay.yaml"), "\n# a change\n");
    const after = await dry(copy, ALL);
    const dependents = ["align", "customers", "cli", "scripts"];
    // scripts' build is the generator's bundle: it depends on the generator's sources only.
    const expected = tasksOf(dependents, ALL).filter(
      (id) => after.has(id) && id !== "@custkit/scripts#build",
    );
    expect(changed(before, after)).toEqual(expected);
    for (const p of ["runtime", "enfuce", "loanpro", "maia", "nuweb"])
      for (const t of ALL) expect(changed(before, after), p).not.toContain(`@custkit/${p}#${t}`);
  }, 120_000);

  test("a change to the runtime reruns everything but the client generators", async () => {
    const before = await dry(copy, ALL);
    await appendFile(path.join(copy, "packages/runtime/src/index.ts"), "\n// a change\n");
    const after = await dry(copy, ALL);
    const diff = changed(before, after);
    for (const p of PROVIDERS) expect(diff).not.toContain(`@custkit/${p}#generate`);
    for (const p of ["runtime", ...PROVIDERS, "customers", "cli"])
      expect(diff, p).toContain(`@custkit/${p}#build`);
  }, 120_000);
});
