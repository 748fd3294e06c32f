/**
 * `rateLimit: { perSecond, burst, redis }`: one budget and one pause for every process using a
 * credential, through a real redis-server. Each gate below has its own Redis connection and no
 * memory in common with the others, as two processes would. Only lower bounds on waits are
 * asserted (a wait for a budget another client spent cannot be shorter than what is left of it).
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type AttemptReport,
  type CallContext,
  createRateLimitGate,
  createTransport,
  credentialFingerprint,
} from "../src/index.js";
import { type FaultServer, startFaultServer, status } from "./fault-server.js";
import { type RedisServer, startRedis } from "./redis-server.js";

const TOKEN = "planted-redis-limit-token-0123456789";
let redis: RedisServer;
let server: FaultServer;
beforeAll(async () => {
  redis = await startRedis();
  server = await startFaultServer();
});
afterAll(async () => {
  await server?.close();
  await redis?.stop();
});
beforeEach(async () => {
  const client = new Redis(redis.url);
  await client.flushall();
  client.disconnect();
});

const ctx = (reports: AttemptReport[]): CallContext => ({
  provider: "align",
  operation: "updateCustomer",
  idempotent: true,
  retries: { maxRetries: 0 },
  onAttempt: (r) => reports.push(r),
});
const put = () => new Request(`${server.url}/v0/customers/c_1`, { method: "PUT", body: "{}" });

/** When each request was sent (after the gate), by client. */
const sent = new Map<string, number[]>();

/** A client as another process would hold it: its own gate, its own Redis connection. */
const client = (name: string, rate: { perSecond: number; burst?: number }, token = TOKEN) =>
  createTransport({
    gate: createRateLimitGate("align", { ...rate, redis: redis.url }, { token }),
    fetch: (url, init) => {
      sent.set(name, [...(sent.get(name) ?? []), Date.now()]);
      return fetch(url, init);
    },
  });

describe("rate limits shared through Redis", () => {
  it("clients of one credential draw on one budget; another credential has its own", async () => {
    // One request per two-second window (on the clock grid the gate counts in).
    const windowOf = (t: number | undefined) => Math.floor((t ?? 0) / 2000);
    const rate = { perSecond: 0.5, burst: 1 };
    const [a, b, other] = [
      client("a", rate),
      client("b", rate),
      client("other", rate, "planted-other-token-0123456789"),
    ];
    // Start just after a window opens, so a slow moment cannot carry "other" into the next one.
    await new Promise((r) => setTimeout(r, 2000 - (Date.now() % 2000) + 20));
    expect((await a(put(), ctx([]))).status).toBe(200);
    await Promise.all([b(put(), ctx([])), other(put(), ctx([]))]);
    const [tA, tB, tOther] = ["a", "b", "other"].map((n) => sent.get(n)?.[0]);
    // b had to wait for the next window: a spent this one. The other credential did not.
    expect(windowOf(tB)).toBeGreaterThan(windowOf(tA));
    expect(windowOf(tOther)).toBe(windowOf(tA));
  }, 20_000);

  it("a 429 seen by one client pauses the others until the vendor's reset", async () => {
    const a = client("a", { perSecond: 50 });
    const b = client("b", { perSecond: 50 });
    server.script(status(429, { "retry-after": "2" }));
    expect((await a(put(), ctx([]))).status).toBe(429);
    const reports: AttemptReport[] = [];
    expect((await b(put(), ctx(reports))).status).toBe(200);
    expect(reports[0]?.waitedMs).toBeGreaterThanOrEqual(1000);
  });

  it("Redis holds the credential's fingerprint, never the credential", async () => {
    const a = client("a", { perSecond: 50 });
    await a(put(), ctx([]));
    const store = new Redis(redis.url);
    try {
      const keys = await store.keys("*");
      const fingerprint = await credentialFingerprint("align", { token: TOKEN });
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) expect(key).toMatch(`custkit-rate:align:${fingerprint}:align:`);
      const values = await Promise.all(keys.map((k) => store.get(k)));
      expect(JSON.stringify([keys, values])).not.toContain(TOKEN.slice(8, 24));
    } finally {
      store.disconnect();
    }
  });
});
