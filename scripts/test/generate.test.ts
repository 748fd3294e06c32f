/**
 * The generator itself, run on temp copies of specs/ + packages/ (never on the real tree):
 * determinism, --check (stale, missing, extra files, orphaned packages), and broken inputs that
 * must fail with file + JSON pointer + reason while leaving packages/ byte-for-byte untouched.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
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

/** Every file under packages/ (dist etc. excluded), path → content. */
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
  await walk(path.join(root, "packages"), "packages");
  return out;
}

function expectSame(after: Map<string, string>, before: Map<string, string>): void {
  expect([...after.keys()]).toEqual([...before.keys()]);
  for (const [f, content] of before) expect(after.get(f), f).toBe(content);
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
        name: "provider.yaml with an unknown error body shape",
        file: "specs/loanpro/provider.yaml",
        edit: (t) => t.replace("errorShapes: [odata]", "errorShapes: [odata, soap]"),
        expected:
          /specs\/loanpro\/provider\.yaml#\/errorShapes: must be a list of distinct error body shapes from enfuce, odata, strapi/,
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
    expectSame(await snapshot(root), before);
  });
});

describe("orphaned packages: a generated packages/<p>/ whose specs/<p>/ is gone", () => {
  /** A temp repo whose specs/maia/ was deleted; packages/maia/ also holds what changesets and a build leave. */
  async function orphanRepo(): Promise<string> {
    const root = await tempRepo();
    await rm(path.join(root, "specs/maia"), { recursive: true });
    await writeFile(path.join(root, "packages/maia/CHANGELOG.md"), "# @custkit/maia\n");
    await mkdir(path.join(root, "packages/maia/dist"));
    await writeFile(path.join(root, "packages/maia/dist/index.js"), "export {};\n");
    return root;
  }
  const orphanLine =
    /orphan\s+packages\/maia\/ \(generated from specs\/maia\/, which no longer exists\)/;

  test("--check reports it, exits 1 and leaves packages/ untouched", async () => {
    const root = await orphanRepo();
    const before = await snapshot(root);
    const result = await cli(root, "--check");
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(orphanLine);
    // the orphan is the only problem: the other providers are up to date
    expect(result.stderr.trim().split("\n").slice(1)).toHaveLength(1);
    expectSame(await snapshot(root), before);
    expect(existsSync(path.join(root, "packages/maia/dist/index.js"))).toBe(true);
    expect((await generate({ root, check: true })).changes).toEqual([
      { file: "packages/maia/", kind: "orphan", spec: "specs/maia/" },
    ]);
  });

  test("generate deletes the whole package with the other writes; a renamed spec moves it", async () => {
    const root = await orphanRepo();
    await rename(path.join(root, "specs/nuweb"), path.join(root, "specs/nuwebgroup"));
    const config = path.join(root, "specs/nuwebgroup/provider.yaml");
    await writeFile(
      config,
      (await readFile(config, "utf8"))
        .replace("name: nuweb\n", "name: nuwebgroup\n")
        .replace('package: "@custkit/nuweb"', 'package: "@custkit/nuwebgroup"'),
    );
    const before = await snapshot(root);
    const result = await cli(root);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/deleted packages\/maia\/ \(generated from specs\/maia\//);
    expect(result.stdout).toMatch(/deleted packages\/nuweb\/ \(generated from specs\/nuweb\//);
    expect(result.stdout).toMatch(/created packages\/nuwebgroup\/src\/client\.ts/);
    expect(result.stdout).toMatch(/pnpm install/);
    // gone entirely (CHANGELOG.md and dist/ too), no temp folder left behind
    expect((await readdir(path.join(root, "packages"))).sort()).toEqual([
      "align",
      "enfuce",
      "loanpro",
      "nuwebgroup",
    ]);
    const after = await snapshot(root);
    for (const p of ["align", "enfuce", "loanpro"])
      for (const [f, content] of before)
        if (f.startsWith(`packages/${p}/`)) expect(after.get(f), f).toBe(content);
    const after2 = await cli(root, "--check");
    expect(after2.code, after2.stderr).toBe(0);
  });

  test("hand-written packages (runtime, customers, cli) are never orphans", async () => {
    const root = await tempRepo();
    for (const p of ["runtime", "customers", "cli"])
      await cp(path.join(repoRoot, "packages", p), path.join(root, "packages", p), {
        recursive: true,
        filter: (src) => !/[/\\](node_modules|dist|\.turbo)$/.test(src),
      });
    // a folder without package.json, and one whose package.json is not JSON: not provably ours
    await mkdir(path.join(root, "packages/scratch"));
    await writeFile(path.join(root, "packages/scratch/notes.md"), "wip\n");
    await mkdir(path.join(root, "packages/broken"));
    await writeFile(path.join(root, "packages/broken/package.json"), "{");
    const before = await snapshot(root);
    const check = await cli(root, "--check");
    expect(check.code, check.stderr).toBe(0);
    const write = await cli(root);
    expect(write.code, write.stderr).toBe(0);
    expectSame(await snapshot(root), before);
  });

  test("naming providers leaves an orphan alone; naming the orphan's own spec says how to remove it", async () => {
    const root = await orphanRepo();
    const client = path.join(root, "packages/align/src/client.ts");
    await writeFile(client, `${await readFile(client, "utf8")}// hand edit\n`);
    const before = await snapshot(root);
    const check = await cli(root, "--check", "align", "enfuce");
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(/stale\s+packages\/align\/src\/client\.ts/);
    expect(check.stderr).not.toMatch(/orphan|maia/);
    const write = await cli(root, "align");
    expect(write.code, write.stderr).toBe(0);
    expect(write.stdout).not.toMatch(/maia/);
    const after = await snapshot(root);
    for (const [f, content] of before)
      if (f.startsWith("packages/maia/")) expect(after.get(f), f).toBe(content);
    expect(existsSync(path.join(root, "packages/maia/dist/index.js"))).toBe(true);
    expect(await readFile(client, "utf8")).not.toMatch(/hand edit/);

    const own = await cli(root, "maia");
    expect(own.code).toBe(2);
    expect(own.stderr).toMatch(
      /specs\/maia: no such provider folder; packages\/maia\/ is an orphan: `pnpm generate` without provider names deletes it/,
    );
    expectSame(await snapshot(root), after);
  });
});
