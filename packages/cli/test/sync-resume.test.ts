/**
 * `custkit sync` reruns through the built binary: resume by content, unchanged failures not
 * appended again, --restart, --failed-out, --check, and configuration mistakes (exit 2).
 */
import { createHash, createHmac } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import canonicalize from "canonicalize";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALIGN_ID, run, startServer, tempDir } from "./helpers.js";

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const env = () => ({
  CUSTKIT_NUWEB_TOKEN: "planted-nuweb-token-r",
  CUSTKIT_NUWEB_BASE_URL: server.url,
});
const line = (id: number, email: string) =>
  JSON.stringify({ ids: { nuweb: String(id) }, patch: { email } });
const readLines = async (file: string) => (await readFile(file, "utf8")).trim().split("\n");

/** Ten customers without keys; line 2 is not JSON, line 5's email is refused. */
const original = () => [
  line(1, "c1@example.com"),
  '{"ids": {"nuweb": "2"}, "patch": ',
  line(3, "c3@example.com"),
  line(4, "c4@example.com"),
  line(5, "not-an-email"),
  ...[6, 7, 8, 9, 10].map((i) => line(i, `c${i}@example.com`)),
];

async function setup() {
  const dir = await tempDir();
  const file = path.join(dir, "patches.ndjson");
  const out = path.join(dir, "results.ndjson");
  await writeFile(file, `${original().join("\n")}\n`);
  const sync = (...extra: string[]) =>
    run(["sync", "-f", file, "--providers", "nuweb", "-o", out, "--json", ...extra], {
      env: env(),
    });
  return { dir, file, out, sync };
}

describe("sync resume by content", () => {
  it("a fixed line is sent again after another line was deleted (no silent skip)", async () => {
    const { file, out, sync } = await setup();
    const first = await sync();
    expect(first.code).toBe(3); // a bad line and a refusal, no vendor failure
    expect(JSON.parse(first.stdout)).toMatchObject({ ok: 8, failed: 1, badLines: 1 });

    // The scenario of the report: delete the bad line, fix another; every line number shifts.
    const edited = original().filter((_, i) => i !== 1);
    edited[3] = line(5, "c5@example.com");
    await writeFile(file, `${edited.join("\n")}\n`);
    const before = server.count();
    const second = await sync();
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ resumed: 8, ok: 1, failed: 0 });
    expect(server.count() - before).toBe(1);
    const sent = server.requests.at(-1);
    expect(sent?.body).toContain('"c5@example.com"');
    const last = JSON.parse((await readLines(out)).at(-1) as string);
    expect(last).toMatchObject({ key: "nuweb:5", provider: "nuweb", ok: true, line: 4 });
    expect(last.digest).toMatch(/^[0-9a-f]{32}$/);
  });

  it("an unchanged bad line and refusal are counted but not appended again; --restart starts over", async () => {
    const { out, sync } = await setup();
    await sync();
    const recorded = (await readLines(out)).length;
    const before = server.count();
    const again = await sync();
    expect(again.code).toBe(3);
    const s = JSON.parse(again.stdout);
    expect(s).toMatchObject({ resumed: 8, unchanged: 2, badLines: 1, failed: 1 });
    expect(s.failures).toMatchObject({
      bad_line: expect.any(Object),
      validation: expect.any(Object),
    });
    expect(await readLines(out)).toHaveLength(recorded);
    expect(server.count()).toBe(before);

    const restart = await sync("--restart");
    expect(JSON.parse(restart.stdout)).toMatchObject({ resumed: 0, ok: 8, unchanged: 0 });
    expect(server.count() - before).toBe(8);
    expect(await readLines(out)).toHaveLength(recorded); // emptied, then the same ten lines
  });

  it("--failed-out holds the failed input lines as they were, ready to fix; the summary groups by kind and reason", async () => {
    const { dir, sync } = await setup();
    const failed = path.join(dir, "failed.ndjson");
    const r = await sync("--failed-out", failed);
    expect(await readLines(failed)).toEqual([original()[1], original()[4]]);
    const s = JSON.parse(r.stdout);
    expect(Object.keys(s.failures).sort()).toEqual(["bad_line", "validation"]);
    const text = await sync("--failed-out", failed).then(() =>
      run(
        [
          "sync",
          "-f",
          path.join(dir, "patches.ndjson"),
          "--providers",
          "nuweb",
          "-o",
          path.join(dir, "results.ndjson"),
        ],
        { env: env() },
      ),
    );
    expect(text.stdout).toMatch(/bad_line:\n\s+1 × not valid JSON/);
    expect(text.stdout).toMatch(/validation:\n\s+1 × email/);
    expect(text.stdout).toMatch(/2 of these failed the same way before/);
  });

  it("--check plans every line, sends nothing, needs no credentials, writes no results", async () => {
    const { file, out } = await setup();
    const before = server.count();
    const r = await run([
      "sync",
      "-f",
      file,
      "--providers",
      "nuweb",
      "-o",
      out,
      "--check",
      "--json",
    ]);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ checked: true, ok: 8, failed: 1, badLines: 1 });
    expect(server.count()).toBe(before);
    expect(existsSync(out)).toBe(false);
    expect(r.stderr).toMatch(/line 5: nuweb nuweb:5: validation/);
  });
});

describe("the results file alone reveals nothing of a line's content", () => {
  const content = (l: string) => {
    const { ids, patch } = JSON.parse(l);
    return canonicalize({ ids, patch }) as string;
  };

  it("digests are keyed by <out>.key (0600, kept across reruns and --restart); results and --failed-out are 0600", async () => {
    const { dir, out, sync } = await setup();
    const failed = path.join(dir, "failed.ndjson");
    await sync("--failed-out", failed);
    const keyFile = `${out}.key`;
    const mode = async (f: string) => (await stat(f)).mode & 0o777;
    expect(await mode(keyFile)).toBe(0o600);
    expect(await mode(out)).toBe(0o600);
    expect(await mode(failed)).toBe(0o600);

    const first = (await readLines(out)).map((l) => JSON.parse(l)).find((r) => r.line === 1);
    const plain = createHash("sha256")
      .update(content(original()[0] as string))
      .digest("hex");
    expect(first.digest).not.toBe(plain.slice(0, 32));
    const key = Buffer.from((await readFile(keyFile, "utf8")).trim(), "hex");
    const keyed = createHmac("sha256", key).update(content(original()[0] as string));
    expect(first.digest).toBe(keyed.digest("hex").slice(0, 32));

    const again = JSON.parse((await sync()).stdout);
    expect(again).toMatchObject({ resumed: 8, ok: 0 });
    await sync("--restart");
    expect(await readFile(keyFile, "utf8")).toBe(`${key.toString("hex")}\n`);
  });

  it("results under another key are not resumed: their pairs are sent again (warned when the key was missing)", async () => {
    const { out, sync } = await setup();
    await sync();
    await writeFile(`${out}.key`, `${"ab".repeat(32)}\n`);
    let before = server.count();
    expect(JSON.parse((await sync()).stdout)).toMatchObject({ resumed: 0, ok: 8 });
    expect(server.count() - before).toBe(8);

    await rm(`${out}.key`);
    before = server.count();
    const missing = await sync();
    expect(JSON.parse(missing.stdout)).toMatchObject({ resumed: 0, ok: 8 });
    expect(server.count() - before).toBe(8);
    expect(missing.stderr).toContain(`warning: ${out}.key was missing`);
  });
});

describe("sync configuration mistakes exit 2 before anything is sent", () => {
  it.each<[string, string[], Record<string, string>]>([
    // Without a base URL: the environment decides where requests would go.
    ["an unknown environment", ["--config", "align.environment=prod"], { NO_BASE_URL: "1" }],
    ["a base URL that is not one", [], { CUSTKIT_ALIGN_BASE_URL: "not a url" }],
    ["an empty key in the credentials file", ["--credentials-file", "CREDS"], {}],
    ["a zero rate", ["--rate", "align=0"], {}],
  ])("%s", async (_, args, extraEnv) => {
    const dir = await tempDir();
    const file = path.join(dir, "p.ndjson");
    await writeFile(
      file,
      `${JSON.stringify({ ids: { align: ALIGN_ID }, patch: { occupation: "Pilot" } })}\n`,
    );
    const creds = path.join(dir, "creds.json");
    await writeFile(creds, JSON.stringify({ align: { apiKey: "" } }));
    const before = server.count();
    const r = await run(
      ["sync", "-f", file, "--providers", "align", ...args.map((a) => (a === "CREDS" ? creds : a))],
      {
        env: {
          ...(args.includes("--credentials-file")
            ? {}
            : { CUSTKIT_ALIGN_API_KEY: "planted-align-key-c" }),
          ...("NO_BASE_URL" in extraEnv ? {} : { CUSTKIT_ALIGN_BASE_URL: server.url }),
          ...extraEnv,
        },
      },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/align/);
    expect(r.stderr).not.toContain("planted-");
    expect(server.count()).toBe(before);
  });

  it("update: an unknown --environment exits 2, not 3 (which is for refused patches)", async () => {
    const r = await run(
      [
        "update",
        "-p",
        "align",
        "-i",
        ALIGN_ID,
        "--set",
        "occupation=Pilot",
        "--environment",
        "prod",
      ],
      { env: { CUSTKIT_ALIGN_API_KEY: "planted-align-key-c" } },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/align.*environment.*prod/);
    expect(r.stderr).not.toContain("planted-");
  });

  it("an unwritable --out is named before anything is sent", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "p.ndjson");
    await writeFile(
      file,
      `${JSON.stringify({ ids: { align: ALIGN_ID }, patch: { occupation: "Pilot" } })}\n`,
    );
    const before = server.count();
    const r = await run(
      ["sync", "-f", file, "--providers", "align", "-o", "/nonexistent/dir/r.ndjson"],
      {
        env: { CUSTKIT_ALIGN_API_KEY: "planted-align-key-c", CUSTKIT_ALIGN_BASE_URL: server.url },
      },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--out /nonexistent/dir/r.ndjson: cannot be written (ENOENT)");
    expect(server.count()).toBe(before);
  });
});
