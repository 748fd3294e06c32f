/**
 * custkit from git without a registry: `pnpm release:git` tags each package's packed contents in
 * a bare repository on disk (which also has a main branch, as a remote has), and fresh pnpm and
 * npm projects install the tags over git+file://, type-check strictly and update a customer at a
 * loopback vendor.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { releaseToGit } from "../src/release-git/release.js";
import { run } from "./fixtures/consumer/pack.js";
import {
  checkAndRun,
  npmInstall,
  pnpmInstall,
  USED,
  writeConsumer,
} from "./fixtures/consumer/project.js";
import { consumerSandbox } from "./fixtures/consumer/server.js";
import { repoRoot } from "./helpers.js";

const sandbox = consumerSandbox("custkit-git-");

describe("from git tags written by release:git", () => {
  let url: string;
  let specs: Map<string, string>;

  beforeAll(async () => {
    // custkit's repository on disk: a main branch (a remote's HEAD) and, after the release, the tags.
    const bare = path.join(sandbox.work, "custkit.git");
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
      const dir = path.join(sandbox.work, `git-${manager}`);
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
      await checkAndRun(dir, sandbox.server);
    },
    600_000,
  );
});
