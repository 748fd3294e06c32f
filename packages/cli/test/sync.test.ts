/** `custkit sync` through the built binary: bad lines, resume, progress lines, bounded memory. */
import { createWriteStream } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALIGN_ID, run, startServer, tempDir } from "./helpers.js";

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  // NuWeb customer "404" does not exist.
  server = await startServer((c) =>
    c.body.includes('"id":"404"')
      ? { status: 404, body: '{"message":"no such customer"}' }
      : undefined,
  );
});
afterAll(() => server.close());

const env = () => ({
  CUSTKIT_ALIGN_API_KEY: "planted-align-key-sync",
  CUSTKIT_ALIGN_BASE_URL: server.url,
  CUSTKIT_NUWEB_TOKEN: "planted-nuweb-token-sync",
  CUSTKIT_NUWEB_BASE_URL: server.url,
});

const results = async (file: string) =>
  (await readFile(file, "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe("sync", () => {
  it("reports a bad line by number, does the others, and a rerun sends nothing that succeeded", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "patches.ndjson");
    const lines = [
      JSON.stringify({
        key: "cust-1",
        ids: { align: ALIGN_ID, nuweb: "1" },
        patch: { email: "a@example.com" },
      }),
      JSON.stringify({
        key: "cust-2",
        ids: { align: ALIGN_ID, nuweb: "2" },
        patch: { name: { full: "Jane Doe" } },
      }),
      '{"key":"cust-3", "ids": {',
      JSON.stringify({ ids: { nuweb: "404" }, patch: { email: "b@example.com" } }),
      "",
      JSON.stringify({
        key: "cust-6",
        ids: { align: ALIGN_ID },
        patch: { kind: "individual", occupation: "Pilot" },
      }),
    ];
    await writeFile(file, `${lines.join("\n")}\n`);
    const out = path.join(dir, "results.ndjson");
    const before = server.count();
    const first = await run(
      ["sync", "-f", file, "--providers", "align,nuweb", "-o", out, "-c", "4", "--json"],
      { env: env() },
    );
    expect(first.stderr).toMatch(/line 3: bad line: not valid JSON/);
    // A line without a key is keyed by its ids (a line number shifts when lines are added or removed).
    expect(first.stderr).toMatch(/line 4: nuweb nuweb:404: not_found/);
    expect(first.code).toBe(1); // a vendor failure (404)
    const summary = JSON.parse(first.stdout);
    expect(summary).toMatchObject({ lines: 5, badLines: 1, ok: 3, failed: 3, resumed: 0 });
    expect(summary.failedByKind).toEqual({ unsupported: 2, not_found: 1 }); // align has no email or full-name field
    const r1 = await results(out);
    const byPair = Object.fromEntries(
      r1.filter((r) => r.provider).map((r) => [`${r.key}/${r.provider}`, r.ok]),
    );
    expect(byPair).toEqual({
      "cust-1/align": false,
      "cust-1/nuweb": true,
      "cust-2/align": false,
      "cust-2/nuweb": true,
      "nuweb:404/nuweb": false,
      "cust-6/align": true,
    });
    expect(r1.find((r) => r.line === 3)).toMatchObject({ ok: false, error: { kind: "bad_line" } });
    const sentFirst = server.count() - before;
    expect(sentFirst).toBe(4); // cust-1/nuweb, cust-2/nuweb, 4/nuweb (404), cust-6/align; the refusals send nothing
    expect(first.stdout + first.stderr + (await readFile(out, "utf8"))).not.toContain("planted-");

    const mid = server.count();
    const second = await run(
      ["sync", "-f", file, "--providers", "align,nuweb", "-o", out, "--json"],
      { env: env() },
    );
    const s2 = JSON.parse(second.stdout);
    expect(s2.resumed).toBe(summary.ok);
    // Only what failed is tried again: the 404 (sent) and the refusals (never sent).
    expect(server.count() - mid).toBe(1);
    const sentAgain = (await results(out)).slice(r1.length).filter((r) => r.ok === true);
    expect(sentAgain).toEqual([]);
  });

  it("prints plain progress lines when stderr is not a TTY", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "p.ndjson");
    const body = Array.from({ length: 400 }, (_, i) =>
      JSON.stringify({ key: `k${i}`, ids: { align: ALIGN_ID }, patch: { occupation: "Pilot" } }),
    );
    await writeFile(file, `${body.join("\n")}\n`);
    const r = await run(["sync", "-f", file, "--providers", "align", "--progress-every", "0.05"], {
      env: env(),
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/sync done: 400 lines, 400 updates attempted/);
    expect(r.stderr).toMatch(/progress: \d+ lines, \d+ pairs done \(ok \d+/);
  });

  it("--timeout turns a hung vendor into a timeout result (exit 1); the other lines finish", async () => {
    const { createServer } = await import("node:http");
    const slow = createServer((req, res) => {
      req.resume();
      if (req.url?.includes("00000000-0000-4000-8000-00000000beef")) return; // never answers
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    });
    await new Promise<void>((r) => slow.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(slow.address() as { port: number }).port}`;
    const dir = await tempDir();
    const file = path.join(dir, "t.ndjson");
    await writeFile(
      file,
      [
        JSON.stringify({
          key: "hung",
          ids: { align: "00000000-0000-4000-8000-00000000beef" },
          patch: { occupation: "Pilot" },
        }),
        JSON.stringify({ key: "fine", ids: { align: ALIGN_ID }, patch: { occupation: "Pilot" } }),
      ].join("\n"),
    );
    const r = await run(
      ["sync", "-f", file, "--providers", "align", "--timeout", "300", "--json"],
      {
        env: { CUSTKIT_ALIGN_API_KEY: "k-123456", CUSTKIT_ALIGN_BASE_URL: url },
      },
    );
    slow.closeAllConnections();
    slow.close();
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: 1, failed: 1, failedByKind: { timeout: 1 } });
  });

  it("keeps memory flat over 20,000 lines (streamed, bounded concurrency)", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "big.ndjson");
    const ws = createWriteStream(file);
    for (let i = 0; i < 20_000; i++) {
      ws.write(
        `${JSON.stringify({ key: `c${i}`, ids: { align: ALIGN_ID }, patch: { kind: "individual", name: { given: "Jane", family: `Doe${i}` }, birthDate: "1990-01-31" } })}\n`,
      );
    }
    await new Promise((r) => ws.end(r));
    const before = server.count();
    const r = await run(
      ["sync", "-f", file, "--providers", "align", "-c", "32", "--progress", "none", "--json"],
      { env: env() },
    );
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.ok).toBe(20_000);
    expect(server.count() - before).toBe(20_000);
    console.log(
      `sync 20k lines: peak RSS ${s.peakRssMiB} MiB, ${Math.round((s.attempted * 1000) / s.elapsedMs)} updates/s (${s.elapsedMs} ms)`,
    );
    // Not a timing assertion: a bound on memory that reading the whole file or holding every promise would break.
    expect(s.peakRssMiB).toBeLessThan(350);
  }, 300_000);
});
