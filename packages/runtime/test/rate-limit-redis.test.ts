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

/** A client as another process would hold it: its own gate, its own Redis connection. */
const client = (rate: { perSecond: number; burst?: number }, token = TOKEN) =>
  createTransport({
    gate: createRateLimitGate("align", { ...rate, redis: redis.url }, { token }),
  });

describe("rate limits shared through Redis", () => {
  it("clients of one credential draw on one budget; another credential has its own", async () => {
    // 5 requests per 5-second window.
    const a = client({ perSecond: 1, burst: 5 });
    const b = client({ perSecond: 1, burst: 5 });
    const other = client({ perSecond: 1, burst: 5 }, "planted-other-token-0123456789");
    for (let i = 0; i < 5; i++) expect((await a(put(), ctx([]))).status).toBe(200);
    const held: AttemptReport[] = [];
    const free: AttemptReport[] = [];
    await Promise.all([b(put(), ctx(held)), other(put(), ctx(free))]);
    // b waited for the window a spent; the other credential went at once.
    expect(held[0]?.waitedMs).toBeGreaterThanOrEqual(2000);
    expect(free[0]?.waitedMs).toBeLessThan(2000);
  }, 20_000);

  it("a 429 seen by one client pauses the others until the vendor's reset", async () => {
    const a = client({ perSecond: 50 });
    const b = client({ perSecond: 50 });
    server.script(status(429, { "retry-after": "2" }));
    expect((await a(put(), ctx([]))).status).toBe(429);
    const reports: AttemptReport[] = [];
    expect((await b(put(), ctx(reports))).status).toBe(200);
    expect(reports[0]?.waitedMs).toBeGreaterThanOrEqual(1000);
  });

  it("Redis holds the credential's fingerprint, never the credential", async () => {
    const a = client({ perSecond: 50 });
    await a(put(), ctx([]));
    const store = new Redis(redis.url);
    try {
      const keys = await store.keys("*");
      const fingerprint = await credentialFingerprint("align", { token: TOKEN });
      expect(keys).toEqual([`custkit-rate:align:${fingerprint}:align`]);
      const values = await Promise.all(keys.map((k) => store.get(k)));
      expect(JSON.stringify([keys, values])).not.toContain(TOKEN.slice(8, 24));
    } finally {
      store.disconnect();
    }
  });
});
