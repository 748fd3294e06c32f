/**
 * Rate limits and the adaptive pause, over real loopback HTTP. Pauses are observed through an
 * injected `sleep` that records what it is asked to wait (so nothing is timed), except where the
 * rate itself is the subject: there only lower bounds on waits are asserted (a timer never fires
 * early), never upper ones.
 */
import { RateLimiterMemory } from "rate-limiter-flexible";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type ApiDefinition,
  type AttemptReport,
  type CallContext,
  createApiClient,
  createRateLimitGate,
  createTransport,
  type FlexibleLimiter,
  limiterShape,
  type RetryOptions,
  spentQuotaMs,
  ValidationError,
} from "../src/index.js";
import { type FaultServer, json, startFaultServer, status } from "./fault-server.js";

let server: FaultServer;
beforeEach(async () => {
  server = await startFaultServer();
});
afterEach(async () => {
  await server.close();
});

const ctx = (over: Partial<CallContext> = {}): CallContext => ({
  provider: "align",
  operation: "updateCustomer",
  idempotent: true,
  ...over,
});
const put = () =>
  new Request(`${server.url}/v0/customers/c_1`, { method: "PUT", body: '{"first_name":"Ada"}' });

function recordedSleep() {
  const waits: number[] = [];
  const retries: RetryOptions = {
    random: () => 0.5,
    sleep: async (ms) => {
      waits.push(ms);
    },
  };
  return { waits, retries };
}

describe("adaptive pause", () => {
  it("a 429 with Retry-After holds the next request of every caller, not only the one answered", async () => {
    server.script(status(429, { "retry-after": "30" }));
    const gate = createRateLimitGate("align");
    const first = recordedSleep();
    const transport = createTransport({ gate });
    const once = { maxRetries: 0 };
    expect((await transport(put(), ctx({ retries: { ...first.retries, ...once } }))).status).toBe(
      429,
    );
    // Another call, retries off: it still waits out the vendor's 30 s before it is sent.
    const second = recordedSleep();
    expect((await transport(put(), ctx({ retries: { ...second.retries, ...once } }))).status).toBe(
      200,
    );
    expect(second.waits).toHaveLength(1);
    expect(second.waits[0]).toBeGreaterThan(29_000);
    expect(second.waits[0]).toBeLessThanOrEqual(30_000);
    expect(server.requests).toHaveLength(2);
  });

  it("the call that got the 429 waits once (its retry), then is sent", async () => {
    server.script(status(503, { "retry-after": "4" }), json(200, {}));
    const { waits, retries } = recordedSleep();
    const reports: AttemptReport[] = [];
    const transport = createTransport({ gate: createRateLimitGate("align"), retries });
    const response = await transport(put(), ctx({ onAttempt: (r) => reports.push(r) }));
    expect(response.status).toBe(200);
    expect(waits).toEqual([4000]);
    expect(reports.map((r) => [r.attempt, r.status, r.askedMs])).toEqual([
      [1, 503, 4000],
      [2, 200, undefined],
    ]);
  });

  it.each([
    [{ "ratelimit-remaining": "0", "ratelimit-reset": "5" }],
    [{ "x-ratelimit-remaining": "0", "x-ratelimit-reset": "5" }],
    [{ ratelimit: "limit=100, remaining=0, reset=5" }],
  ])(
    "a success whose quota headers say nothing is left pauses the next request: %o",
    async (headers) => {
      server.script({
        kind: "respond",
        status: 200,
        headers: { ...headers, "content-type": "application/json" },
        body: "{}",
      });
      const transport = createTransport({ gate: createRateLimitGate("align") });
      await transport(put(), ctx());
      const { waits, retries } = recordedSleep();
      await transport(put(), ctx({ retries }));
      expect(waits).toHaveLength(1);
      expect(waits[0]).toBeGreaterThan(4000);
    },
  );

  it("caps the pause at maxRetryAfterMs and reports what the vendor asked", async () => {
    server.script(status(429, { "retry-after": "120" }));
    const reports: AttemptReport[] = [];
    const transport = createTransport({
      gate: createRateLimitGate("align"),
      retries: { maxRetryAfterMs: 2000 },
    });
    const answered = await transport(put(), ctx({ onAttempt: (r) => reports.push(r) }));
    expect(answered.status).toBe(429); // 120 s is beyond the cap: no retry
    expect(reports).toMatchObject([{ attempt: 1, status: 429, askedMs: 120_000 }]);
    const { waits, retries } = recordedSleep();
    await transport(put(), ctx({ retries }));
    expect(waits[0]).toBeLessThanOrEqual(2000);
    expect(waits[0]).toBeGreaterThan(1000);
  });
});

describe("spentQuotaMs", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  it.each([
    [{ "ratelimit-remaining": "0", "ratelimit-reset": "7" }, 7000],
    [{ "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(now / 1000 + 9) }, 9000],
    [{ "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(now + 1500) }, 1500],
    [{ "x-ratelimit-remaining": "3", "x-ratelimit-reset": "7" }, undefined],
    [{ "ratelimit-remaining": "0" }, undefined],
    [{ ratelimit: "remaining=0;reset=2" }, 2000],
  ])("%o → %s", (headers, expected) => {
    expect(spentQuotaMs(new Headers(headers), now)).toBe(expected);
  });
});

describe("rateLimit", () => {
  it("takes at most `burst` requests per window (burst 1: ten calls, ten windows)", async () => {
    const inner = new RateLimiterMemory(limiterShape({ perSecond: 20, burst: 1 }));
    const taken: string[] = [];
    const limiter: FlexibleLimiter = {
      points: inner.points,
      consume: (key, points) =>
        inner.consume(key, points).then((r) => {
          taken.push(key);
          return r;
        }),
      block: (key, seconds) => inner.block(key, seconds),
      get: (key) => inner.get(key),
    };
    const transport = createTransport({
      gate: createRateLimitGate("align", { perSecond: 20, burst: 1, limiter }),
    });
    await Promise.all(Array.from({ length: 10 }, () => transport(put(), ctx())));
    expect(server.requests).toHaveLength(10);
    expect(taken).toHaveLength(10);
    expect(new Set(taken).size).toBe(10); // one window each
    expect(taken.every((k) => /^align:\d+$/.test(k))).toBe(true);
  });

  it("a shared rate-limiter-flexible limiter carries one client's pause to another", async () => {
    server.script(status(429, { "retry-after": "2" }));
    // One store for both clients, as RateLimiterRedis would be for two processes.
    const limiter = new RateLimiterMemory(limiterShape({ perSecond: 100 }));
    const rate = { perSecond: 100, limiter };
    const a = createTransport({ gate: createRateLimitGate("align", rate), retries: false });
    const b = createTransport({ gate: createRateLimitGate("align", rate) });
    expect((await a(put(), ctx())).status).toBe(429);
    // b never saw the 429: any wait it is asked for comes from the shared store.
    const waits: number[] = [];
    const sleep = (ms: number) => {
      waits.push(ms);
      return new Promise<void>((r) => setTimeout(r, ms));
    };
    expect((await b(put(), ctx({ retries: { sleep } }))).status).toBe(200);
    expect(waits.length).toBeGreaterThan(0);
    expect(waits[0]).toBeGreaterThan(0);
    expect(waits[0]).toBeLessThanOrEqual(2000);
  });

  it("refuses a bad rateLimit option before anything is sent", () => {
    const definition: ApiDefinition = {
      provider: "acme",
      environments: { prod: { url: server.url } },
      defaultEnvironment: "prod",
      auth: [{ name: "bearer", kind: "bearer" }],
      clientHeaders: {},
      operations: {},
    };
    for (const rateLimit of [{ perSecond: 0 }, { perSecond: 5, burst: 0.5 }, {}]) {
      const error = (() => {
        try {
          createApiClient(definition, { token: "t-123456", rateLimit: rateLimit as never });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toMatch(/acme.*rateLimit/);
    }
    expect(server.requests).toHaveLength(0);
  });
});
