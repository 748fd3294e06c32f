/** spec:diff against real git history: temp repositories under the OS temp dir. */
import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { main } from "../src/spec-diff/cli.js";

const FIXTURE_PROVIDER = join(import.meta.dirname, "fixtures/spec-diff/provider/acme");
const REAL_SPECS = join(import.meta.dirname, "../../specs");
const GUARD_FIXTURE = join(import.meta.dirname, "fixtures/overlay-guard");
const dirs: string[] = [];

function git(cwd: string, ...args: string[]) {
  return execFileSync(
    "git",
    [
      "-c",
      "user.name=test",
      "-c",
      "user.email=test@example.test",
      "-c",
      "commit.gpgsign=false",
      ...args,
    ],
    {
      cwd,
      encoding: "utf8",
    },
  );
}

function repoWith(providers: Record<string, string>, opts: { mapper?: string[] } = {}): string {
  const root = mkdtempSync(join(tmpdir(), "custkit-spec-diff-"));
  dirs.push(root);
  git(root, "init", "-q", "-b", "main");
  for (const [name, from] of Object.entries(providers))
    cpSync(from, join(root, "specs", name), { recursive: true });
  mkdirSync(join(root, ".changeset"));
  writeFileSync(join(root, ".changeset/README.md"), "changesets\n");
  for (const p of opts.mapper ?? []) {
    mkdirSync(join(root, "packages/customers/src/providers"), { recursive: true });
    writeFileSync(join(root, "packages/customers/src/providers", `${p}.ts`), "export {};\n");
  }
  git(root, "add", "-A");
  git(root, "commit", "-q", "-m", "initial");
  return root;
}

function editYaml(file: string, edit: (doc: any) => void) {
  const doc = parse(readFileSync(file, "utf8"));
  edit(doc);
  writeFileSync(file, stringify(doc));
}

async function run(root: string, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...args, "--root", root], {
    out: (s) => out.push(s),
    err: (s) => err.push(s),
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

function changesets(root: string): string[] {
  return readdirSync(join(root, ".changeset"))
    .filter((f) => f.endsWith(".md") && f !== "README.md")
    .map((f) => readFileSync(join(root, ".changeset", f), "utf8"));
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("spec:diff against a git base", () => {
  it("removed property → major changeset for the provider, plus customers (patch) when it has a mapper", async () => {
    const root = repoWith({ acme: FIXTURE_PROVIDER }, { mapper: ["acme"] });
    editYaml(join(root, "specs/acme/openapi.yaml"), (d) => {
      delete d.components.schemas.CustomerUpdate.properties.status;
    });
    const r = await run(root, "--base", "HEAD", "--write");
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      "acme (@custkit/acme) — changed; bump: major; 1 breaking, 0 non-breaking, 0 annotation",
    );
    expect(r.out).toContain(
      "PUT /customers/{id}  /paths/~1customers~1{id}/put/requestBody/content/application~1json/schema/properties/status",
    );
    const [cs, ...rest] = changesets(root);
    expect(rest).toEqual([]);
    expect(cs).toMatch(/^---\n"@custkit\/acme": major\n"@custkit\/customers": patch\n---\n/);
    expect(cs).toContain("[Removed] property `status` in Request Body content (application/json)");
    expect(cs).toContain("review packages/customers/src/providers/acme.ts");
  });

  it("a vendor change that leaves an overlay action stale → exit 1 naming the overlay action", async () => {
    const root = repoWith({ acme: FIXTURE_PROVIDER });
    editYaml(join(root, "specs/acme/openapi.yaml"), (d) => {
      delete d.components.schemas.CustomerUpdate.properties.phone;
    });
    const r = await run(root, "--write");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /in the working tree: specs\/acme\/overlay.yaml#\/actions\/0: .*matches nothing/,
    );
    expect(changesets(root)).toEqual([]);
  });

  it("added optional property in the working tree → minor; no customers entry", async () => {
    const root = repoWith({ acme: FIXTURE_PROVIDER }, { mapper: ["acme"] });
    editYaml(join(root, "specs/acme/openapi.yaml"), (d) => {
      d.components.schemas.CustomerUpdate.properties.nickname = { type: "string" };
    });
    const r = await run(root, "--write");
    expect(r.code).toBe(0);
    const [cs] = changesets(root);
    expect(cs).toMatch(/^---\n"@custkit\/acme": minor\n---\n/);
  });

  it("an overlay-only description change → patch (the effective spec is compared)", async () => {
    const root = repoWith({ acme: FIXTURE_PROVIDER });
    editYaml(join(root, "specs/acme/overlay.yaml"), (d) => {
      d.actions[0].update.description = "E.164 phone number.";
    });
    const r = await run(root, "--base", "HEAD", "--write", "--json");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.providers).toHaveLength(1);
    expect(report.providers[0]).toMatchObject({
      provider: "acme",
      package: "@custkit/acme",
      bump: "patch",
      customers: false,
    });
    expect(report.providers[0].changes[0]).toMatchObject({
      provider: "acme",
      operation: "PUT /customers/{id}",
      kind: "annotation",
    });
    expect(changesets(root)[0]).toMatch(/^---\n"@custkit\/acme": patch\n---\n/);
  });

  it("compares with an older commit; a provider new since base → minor", async () => {
    const root = repoWith({});
    const base = git(root, "rev-parse", "HEAD").trim();
    cpSync(FIXTURE_PROVIDER, join(root, "specs/acme"), { recursive: true });
    git(root, "add", "-A");
    git(root, "commit", "-q", "-m", "add acme");
    const r = await run(root, "--base", base, "--write");
    expect(r.code).toBe(0);
    expect(r.out).toContain("acme (@custkit/acme) — added; bump: minor");
    expect(changesets(root)[0]).toMatch(/^---\n"@custkit\/acme": minor\n---\n/);
  });

  it("no change → nothing printed but a 'no changes' line, no changeset, an empty masked list", async () => {
    const root = repoWith({ acme: FIXTURE_PROVIDER });
    const r = await run(root, "--write", "--masked", join(root, "masked.md"));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^No provider spec changes since HEAD/);
    expect(changesets(root)).toEqual([]);
    expect(readFileSync(join(root, "masked.md"), "utf8")).toBe("");
  });

  it("a vendor change an overlay shadows → no changeset, listed as masked (terminal and --masked file)", async () => {
    const shadowed = mkdtempSync(join(tmpdir(), "custkit-shadowed-"));
    dirs.push(shadowed);
    cpSync(join(FIXTURE_PROVIDER, "provider.yaml"), join(shadowed, "provider.yaml"));
    cpSync(join(GUARD_FIXTURE, "openapi.yaml"), join(shadowed, "openapi.yaml"));
    cpSync(join(GUARD_FIXTURE, "shadowing.yaml"), join(shadowed, "overlay.yaml"));
    const root = repoWith({ acme: shadowed });
    editYaml(join(root, "specs/acme/openapi.yaml"), (d) => {
      d.paths["/customers/{id}"].put.requestBody.content[
        "application/json"
      ].schema.oneOf[1].properties.vat_id = { type: "string" };
    });
    const r = await run(root, "--write", "--masked", join(root, "masked.md"));
    expect(r.code).toBe(0);
    const line =
      "/paths/~1customers~1{id}/put/requestBody/content/application~1json/schema/oneOf/1/properties/vat_id (added): masked by specs/acme/overlay.yaml#/actions/1: review the overlay";
    expect(r.out).toContain(
      "acme (@custkit/acme) — unchanged; bump: none; 0 breaking, 0 non-breaking, 0 annotation; 1 masked by the overlay",
    );
    expect(r.out).toContain(line);
    expect(changesets(root)).toEqual([]);
    expect(readFileSync(join(root, "masked.md"), "utf8")).toBe(`- acme: \`${line}\``);
  });

  it("a newly required field in one provider bumps only that provider", async () => {
    const root = repoWith({ acme: FIXTURE_PROVIDER, other: FIXTURE_PROVIDER });
    editYaml(join(root, "specs/other/provider.yaml"), (d) => {
      d.package = "@custkit/other";
    });
    git(root, "commit", "-q", "-am", "rename other");
    editYaml(join(root, "specs/acme/openapi.yaml"), (d) => {
      d.components.schemas.CustomerUpdate.required.push("phone");
    });
    const r = await run(root, "--write");
    expect(r.code).toBe(0);
    const all = changesets(root);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatch(/^---\n"@custkit\/acme": major\n---\n/);
  });

  const realProviders = existsSync(REAL_SPECS)
    ? readdirSync(REAL_SPECS).filter((p) => existsSync(join(REAL_SPECS, p, "provider.yaml")))
    : [];
  it.skipIf(realProviders.length === 0)(
    "real providers from specs/: unchanged → nothing; a new optional request property → minor",
    async () => {
      const root = repoWith(Object.fromEntries(realProviders.map((p) => [p, join(REAL_SPECS, p)])));
      expect((await run(root, "--write")).out).toMatch(/^No provider spec changes/);
      const p = realProviders[0] as string;
      const cfg = parse(readFileSync(join(root, "specs", p, "provider.yaml"), "utf8"));
      const specPath = join(root, "specs", p, cfg.spec);
      const json = specPath.endsWith(".json");
      const doc = json
        ? JSON.parse(readFileSync(specPath, "utf8"))
        : parse(readFileSync(specPath, "utf8"));
      doc.components ??= {};
      doc.components.schemas ??= {};
      doc.components.schemas.CustkitTestOnly = {
        type: "object",
        properties: { a: { type: "string" } },
      };
      writeFileSync(specPath, json ? JSON.stringify(doc) : stringify(doc));
      const r = await run(root, "--write", "--json");
      expect(r.code).toBe(0);
      const report = JSON.parse(r.out);
      expect(
        report.providers.map((d: { provider: string; bump: string }) => [d.provider, d.bump]),
      ).toEqual([[p, "minor"]]);
    },
  );
});
