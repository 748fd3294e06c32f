/**
 * custkit inside another pnpm workspace, as a submodule or subtree puts it: the host's
 * pnpm-workspace.yaml (no catalog) lists vendor/custkit/packages/*; it installs, builds custkit's
 * packages (their generate scripts skip: the generator is not installed there), and its app
 * type-checks strictly and updates a customer at a loopback vendor.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { copyRepo } from "./fixtures/consumer/pack.js";
import { checkAndRun, runPnpm, USED, writeConsumer } from "./fixtures/consumer/project.js";
import { consumerSandbox } from "./fixtures/consumer/server.js";

const sandbox = consumerSandbox("custkit-host-");

describe("inside another pnpm workspace (vendor/custkit/packages/*)", () => {
  let host: string;
  const pnpmHost = (args: string[]) => runPnpm(args, host);

  beforeAll(async () => {
    host = path.join(sandbox.work, "host");
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
    await checkAndRun(path.join(host, "app"), sandbox.server);
  }, 240_000);
});
