/**
 * custkit linked from a local checkout (this one, built), for developing against an unreleased
 * change: pnpm `link:` and npm `file:` to packages/<p>; a fresh project type-checks strictly and
 * updates a customer at a loopback vendor.
 */
import path from "node:path";
import { describe, test } from "vitest";
import {
  checkAndRun,
  npmInstall,
  pnpmInstall,
  USED,
  writeConsumer,
} from "./fixtures/consumer/project.js";
import { consumerSandbox } from "./fixtures/consumer/server.js";
import { repoRoot } from "./helpers.js";

const sandbox = consumerSandbox("custkit-linked-");

describe("linked from a local checkout", () => {
  test.each([
    ["pnpm", "link:", pnpmInstall],
    ["npm", "file:", npmInstall],
  ] as const)(
    "%s (%s) type-checks and updates a customer",
    async (manager, protocol, install) => {
      const dir = path.join(sandbox.work, `linked-${manager}`);
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
      await checkAndRun(dir, sandbox.server);
    },
    600_000,
  );
});
