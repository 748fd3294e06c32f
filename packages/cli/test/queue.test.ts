/**
 * `sync --queue` and `custkit worker` through the built binary, real processes, a real
 * redis-server and a loopback vendor that enforces its rate limit: the limit holds across worker
 * processes, a killed worker's jobs are taken over, a lost Redis stops the run loudly, and Redis
 * never holds a credential.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type RedisServer, startRedis } from "../../runtime/test/redis-server.js";
import { CLI, run, tempDir } from "./helpers.js";
import { type RateMock, startRateMock } from "./rate-mock.js";

const API_KEY = "planted-align-key-queue-0123456789";
const PER_SECOND = 100;

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());

const workers: ChildProcess[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => stopped(w, "SIGTERM")));
  const client = new Redis(redis.url);
  await client.flushall();
  client.disconnect();
});

function stopped(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}

const env = (mock: RateMock) => ({
  CUSTKIT_ALIGN_API_KEY: API_KEY,
  CUSTKIT_ALIGN_BASE_URL: mock.url,
});

/** A worker process, resolved once it says it is ready. */
function startWorker(mock: RateMock, extra: string[] = []): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [CLI, "worker", "--redis", redis.url, "--providers", "align", "-c", "8", ...extra],
    { env: { PATH: process.env.PATH ?? "", ...env(mock) }, stdio: ["ignore", "ignore", "pipe"] },
  );
  workers.push(child);
  return new Promise((resolve, reject) => {
    let err = "";
    child.stderr?.on("data", (d: Buffer) => {
      err += d;
      if (err.includes("worker ready")) resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`worker exited ${code}: ${err}`)));
  });
}

const alignId = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;

async function patches(n: number): Promise<{ file: string; out: string }> {
  const dir = await tempDir();
  const file = path.join(dir, "patches.ndjson");
  const lines = Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      key: `c${i}`,
      ids: { align: alignId(i) },
      patch: { kind: "individual", occupation: `Pilot ${i}` },
    }),
  );
  await writeFile(file, `${lines.join("\n")}\n`);
  return { file, out: path.join(dir, "results.ndjson") };
}

async function results(out: string) {
  return (await readFile(out, "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { key: string; id: string; ok: boolean });
}

const pathOf = (id: string) => `/v0/customers/${id}`;

const sync = (mock: RateMock, file: string, out: string, extra: string[] = []) =>
  run(
    [
      "sync",
      "-f",
      file,
      "--providers",
      "align",
      "-o",
      out,
      "--queue",
      redis.url,
      "--json",
      ...extra,
    ],
    { env: env(mock) },
  );

describe("sync --queue with worker processes", () => {
  it("three workers share the vendor's limit; every pair is done once; Redis holds no credential", async () => {
    // A vendor that lets half a second's worth through together, as quota windows commonly do.
    const mock = await startRateMock({
      perSecond: PER_SECOND,
      burst: PER_SECOND / 2,
      latencyMs: 20,
    });
    try {
      await Promise.all([startWorker(mock), startWorker(mock), startWorker(mock)]);
      const { file, out } = await patches(300);
      const r = await sync(mock, file, out, ["--rate", `align=${PER_SECOND}`]);
      expect(r.stderr).not.toMatch(/✗/);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ lines: 300, ok: 300, failed: 0 });
      const rows = await results(out);
      expect(rows).toHaveLength(300);
      expect(new Set(rows.map((row) => row.key)).size).toBe(300);
      expect(rows.every((row) => row.ok)).toBe(true);
      // Measured by the vendor: the rate it accepted, and each customer accepted once.
      expect(mock.accepted).toHaveLength(300);
      // The queue lets a fifth of a second's updates start together (the runtime's window shape).
      expect(mock.rateBeyondBurst(PER_SECOND / 5)).toBeLessThanOrEqual(PER_SECOND * 1.05);
      // Held by the queue's limiter, not by the vendor's 429s (at most 2% refused).
      expect(mock.refused()).toBeLessThanOrEqual(6);
      for (const row of rows) expect(mock.acceptedByPath.get(pathOf(row.id))).toBe(1);

      // Enqueued again from scratch (--restart keeps the results' digest key): the same content
      // is the same job, so nothing is sent twice.
      const again = await sync(mock, file, out, ["--restart"]);
      expect(again.code).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({ ok: 300 });
      expect(mock.accepted).toHaveLength(300);

      // Everything Redis holds, keys and values: no credential.
      const client = new Redis(redis.url);
      try {
        const dump: string[] = [];
        for await (const keys of client.scanStream({ count: 1000 })) {
          for (const key of keys as string[]) {
            dump.push(key);
            const type = await client.type(key);
            if (type === "string") dump.push((await client.get(key)) ?? "");
            else if (type === "hash") dump.push(JSON.stringify(await client.hgetall(key)));
            else if (type === "list") dump.push(JSON.stringify(await client.lrange(key, 0, -1)));
            else if (type === "set") dump.push(JSON.stringify(await client.smembers(key)));
            else if (type === "zset") dump.push(JSON.stringify(await client.zrange(key, 0, -1)));
            else if (type === "stream")
              dump.push(JSON.stringify(await client.xrange(key, "-", "+")));
          }
        }
        const text = dump.join("\n");
        expect(text).toContain("Pilot 1"); // the scan did read the jobs
        expect(text).not.toContain(API_KEY);
        expect(text).not.toContain(API_KEY.slice(8, 24));
      } finally {
        client.disconnect();
      }
    } finally {
      await mock.close();
    }
  });

  it("a worker killed mid-run: its jobs are taken over, every pair done, none sent more than twice", async () => {
    const mock = await startRateMock({ perSecond: PER_SECOND, latencyMs: 20 });
    try {
      const lock = ["--lock-ms", "2000"];
      const [victim] = await Promise.all([
        startWorker(mock, lock),
        startWorker(mock, lock),
        startWorker(mock, lock),
      ]);
      const { file, out } = await patches(300);
      const running = sync(mock, file, out, ["--rate", `align=${PER_SECOND}`]);
      while (mock.accepted.length < 60) await new Promise((r) => setTimeout(r, 20));
      (victim as ChildProcess).kill("SIGKILL");
      const r = await running;
      expect(r.stderr).not.toMatch(/✗/);
      expect(r.code).toBe(0);
      const rows = await results(out);
      expect(new Set(rows.filter((row) => row.ok).map((row) => row.key)).size).toBe(300);
      const counts = [...mock.acceptedByPath.values()];
      expect(counts).toHaveLength(300);
      expect(Math.max(...counts)).toBeLessThanOrEqual(2);
    } finally {
      await mock.close();
    }
  });

  it("Redis restarted mid-run, losing the queue: the run stops loudly, nothing unsent is ok, a rerun finishes", async () => {
    const mock = await startRateMock({ perSecond: PER_SECOND, latencyMs: 20 });
    try {
      await Promise.all([startWorker(mock), startWorker(mock)]);
      const { file, out } = await patches(300);
      const running = sync(mock, file, out, ["--rate", `align=${PER_SECOND}`]);
      while (mock.accepted.length < 60) await new Promise((r) => setTimeout(r, 20));
      await redis.restart({ hard: true });
      const r = await running;
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/vanished from Redis .*rerun the same command/);
      const first = (await results(out)).filter((row) => row.ok);
      expect(first.length).toBeLessThan(300);
      for (const row of first) expect(mock.acceptedByPath.get(pathOf(row.id))).toBeGreaterThan(0);

      const rerun = await sync(mock, file, out, ["--rate", `align=${PER_SECOND}`]);
      expect(rerun.code).toBe(0);
      expect(JSON.parse(rerun.stdout)).toMatchObject({
        resumed: first.length,
        ok: 300 - first.length,
      });
      const all = (await results(out)).filter((row) => row.ok);
      expect(new Set(all.map((row) => row.key)).size).toBe(300);
      for (const row of all) expect(mock.acceptedByPath.get(pathOf(row.id))).toBeGreaterThan(0);
    } finally {
      await mock.close();
    }
  });
});
