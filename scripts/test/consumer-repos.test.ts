/**
 * Another repository using custkit without a registry, each way the README documents: as
 * packages of the host's own pnpm workspace (custkit copied to vendor/custkit, as a submodule or
 * subtree puts it), from git tags written by `pnpm release:git` (pnpm and npm, against a bare
 * repository on disk), and linked from a local checkout (pnpm `link:`, npm `file:`). Each builds a
 * temp consumer, installs custkit that way, type-checks a strict ESM consumer and runs it against
 * a loopback server. Installs prefer the local store and cache; only npm's registry is reached.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readCatalog } from "../src/generate/catalog.js";
import { releaseToGit } from "../src/release-git/release.js";
import { copyRepo, pnpm, run } from "./fixtures/consumer/pack.js";
import {
  type ConsumerServer,
  expectConsumerRun,
  startConsumerServer,
} from "./fixtures/consumer/server.js";
import { repoRoot } from "./helpers.js";

const fixtures = path.join(import.meta.dirname, "fixtures/consumer");
const catalog = readCatalog(repoRoot);
/** What the consumer fixture imports. */
const USED = ["@custkit/customers", "@custkit/nuweb", "@custkit/runtime"];
const INSTALL = 420_000;

let work: string;
let server: ConsumerServer;

/**
 * A consumer's environment: without what the package manager running this test exports
 * (NODE_PATH from pnpm's bin shims, npm_config_*, npm_package_*), which a consumer does not have.
 */
const env = Object.fromEntries(
  Object.entries(process.env).filter(
    ([key]) => key !== "NODE_PATH" && !/^(npm_(config|package|lifecycle)_|PNPM_)/i.test(key),
  ),
);

const inConsumer = (cmd: string, args: string[], cwd: string, timeout = INSTALL) =>
  run(cmd, args, { cwd, env, timeout, maxBuffer: 64 * 1024 * 1024 }).catch(
    (e: { stdout: string; stderr: string }) => {
      throw new Error(`${cmd} ${args.join(" ")} failed in ${cwd}:\n${e.stdout}${e.stderr}`);
    },
  );

const [pnpmCmd, pnpmLead] = pnpm();
const runPnpm = (args: string[], cwd: string) => inConsumer(pnpmCmd, [...pnpmLead, ...args], cwd);

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "custkit-repos-"));
  server = await startConsumerServer();
});

afterAll(async () => {
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** A strict ESM consumer of `dependencies` in `dir` (the fixture, its tsconfig, its manifest). */
async function writeConsumer(dir: string, dependencies: Record<string, string>): Promise<void> {
  await mkdir(path.join(dir, "src"), { recursive: true });
  await writeFile(
    path.join(dir, "package.json"),
    JSON.stringify(
      {
        name: `consumer-${path.basename(dir)}`,
        private: true,
        type: "module",
        dependencies,
        devDependencies: {
          typescript: catalog.get("typescript"),
          "@types/node": catalog.get("@types/node"),
        },
      },
      null,
      2,
    ),
  );
  await copyFile(path.join(fixtures, "esm.ts.txt"), path.join(dir, "src/esm.ts"));
  await writeFile(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        skipLibCheck: false,
        types: ["node"],
        target: "ES2022",
        module: "node16",
        moduleResolution: "node16",
        outDir: "out",
      },
      files: ["src/esm.ts"],
    }),
  );
}

const pnpmInstall = (dir: string) => runPnpm(["install", "--prefer-offline"], dir);

const npmInstall = (dir: string) =>
  inConsumer(
    "npm",
    ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"],
    dir,
  );

/** Type-check (strict, node16) and emit, then run against the loopback vendor. */
async function checkAndRun(dir: string): Promise<void> {
  const tsc = path.join(dir, "node_modules/typescript/bin/tsc");
  await inConsumer(process.execPath, [tsc, "-p", dir], dir, 180_000);
  server.received.length = 0;
  const { stdout } = await run(process.execPath, [path.join(dir, "out/esm.js")], {
    cwd: dir,
    env: { ...env, CUSTKIT_BASE_URL: server.baseUrl },
    timeout: 60_000,
  });
  expectConsumerRun(stdout, server.received, "esm");
}

describe("inside another pnpm workspace (vendor/custkit/packages/*)", () => {
  let host: string;
  const pnpmHost = (args: string[]) => runPnpm(args, host);

  beforeAll(async () => {
    host = path.join(work, "host");
    await copyRepo(path.join(host, "vendor/custkit"));
    // The host's own workspace: no catalog, only custkit's packages and the app.
    await writeFile(
      path.join(host, "pnpm-workspace.yaml"),
      "packages:\n  - app\n  - vendor/custkit/packages/*\n",
    );
    await writeFile(
      path.join(host, "package.json"),
      JSON.stringify({ name: "host", private: true }),
    );
    await writeConsumer(
      path.join(host, "app"),
      Object.fromEntries(USED.map((name) => [name, "workspace:*"])),
    );
  }, 60_000);

  test("installs, builds custkit's packages and skips their generate", async () => {
    await pnpmHost(["install", "--prefer-offline"]);
    await pnpmHost(["--filter", "consumer-app^...", "run", "build"]);
    const { stdout } = await pnpmHost(["--filter", "@custkit/nuweb", "run", "generate"]);
    expect(stdout).toContain("the generator is not installed in this workspace");
    const built = await readFile(
      path.join(host, "vendor/custkit/packages/customers/dist/index.d.ts"),
      "utf8",
    );
    expect(built).toContain("createCustomers");
  }, 600_000);

  test("the app type-checks and updates a customer", async () => {
    await checkAndRun(path.join(host, "app"));
  }, 240_000);
});

describe("from git tags written by release:git", () => {
  let url: string;
  let specs: Map<string, string>;

  beforeAll(async () => {
    // custkit's repository on disk: a main branch (a remote's HEAD) and, after the release, the tags.
    const bare = path.join(work, "custkit.git");
    await run("git", ["init", "-q", "--bare", "-b", "main", bare]);
    await run("git", ["push", "-q", bare, "HEAD:refs/heads/main"], { cwd: repoRoot });
    url = `git+file://${bare}`;
    const released = await releaseToGit({ root: repoRoot, url, push: bare });
    expect(released.every((r) => r.commit)).toBe(true);
    specs = new Map(released.map((r) => [r.name, r.spec]));
    const again = await releaseToGit({ root: repoRoot, url, push: bare });
    expect(again.map((r) => r.commit)).toEqual(again.map(() => undefined)); // tags are kept
  }, 300_000);

  test.each([
    ["pnpm", pnpmInstall],
    ["npm", npmInstall],
  ] as const)(
    "installs with %s, type-checks and updates a customer",
    async (manager, install) => {
      const dir = path.join(work, `git-${manager}`);
      await writeConsumer(
        dir,
        Object.fromEntries(USED.map((name) => [name, specs.get(name) as string])),
      );
      expect(specs.get("@custkit/runtime")).toMatch(
        /^git\+file:\/\/.*#dist\/runtime\/v\d+\.\d+\.\d+$/,
      );
      await install(dir);
      const customers = JSON.parse(
        await readFile(path.join(dir, "node_modules/@custkit/customers/package.json"), "utf8"),
      );
      expect(customers.dependencies["@custkit/runtime"]).toBe(specs.get("@custkit/runtime"));
      expect(customers.scripts).toBeUndefined();
      await checkAndRun(dir);
    },
    600_000,
  );
});

describe("linked from a local checkout", () => {
  test.each([
    ["pnpm", "link:", pnpmInstall],
    ["npm", "file:", npmInstall],
  ] as const)(
    "%s (%s) type-checks and updates a customer",
    async (manager, protocol, install) => {
      const dir = path.join(work, `linked-${manager}`);
      await writeConsumer(
        dir,
        Object.fromEntries(
          USED.map((name) => [
            name,
            `${protocol}${path.join(repoRoot, "packages", name.slice("@custkit/".length))}`,
          ]),
        ),
      );
      await install(dir);
      await checkAndRun(dir);
    },
    600_000,
  );
});
