/** spec:update from a file and from a loopback HTTP server; nothing is overwritten on failure. */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { main } from "../src/spec-update/cli.js";
import { downloadSpec } from "../src/spec-update/fetch.js";

const FIXTURE_PROVIDER = join(import.meta.dirname, "fixtures/spec-diff/provider/acme");
const dirs: string[] = [];
const ORIGINAL = readFileSync(join(FIXTURE_PROVIDER, "openapi.yaml"));

function tempRepo(): string {
  const root = mkdtempSync(join(tmpdir(), "custkit-spec-update-"));
  dirs.push(root);
  cpSync(FIXTURE_PROVIDER, join(root, "specs/acme"), { recursive: true });
  const g = (...a: string[]) =>
    execFileSync(
      "git",
      ["-c", "user.name=t", "-c", "user.email=t@example.test", "-c", "commit.gpgsign=false", ...a],
      { cwd: root },
    );
  g("init", "-q", "-b", "main");
  g("add", "-A");
  g("commit", "-q", "-m", "initial");
  return root;
}

function newSpecYaml(edit: (d: any) => void): string {
  const d = parse(ORIGINAL.toString("utf8"));
  edit(d);
  // A hand-formatted comment proves the bytes are kept verbatim (a re-serialisation would drop it).
  return `# downloaded from the vendor\n${stringify(d)}`;
}
const withNickname = newSpecYaml((d) => {
  d.components.schemas.CustomerUpdate.properties.nickname = { type: "string" };
});

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const specOf = (root: string) => readFileSync(join(root, "specs/acme/openapi.yaml"));

let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/spec.yaml") {
      res.writeHead(200, { "content-type": "application/yaml" });
      res.end(withNickname);
    } else if (req.url === "/spec.json") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(parse(withNickname)));
    } else if (req.url === "/huge") {
      res.writeHead(200, {
        "content-type": "application/yaml",
        "content-length": String(5_000_000),
      });
      res.end("x".repeat(5_000_000));
    } else if (req.url === "/huge-chunked") {
      res.writeHead(200, { "content-type": "application/yaml" }); // no content-length: the cap applies while streaming
      for (let i = 0; i < 50; i++) res.write("y".repeat(100_000));
      res.end();
    } else if (req.url === "/slow") {
      setTimeout(() => res.end(withNickname), 3_000).unref();
    } else {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not here");
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("spec:update", () => {
  it("--url: writes the downloaded bytes verbatim and prints the diff vs HEAD (minor)", async () => {
    const root = tempRepo();
    const r = await run("acme", "--url", `${base}/spec.yaml`, "--root", root, "--no-generate");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(specOf(root).toString("utf8")).toBe(withNickname);
    expect(r.out).toContain("wrote specs/acme/openapi.yaml");
    expect(r.out).toContain(
      "acme (@custkit/acme) — changed; bump: minor; 0 breaking, 1 non-breaking, 0 annotation",
    );
    expect(r.out).toContain("[Added] property `nickname`");
  });

  it("--file: same, from a downloaded file", async () => {
    const root = tempRepo();
    const file = join(root, "..", `${root.split("/").pop()}-new.yaml`);
    dirs.push(file);
    writeFileSync(
      file,
      newSpecYaml((d) => delete d.components.schemas.CustomerUpdate.properties.phone.description),
    );
    const r = await run("acme", "--file", file, "--root", root, "--no-generate");
    expect(r.code).toBe(0);
    expect(r.out).toContain("bump: patch");
  });

  it.each([
    ["404", "/missing", /HTTP 404/],
    ["oversized (content-length)", "/huge", /too large: 5000000 bytes declared, limit 1000000/],
    ["oversized (streamed)", "/huge-chunked", /too large: more than 1000000 bytes/],
  ])("--url %s → clear error, exit 1, nothing overwritten", async (_name, path, message) => {
    const root = tempRepo();
    const r = await run(
      "acme",
      "--url",
      `${base}${path}`,
      "--root",
      root,
      "--no-generate",
      "--max-bytes",
      "1000000",
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message);
    expect(specOf(root).equals(ORIGINAL)).toBe(true);
  });

  it("times out", async () => {
    await expect(downloadSpec(`${base}/slow`, { timeoutMs: 200 })).rejects.toThrow(
      /timed out after 200 ms/,
    );
  });

  it("refuses non-http(s) schemes", async () => {
    await expect(downloadSpec("file:///etc/passwd")).rejects.toThrow(/only http and https/);
    const root = tempRepo();
    const r = await run(
      "acme",
      "--url",
      "ftp://127.0.0.1/spec.yaml",
      "--root",
      root,
      "--no-generate",
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/only http and https URLs are allowed, got ftp/);
  });

  it("refuses a JSON spec for a YAML vendor file instead of converting it", async () => {
    const root = tempRepo();
    const r = await run("acme", "--url", `${base}/spec.json`, "--root", root, "--no-generate");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /the new spec is JSON but specs\/acme\/openapi.yaml is YAML; refusing to convert/,
    );
    expect(specOf(root).equals(ORIGINAL)).toBe(true);
  });

  it("refuses an invalid spec and a spec that breaks the overlay or provider.yaml", async () => {
    const root = tempRepo();
    const cases: Array<[string, RegExp]> = [
      [
        "openapi: 3.0.3\ninfo: {title: x}\npaths: {}\n",
        /vendor spec is not a valid OpenAPI 3.0 document/,
      ],
      [
        newSpecYaml((d) => delete d.components.schemas.CustomerUpdate.properties.phone),
        /overlay.yaml#\/actions\/0: .*matches nothing/,
      ],
      [
        newSpecYaml((d) => delete d.paths["/customers/{id}"]),
        /provider.yaml#\/operations\/updateCustomer: no PUT \/customers\/\{id\}/,
      ],
    ];
    mkdirSync(join(root, "in"));
    for (const [i, [text, message]] of cases.entries()) {
      const file = join(root, "in", `${i}.yaml`);
      writeFileSync(file, text);
      const r = await run("acme", "--file", file, "--root", root, "--no-generate");
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/nothing was written/);
      expect(r.err).toMatch(message);
      expect(specOf(root).equals(ORIGINAL)).toBe(true);
    }
  });

  it("exits 2 on bad arguments", async () => {
    expect((await run("acme")).code).toBe(2);
    expect((await run("acme", "--file", "a", "--url", "http://x")).code).toBe(2);
    expect((await run("--file", "a")).code).toBe(2);
    const root = tempRepo();
    expect((await run("nosuch", "--file", "a", "--root", root)).code).toBe(2);
  });
});
