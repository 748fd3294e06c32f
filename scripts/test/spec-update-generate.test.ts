/**
 * `generate --check` fails after a spec change and passes after regeneration — run through the
 * real commands (the codegen CLI as a child process with --root, spec:update in-process).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { main as specUpdate } from "../src/spec-update/cli.js";

const FIXTURE_PROVIDER = join(import.meta.dirname, "fixtures/spec-diff/provider/acme");
const CODEGEN = join(import.meta.dirname, "../src/generate/cli.ts");
const TSX = join(
  dirname(createRequire(import.meta.url).resolve("tsx/package.json")),
  "dist/cli.mjs",
);
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function generate(root: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [TSX, CODEGEN, "--root", root, ...args], {
    encoding: "utf8",
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe.skipIf(!existsSync(CODEGEN))("generate --check around a spec update", () => {
  it("fails before regeneration and passes after", { timeout: 120_000 }, async () => {
    const root = mkdtempSync(join(tmpdir(), "custkit-spec-regen-"));
    dirs.push(root);
    cpSync(FIXTURE_PROVIDER, join(root, "specs/acme"), { recursive: true });
    expect(generate(root).code).toBe(0);
    const g = (...a: string[]) =>
      execFileSync(
        "git",
        [
          "-c",
          "user.name=t",
          "-c",
          "user.email=t@example.test",
          "-c",
          "commit.gpgsign=false",
          ...a,
        ],
        { cwd: root },
      );
    g("init", "-q", "-b", "main");
    g("add", "-A");
    g("commit", "-q", "-m", "initial");
    expect(generate(root, "--check").code).toBe(0);

    const doc = parse(readFileSync(join(root, "specs/acme/openapi.yaml"), "utf8"));
    doc.components.schemas.CustomerUpdate.properties.nickname = {
      type: "string",
      description: "Preferred name.",
    };
    const newSpec = join(root, "new-openapi.yaml");
    writeFileSync(newSpec, stringify(doc));
    const quiet = { out: () => {}, err: () => {} };

    // Spec replaced without regenerating → the committed package is stale.
    expect(
      await specUpdate(["acme", "--file", newSpec, "--root", root, "--no-generate"], quiet),
    ).toBe(0);
    const stale = generate(root, "--check");
    expect(stale.code).toBe(1);
    expect(stale.out).toMatch(/stale\s+packages\/acme\/src\/schema\.ts/);

    // spec:update regenerates by default → up to date again; the new property is in the types.
    const out: string[] = [];
    expect(
      await specUpdate(["acme", "--file", newSpec, "--root", root], {
        out: (s) => out.push(s),
        err: (s) => out.push(s),
      }),
    ).toBe(0);
    expect(out.join("\n")).toMatch(/updated packages\/acme\/src\/schema\.ts/);
    expect(generate(root, "--check").code).toBe(0);
    expect(readFileSync(join(root, "packages/acme/src/schema.ts"), "utf8")).toContain("nickname");
  });
});
