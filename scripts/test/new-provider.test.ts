/**
 * A provider is known in one place: in a copy of the repository, a sixth provider is added by
 * writing only `specs/acme/` and its mapper file `packages/customers/src/providers/acme.ts` (with
 * the mapper's test), from test/fixtures/new-provider/. `pnpm generate` and `pnpm install` derive
 * everything else; then the copy typechecks, the mapper's test passes, `custkit providers acme`
 * lists it and `pnpm generate --check` is clean. The pnpm store and turbo's cache are the
 * checkout's, so only the new provider and its dependents are built.
 */
import { execFile } from "node:child_process";
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { copyRepo, pnpm, runPnpm } from "./fixtures/consumer/pack.js";
import { repoRoot } from "./helpers.js";

const exec = promisify(execFile);
const fixture = path.join(import.meta.dirname, "fixtures/new-provider");
const env = {
  ...process.env,
  TURBO_TELEMETRY_DISABLED: "1",
  DO_NOT_TRACK: "1",
  TURBO_NO_UPDATE_NOTIFIER: "1",
  TURBO_CACHE_DIR: path.join(repoRoot, ".turbo/cache"),
};

let copy: string;
const git = (...args: string[]) => exec("git", args, { cwd: copy });
/** Exit code and output of a command in the copy (never throws on a non-zero exit). */
async function inCopy(
  cmd: string,
  args: string[],
  cwd = copy,
): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await exec(cmd, args, {
      cwd,
      env,
      timeout: 600_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, out: `${e.stdout}${e.stderr}` };
  }
}
/** pnpm in the copy: turbo (run by `pnpm generate` too) finds pnpm on the PATH pnpm sets. */
const pnpmIn = (args: string[], cwd = copy) => {
  const [cmd, lead] = pnpm();
  return inCopy(cmd, [...lead, ...args], cwd);
};

beforeAll(async () => {
  copy = await mkdtemp(path.join(tmpdir(), "custkit-new-provider-"));
  await copyRepo(copy);
  await git("init", "-q");
  await git("add", "-A");
  await git("-c", "user.email=ci@example.com", "-c", "user.name=ci", "commit", "-qm", "copy");
  await runPnpm(["install", "--offline", "--frozen-lockfile"], copy);
  await cp(fixture, copy, { recursive: true });
}, 300_000);

afterAll(async () => {
  if (copy) await rm(copy, { recursive: true, force: true });
});

describe("a sixth provider from specs/acme/ and its mapper file", () => {
  test("generate → install → generate derives every other file", async () => {
    // First run: the client package and the facade's files; the new dependency is not linked yet.
    const first = await pnpmIn(["generate"]);
    expect(first.out).toContain("@custkit/acme not installed yet: run `pnpm install`");
    await runPnpm(["install", "--offline", "--no-frozen-lockfile"], copy);
    const generated = await pnpmIn(["generate"]);
    expect(generated.code, generated.out).toBe(0);

    // Hand-written: only the fixture's files. Everything else changed was generated.
    const { stdout } = await git("status", "--porcelain", "--untracked-files=all");
    const changed = stdout
      .split("\n")
      .filter(Boolean)
      .map((l) => l.slice(3));
    const handWritten = [
      "packages/customers/src/providers/acme.ts",
      "packages/customers/test/acme.test.ts",
      "specs/acme/openapi.yaml",
      "specs/acme/overlay.yaml",
      "specs/acme/provider.yaml",
    ];
    const derived = changed.filter((f) => !handWritten.includes(f)).sort();
    expect(derived.filter((f) => !f.startsWith("packages/acme/"))).toEqual([
      "docs/capabilities.md",
      "packages/customers/package.json",
      "packages/customers/src/acme.ts",
      "packages/customers/src/names.ts",
      "packages/customers/src/providers/index.ts",
      "pnpm-lock.yaml",
    ]);
    expect(derived).toContain("packages/acme/src/client.ts");
  }, 900_000);

  test("it builds and typechecks; its mapper test passes; the CLI lists it", async () => {
    const build = await pnpmIn([
      "exec",
      "turbo",
      "run",
      "build",
      "--filter=@custkit/cli...",
      "--output-logs=errors-only",
    ]);
    expect(build.code, build.out).toBe(0);
    const cli = await pnpmIn(["--filter", "@custkit/cli", "typecheck"]);
    expect(cli.code, cli.out).toBe(0);
    // The facade's sources and the new mapper's test (its @ts-expect-error included). The other
    // test files keep per-provider data keyed by ProviderName: the compiler asks for the new
    // provider's entries there, so the property tests cannot skip it silently.
    await writeFile(
      path.join(copy, "packages/customers/tsconfig.acme.json"),
      JSON.stringify({ extends: "./tsconfig.json", include: ["src", "test/acme.test.ts"] }),
    );
    const facade = await pnpmIn(
      ["exec", "tsc", "--noEmit", "-p", "tsconfig.acme.json"],
      path.join(copy, "packages/customers"),
    );
    expect(facade.code, facade.out).toBe(0);

    const customers = path.join(copy, "packages/customers");
    const mapperTest = await pnpmIn(["exec", "vitest", "run", "test/acme.test.ts"], customers);
    expect(mapperTest.code, mapperTest.out).toBe(0);
    expect(mapperTest.out).toMatch(/3 passed/);

    const listed = await inCopy(process.execPath, [
      "packages/cli/dist/cli.js",
      "providers",
      "acme",
    ]);
    expect(listed.code, listed.out).toBe(0);
    expect(listed.out).toContain("operations: updateMember");
    expect(listed.out).toContain("CUSTKIT_ACME_TOKEN (secret)");
    expect(listed.out).toMatch(/email\s+→ email/);
  }, 900_000);

  test("generate --check is clean", async () => {
    const check = await pnpmIn(["generate", "--check"]);
    expect(check.code, check.out).toBe(0);
  }, 300_000);
});
