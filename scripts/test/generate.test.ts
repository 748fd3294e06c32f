/**
 * The generator itself, run on temp copies of specs/ + packages/ (never on the real tree):
 * determinism, --check (stale, missing, extra files), and broken inputs that must fail with
 * file + JSON pointer + reason while leaving packages/ byte-for-byte untouched.
 */
import { execFile } from "node:child_process";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, test } from "vitest";
import { generate } from "../src/generate/generate.js";
import { PROVIDERS, repoRoot, scriptsDir, tempRepo } from "./helpers.js";

const run = promisify(execFile);

async function cli(
  root: string,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const tsx = path.join(scriptsDir, "node_modules/.bin/tsx");
  try {
    const { stdout, stderr } = await run(tsx, [
      path.join(scriptsDir, "src/generate/cli.ts"),
      "--root",
      root,
      ...args,
    ]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Every file under packages/<generated>/ (dist etc. excluded), path → content. */
async function snapshot(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (dir: string, rel: string) => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      if (["node_modules", "dist", ".turbo"].includes(e.name)) continue;
      const r = `${rel}/${e.name}`;
      if (e.isDirectory()) await walk(path.join(dir, e.name), r);
      else out.set(r, await readFile(path.join(dir, e.name), "utf8"));
    }
  };
  for (const p of PROVIDERS) await walk(path.join(root, "packages", p), `packages/${p}`);
  return out;
}

describe("determinism", () => {
  test("two fresh generations are byte-identical, and match the committed packages", async () => {
    const [a, b] = await Promise.all([tempRepo(), tempRepo()]);
    for (const dir of [a, b])
      for (const p of PROVIDERS)
        await rm(path.join(dir, "packages", p), { recursive: true, force: true });
    await generate({ root: a });
    await generate({ root: b });
    const [sa, sb, committed] = await Promise.all([snapshot(a), snapshot(b), snapshot(repoRoot)]);
    expect(sa.size).toBeGreaterThanOrEqual(PROVIDERS.length * 8);
    expect([...sa.keys()]).toEqual([...sb.keys()]);
    for (const [file, content] of sa) expect(sb.get(file), file).toBe(content);
    // The committed tree is what generation produces (versions may differ: changesets bump them).
    for (const [file, content] of sa) {
      if (file.endsWith("package.json")) continue;
      expect(committed.get(file), file).toBe(content);
    }
    // A rerun on a generated tree changes nothing.
    expect((await generate({ root: a })).changes).toEqual([]);
  });
});

describe("--check", () => {
  test("clean tree exits 0; an edited, an extra and a stale-by-spec file exit 1 naming the file", async () => {
    const root = await tempRepo();
    const clean = await cli(root, "--check");
    expect(clean.code, clean.stderr).toBe(0);

    const client = path.join(root, "packages/align/src/client.ts");
    await writeFile(client, `${await readFile(client, "utf8")}// hand edit\n`);
    await writeFile(path.join(root, "packages/maia/src/extra.ts"), "export {};\n");
    await rm(path.join(root, "packages/nuweb/README.md"));
    const spec = path.join(root, "specs/loanpro/openapi.yaml");
    await writeFile(
      spec,
      (await readFile(spec, "utf8")).replace(
        "summary: Edit a customer's basic information",
        "summary: Edit a customer",
      ),
    );

    const stale = await cli(root, "--check");
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/stale\s+packages\/align\/src\/client\.ts/);
    expect(stale.stderr).toMatch(/extra\s+packages\/maia\/src\/extra\.ts/);
    expect(stale.stderr).toMatch(/missing\s+packages\/nuweb\/README\.md/);
    expect(stale.stderr).toMatch(/stale\s+packages\/loanpro\/openapi\.json/);
    // --check writes nothing
    expect(await readFile(client, "utf8")).toMatch(/hand edit/);

    const fixed = await cli(root);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(await readFile(client, "utf8")).not.toMatch(/hand edit/);
    const after = await cli(root, "--check");
    expect(after.code, after.stderr).toBe(0);
  });
});

describe("broken inputs fail with file + JSON pointer + reason and leave packages/ untouched", () => {
  const cases: { name: string; file: string; edit: (text: string) => string; expected: RegExp }[] =
    [
      {
        name: "invalid vendor spec (operation without responses)",
        file: "specs/loanpro/openapi.yaml",
        edit: (t) =>
          t.replace(/\n {6}responses:\n {8}'200':/, "\n      responsez:\n        '200':"),
        expected:
          /specs\/loanpro\/openapi\.yaml#\/paths\/~1odata\.svc~1Customers\(\{id\}\)\/put: .*(responses|additional)/,
      },
      {
        name: "overlay that makes the effective spec invalid",
        file: "specs/nuweb/overlay.yaml",
        edit: (t) => t.replace("      format: date\n", "      format: date\n      type: 42\n"),
        expected:
          /specs\/nuweb\/overlay\.yaml#\/components\/schemas\/UpdateCustomerRequest\/properties\/dob.*effective spec/,
      },
      {
        name: "overlay action whose target matches nothing",
        file: "specs/maia/overlay.yaml",
        edit: (t) =>
          t.replace(
            "target: $.paths['/customers/{id}'].put.responses\n",
            "target: $.paths['/customers/{nope}'].put.responses\n",
          ),
        expected: /specs\/maia\/overlay\.yaml#\/actions\/\d+: .*matches nothing/,
      },
      {
        name: "provider.yaml naming an operation the spec lacks",
        file: "specs/align/provider.yaml",
        edit: (t) =>
          t.replace("path: /v0/customers/{customer_id}", "path: /v0/customer/{customer_id}"),
        expected:
          /specs\/align\/provider\.yaml#\/operations\/updateCustomer: no PUT \/v0\/customer\/\{customer_id\}/,
      },
      {
        name: "provider.yaml with an unknown auth scheme",
        file: "specs/enfuce/provider.yaml",
        edit: (t) => t.replace("auth: [basic, bearer]", "auth: [basic, oauth]"),
        expected: /specs\/enfuce\/provider\.yaml#\/auth\/1: security scheme "oauth"/,
      },
      {
        name: "unparseable JSON spec",
        file: "specs/align/openapi.json",
        edit: (t) => t.slice(0, 200),
        expected: /specs\/align\/openapi\.json: invalid JSON/,
      },
    ];
  test.each(cases)("$name", async ({ file, edit, expected }) => {
    const root = await tempRepo();
    const before = await snapshot(root);
    const target = path.join(root, file);
    await writeFile(target, edit(await readFile(target, "utf8")));
    const result = await cli(root);
    expect(result.code, result.stdout).toBe(2);
    expect(result.stderr).toMatch(expected);
    expect(result.stderr).toMatch(/packages\/ left untouched/);
    const after = await snapshot(root);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [f, content] of before) expect(after.get(f), f).toBe(content);
  });
});
