/**
 * custkit linked from a local checkout (this one, built), for developing against an unreleased
 * change: pnpm `link:` and npm `file:` to packages/<p>; a fresh project type-checks strictly and
 * updates a customer at a loopback vendor.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import {
  checkAndRun,
  npmInstall,
  pnpmInstall,
  USED,
  writeConsumer,
} from "./fixtures/consumer/project.js";
import { type ConsumerServer, startConsumerServer } from "./fixtures/consumer/server.js";
import { repoRoot } from "./helpers.js";

let work: string;
let server: ConsumerServer;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "custkit-linked-"));
  server = await startConsumerServer();
});

afterAll(async () => {
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
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
      await checkAndRun(dir, server);
    },
    600_000,
  );
});
