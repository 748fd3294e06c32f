/**
 * `custkit sync` stopped by a signal and held back by a vendor's rate limit, through the built
 * binary against loopback servers that count what they accepted.
 */
import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ALIGN_ID, CLI, run, tempDir } from "./helpers.js";

let servers: Server[] = [];
afterEach(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  servers = [];
});

/** A vendor answering each request with `answer` (after `delayMs`); counts each customer id accepted. */
async function vendor(
  answer: (n: number) => { status: number; headers?: Record<string, string> },
  delayMs = 0,
) {
  const accepted = new Map<string, number>();
  const arrivals: { at: number; status: number }[] = [];
  let n = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (d: Buffer) => chunks.push(d));
    req.on("end", () => {
      const { status, headers } = answer(++n);
      arrivals.push({ at: Date.now(), status });
      setTimeout(() => {
        if (status < 300) {
          const id = /"id":"?(\d+)/.exec(Buffer.concat(chunks).toString())?.[1] ?? req.url ?? "";
          accepted.set(id, (accepted.get(id) ?? 0) + 1);
        }
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end("{}");
      }, delayMs);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    accepted,
    arrivals,
    total: () => [...accepted.values()].reduce((a, b) => a + b, 0),
  };
}

const results = async (file: string) =>
  (await readFile(file, "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe("sync under SIGTERM", () => {
  it("stops reading, records every update the vendor accepted, exits 130 and says how to resume; the rerun sends each customer once", async () => {
    const v = await vendor(() => ({ status: 200 }), 20);
    const dir = await tempDir();
    const file = path.join(dir, "p.ndjson");
    const out = path.join(dir, "r.ndjson");
    const lines = Array.from({ length: 2000 }, (_, i) =>
      JSON.stringify({ ids: { nuweb: String(i + 1) }, patch: { email: `c${i}@example.com` } }),
    );
    await writeFile(file, `${lines.join("\n")}\n`);
    const env = {
      PATH: process.env.PATH ?? "",
      CUSTKIT_NUWEB_TOKEN: "planted-tok-sig",
      CUSTKIT_NUWEB_BASE_URL: v.url,
    };
    const child = spawn(
      process.execPath,
      [CLI, "sync", "-f", file, "--providers", "nuweb", "-o", out, "-c", "16"],
      {
        env,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const closed = new Promise<number | null>((r) => child.on("close", r));
    while (v.total() < 200) await new Promise((r) => setTimeout(r, 10));
    child.kill("SIGTERM");
    const code = await closed;

    expect(code).toBe(130);
    expect(stderr).toMatch(/SIGTERM: finishing the updates in flight/);
    expect(stdout).toMatch(/sync interrupted/);
    expect(stdout).toMatch(/to resume, run the same command again/);
    const recorded = (await results(out)).filter((r) => r.ok === true);
    expect(v.total()).toBeLessThan(2000);
    expect(recorded).toHaveLength(v.total());

    const rerun = await run(["sync", "-f", file, "--providers", "nuweb", "-o", out, "--json"], {
      env,
    });
    expect(rerun.code).toBe(0);
    expect(JSON.parse(rerun.stdout)).toMatchObject({
      resumed: recorded.length,
      ok: 2000 - recorded.length,
    });
    expect(v.accepted.size).toBe(2000);
    expect([...v.accepted.values()].every((n) => n === 1)).toBe(true);
  });
});

describe("sync under a vendor's rate limit", () => {
  const oneLine = (i: number) =>
    JSON.stringify({ key: `k${i}`, ids: { align: ALIGN_ID }, patch: { occupation: `Pilot ${i}` } });

  it("a 429 with Retry-After pauses every request to that provider; attempts and waits are reported", async () => {
    const v = await vendor((n) =>
      n === 1 ? { status: 429, headers: { "retry-after": "2" } } : { status: 200 },
    );
    const dir = await tempDir();
    const file = path.join(dir, "p.ndjson");
    const out = path.join(dir, "r.ndjson");
    await writeFile(file, `${Array.from({ length: 12 }, (_, i) => oneLine(i)).join("\n")}\n`);
    const r = await run(
      [
        "sync",
        "-f",
        file,
        "--providers",
        "align",
        "-o",
        out,
        "-c",
        "4",
        "--rate",
        "align=1000",
        "--verbose",
      ],
      {
        env: { CUSTKIT_ALIGN_API_KEY: "planted-align-key-rl", CUSTKIT_ALIGN_BASE_URL: v.url },
      },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /updateCustomer attempt 1\/3: HTTP 429 in \d+ ms(, after waiting \d+\.\d s)?; vendor asked for 2 s/,
    );
    // Four updates waited out the pause side by side: the summed wait can exceed the run's time,
    // so the summary says what it is and gives the longest one update waited, which cannot.
    const waits = r.stdout.match(
      /in (\d+\.\d)s .*\n.*\n {2}13 requests, 1 answered 429; waits \(rate limits, vendor pauses, retries\): longest (\d+\.\d) s for one update, (\d+\.\d) s summed over all\n/,
    );
    expect(waits).not.toBeNull();
    const [elapsed, longest, summed] = (waits as RegExpMatchArray).slice(1).map(Number);
    expect(longest).toBeGreaterThan(0);
    expect(longest).toBeLessThanOrEqual(elapsed as number);
    expect(summed).toBeGreaterThan(longest as number);
    const retried = (await results(out)).find((x) => x.attempts === 2);
    expect(retried).toMatchObject({ ok: true, vendorAskedMs: 2000 });
    // Nothing reached the vendor during the pause: only the requests already in flight with the
    // first one arrived before its end.
    const t429 = v.arrivals[0]?.at as number;
    expect(v.arrivals.filter((a) => a.at > t429 + 300 && a.at < t429 + 1900)).toEqual([]);
    expect(v.arrivals).toHaveLength(13);
    expect(r.stdout + r.stderr).not.toContain("planted-");
  });

  it("--max-retry-after: a vendor asking for longer fails that update at once, saying what it asked", async () => {
    const v = await vendor(() => ({ status: 429, headers: { "retry-after": "120" } }));
    const dir = await tempDir();
    const file = path.join(dir, "p.ndjson");
    await writeFile(file, `${oneLine(1)}\n`);
    const r = await run(["sync", "-f", file, "--providers", "align", "--max-retry-after", "1"], {
      env: { CUSTKIT_ALIGN_API_KEY: "planted-align-key-rl", CUSTKIT_ALIGN_BASE_URL: v.url },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /line 1: align k1: rate_limited: .*\(1 attempt; vendor asked for 120 s\)/,
    );
    expect(r.stdout).toMatch(/rate_limited:\n\s+1 × HTTP 429/);
  });
});
