/**
 * Retry behaviour over real loopback HTTP. Waits are recorded by an injected `sleep` and
 * jitter comes from an injected `random`, so every assertion is about counts and computed
 * delays, never about how long something took.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NetworkError, TimeoutError } from "../src/errors.js";
import {
  backoffDelayMs,
  type CallContext,
  createTransport,
  DEFAULT_RETRY,
  type Fetch,
  type FetchInit,
  parseRetryAfter,
  type RetryOptions,
  type TransportHooks,
} from "../src/transport/index.js";
import {
  closedPort,
  type FaultServer,
  hang,
  json,
  reset,
  retryAfter,
  startFaultServer,
  status,
} from "./fault-server.js";

const ctx = (over: Partial<CallContext> = {}): CallContext => ({
  provider: "align",
  operation: "updateCustomer",
  idempotent: true,
  ...over,
});

/** Retry options whose waits are recorded instead of slept. */
function fakeWaits(over: RetryOptions = {}) {
  const delays: number[] = [];
  const retries: RetryOptions = {
    random: () => 0.5,
    sleep: async (ms) => {
      delays.push(ms);
    },
    ...over,
  };
  return { delays, retries };
}

function recordHooks() {
  const events: { type: string; attempt: number; status?: number; reason?: string }[] = [];
  const hooks: TransportHooks = {
    onRequest: (e) => events.push({ type: "request", attempt: e.attempt }),
    onResponse: (e) => events.push({ type: "response", attempt: e.attempt, status: e.status }),
    onError: (e) => events.push({ type: "error", attempt: e.attempt, reason: e.error.kind }),
    onRetry: (e) => events.push({ type: "retry", attempt: e.attempt, reason: e.reason }),
  };
  return { events, hooks };
}

let server: FaultServer;
beforeEach(async () => {
  server = await startFaultServer();
});
afterEach(async () => {
  await server.close();
});

const put = (path = "/v0/customers/c_1", body: unknown = { first_name: "Ada" }) =>
  new Request(`${server.url}${path}`, {
    method: "PUT",
    headers: { "content-type": "application/json", authorization: "Bearer test-token-1" },
    body: JSON.stringify(body),
  });

describe("retries on retryable statuses", () => {
  it("retries 5xx until success, with jittered backoff, and resends the same request", async () => {
    server.script(status(503), status(500), json(200, { id: "c_1" }));
    const { delays, retries } = fakeWaits();
    const { events, hooks } = recordHooks();
    const transport = createTransport({ retries, hooks });

    const response = await transport(put(), ctx());

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: "c_1" });
    expect(server.requests).toHaveLength(3);
    // Full jitter at random() = 0.5: half of 500, then half of 1000.
    expect(delays).toEqual([250, 500]);
    for (const r of server.requests) {
      expect(r.method).toBe("PUT");
      expect(r.body).toBe('{"first_name":"Ada"}');
      expect(r.headers.authorization).toBe("Bearer test-token-1");
      expect(r.headers["content-type"]).toBe("application/json");
    }
    expect(events).toEqual([
      { type: "request", attempt: 1 },
      { type: "response", attempt: 1, status: 503 },
      { type: "retry", attempt: 1, reason: "status 503" },
      { type: "request", attempt: 2 },
      { type: "response", attempt: 2, status: 500 },
      { type: "retry", attempt: 2, reason: "status 500" },
      { type: "request", attempt: 3 },
      { type: "response", attempt: 3, status: 200 },
    ]);
  });

  it("retries 408 and 429 but not other 4xx", async () => {
    server.script(status(408), status(429), json(200, {}));
    const { retries } = fakeWaits();
    expect((await createTransport({ retries })(put(), ctx())).status).toBe(200);
    expect(server.requests).toHaveLength(3);

    for (const code of [400, 401, 404, 409, 422]) {
      server.requests.length = 0;
      server.script(status(code));
      const response = await createTransport({ retries })(put(), ctx());
      expect(response.status).toBe(code);
      expect(server.requests).toHaveLength(1);
    }
  });

  it("returns the last response, body intact, when retries are exhausted", async () => {
    let n = 0;
    server.fallback = () => json(503, { error: `attempt ${++n}` });
    const { delays, retries } = fakeWaits();
    const response = await createTransport({ retries })(put(), ctx());

    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ error: "attempt 3" });
    expect(server.requests).toHaveLength(3);
    expect(delays).toHaveLength(2);
  });

  it("re-creates the body for every attempt of a POST (stream bodies can be sent once)", async () => {
    server.script(status(502), json(200, {}));
    const { retries } = fakeWaits();
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"streamed":true}'));
        controller.close();
      },
    });
    const request = new Request(`${server.url}/customers/update`, {
      method: "POST",
      body,
      headers: { "content-type": "application/json" },
      duplex: "half",
    } as RequestInit);
    await createTransport({ retries })(request, ctx({ idempotent: true }));
    expect(server.requests.map((r) => r.body)).toEqual(['{"streamed":true}', '{"streamed":true}']);
  });
});

describe("the caller's fetch", () => {
  it("is called like the global fetch, fetch(url, init), with the same body on every attempt", async () => {
    server.script(status(503), json(200, { ok: true }));
    const calls: { url: string; init: FetchInit }[] = [];
    const recording: Fetch = (url, init) => {
      calls.push({ url, init });
      return globalThis.fetch(url, init);
    };
    const { retries } = fakeWaits();
    const response = await createTransport({ fetch: recording, retries })(put(), ctx());
    expect(response.status).toBe(200);
    expect(calls).toHaveLength(2);
    for (const { url, init } of calls) {
      expect(url).toBe(`${server.url}/v0/customers/c_1`);
      expect(init).toEqual({
        method: "PUT",
        headers: { "content-type": "application/json", authorization: "Bearer test-token-1" },
        body: expect.anything(),
        redirect: "manual",
        signal: expect.any(AbortSignal),
      });
      expect(new TextDecoder().decode(init.body as ArrayBuffer)).toBe('{"first_name":"Ada"}');
    }
    // One body read once, re-sent as is; one signal per attempt.
    expect(calls[1]?.init.body).toBe(calls[0]?.init.body);
    expect(calls[1]?.init.signal).not.toBe(calls[0]?.init.signal);
    expect(server.requests.map((r) => r.body)).toEqual([
      '{"first_name":"Ada"}',
      '{"first_name":"Ada"}',
    ]);
  });

  it("takes globalThis.fetch as it is", async () => {
    server.script(json(200, { ok: true }));
    const response = await createTransport({ fetch: globalThis.fetch, retries: false })(
      put(),
      ctx(),
    );
    expect(await response.json()).toEqual({ ok: true });
  });

  it("has its attempt aborted through init.signal", async () => {
    server.fallback = hang();
    let signal: AbortSignal | undefined;
    const following: Fetch = (url, init) => {
      signal = init.signal;
      return globalThis.fetch(url, init);
    };
    const error = await createTransport({ fetch: following, retries: false, timeoutMs: 100 })(
      put(),
      ctx(),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(signal?.aborted).toBe(true);
  });
});

describe("Retry-After", () => {
  it("waits the delay-seconds the vendor asks for", async () => {
    server.script(retryAfter(3), json(200, {}));
    const { delays, retries } = fakeWaits();
    expect((await createTransport({ retries })(put(), ctx())).status).toBe(200);
    expect(delays).toEqual([3000]);
  });

  it("waits until an HTTP-date, read against the injected clock", async () => {
    const now = Date.parse("2025-03-01T12:00:00Z");
    server.script(retryAfter(new Date(now + 7000), 503), json(200, {}));
    const { delays, retries } = fakeWaits({ now: () => now });
    expect((await createTransport({ retries })(put(), ctx())).status).toBe(200);
    expect(delays).toEqual([7000]);
  });

  it("prefers retry-after-ms, and retries at once on Retry-After: 0", async () => {
    server.script(
      status(429, { "retry-after-ms": "1250", "retry-after": "9" }),
      retryAfter(0),
      json(200, {}),
    );
    const { delays, retries } = fakeWaits();
    await createTransport({ retries })(put(), ctx());
    expect(delays).toEqual([1250, 0]);
  });

  it("falls back to backoff when Retry-After is unreadable", async () => {
    server.script(status(429, { "retry-after": "soon" }), json(200, {}));
    const { delays, retries } = fakeWaits({ random: () => 0 });
    await createTransport({ retries })(put(), ctx());
    expect(delays).toEqual([0]);
  });

  it("gives the 429 back instead of waiting past the cap", async () => {
    server.script(retryAfter(3600));
    const { delays, retries } = fakeWaits();
    const { events, hooks } = recordHooks();
    const response = await createTransport({ retries, hooks })(put(), ctx());
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("3600");
    expect(server.requests).toHaveLength(1);
    expect(delays).toEqual([]);
    expect(events.map((e) => e.type)).toEqual(["request", "response"]);

    server.script(retryAfter(6));
    const capped = fakeWaits({ maxRetryAfterMs: 5000 });
    expect((await createTransport({ retries: capped.retries })(put(), ctx())).status).toBe(429);
    expect(capped.delays).toEqual([]);
  });

  it("does not start a wait that would outlast the total timeout", async () => {
    server.script(retryAfter(30));
    const { delays, retries } = fakeWaits();
    const response = await createTransport({ retries, totalTimeoutMs: 20_000 })(put(), ctx());
    expect(response.status).toBe(429);
    expect(delays).toEqual([]);
  });

  it("parses delay-seconds and HTTP-dates, rejecting what is neither", () => {
    const now = Date.parse("2025-03-01T12:00:00Z");
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter(" 1.5 ", now)).toBe(1500);
    expect(parseRetryAfter("Sat, 01 Mar 2025 12:00:10 GMT", now)).toBe(10_000);
    expect(parseRetryAfter("Saturday, 01-Mar-25 12:00:10 GMT", now)).toBe(10_000);
    expect(parseRetryAfter("Sat, 01 Mar 2025 11:00:00 GMT", now)).toBe(0);
    for (const bad of ["soon", "-5", "", "1e3", null, undefined]) {
      expect(parseRetryAfter(bad, now)).toBeUndefined();
    }
  });
});

describe("idempotency", () => {
  const post = () =>
    new Request(`${server.url}/customers/update`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"id":1}',
    });

  it("never retries a non-idempotent request that got an answer", async () => {
    server.script(status(503));
    const { delays, retries } = fakeWaits();
    const response = await createTransport({ retries })(post(), ctx({ idempotent: false }));
    expect(response.status).toBe(503);
    expect(server.requests).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it("never retries a non-idempotent request after the connection was reset", async () => {
    server.fallback = reset();
    const { retries } = fakeWaits();
    const error = await createTransport({ retries })(post(), ctx({ idempotent: false })).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.retryable).toBe(false);
    expect(server.requests).toHaveLength(1);
  });

  it("never retries a non-idempotent request that timed out", async () => {
    server.fallback = hang();
    const { retries } = fakeWaits();
    const { events, hooks } = recordHooks();
    const transport = createTransport({ retries, timeoutMs: 100, hooks });
    const error = await transport(post(), ctx({ idempotent: false })).catch((e) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.retryable).toBe(false);
    expect(events.filter((e) => e.type === "request")).toHaveLength(1);
    expect(server.requests.length).toBeLessThanOrEqual(1);
  });

  it("does resend a non-idempotent request whose connection was refused (nothing was sent)", async () => {
    const port = await closedPort();
    const { delays, retries } = fakeWaits();
    const { events, hooks } = recordHooks();
    const request = new Request(`http://127.0.0.1:${port}/customers/update`, {
      method: "POST",
      body: "{}",
    });
    const error = await createTransport({ retries, hooks })(
      request,
      ctx({ idempotent: false }),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toContain("ECONNREFUSED");
    expect(error.retryable).toBe(true);
    expect(error.cause).toBeInstanceOf(Error);
    expect(events.filter((e) => e.type === "request")).toHaveLength(3);
    expect(delays).toHaveLength(2);
  });
});

describe("turning retries off", () => {
  it("at the transport, per call, or by a per-call maxRetries", async () => {
    const { retries } = fakeWaits();
    server.fallback = status(503);

    await createTransport({ retries: false })(put(), ctx());
    expect(server.requests).toHaveLength(1);

    await createTransport({ retries })(put(), ctx({ retries: false }));
    expect(server.requests).toHaveLength(2);

    await createTransport({ retries })(put(), ctx({ retries: { maxRetries: 1 } }));
    expect(server.requests).toHaveLength(4);

    // A per-call options object turns retries back on under a transport that disabled them.
    await createTransport({ retries: false })(
      put(),
      ctx({ retries: { ...retries, maxRetries: 1 } }),
    );
    expect(server.requests).toHaveLength(6);
  });
});

describe("backoff", () => {
  it("stays within [0, min(8 s, 500 ms · 2^(n-1))) for any jitter draw", () => {
    const ceilings = [500, 1000, 2000, 4000, 8000, 8000, 8000];
    for (const draw of [0, 0.25, 0.5, 0.999999]) {
      const options = { ...DEFAULT_RETRY, random: () => draw };
      ceilings.forEach((ceiling, i) => {
        const delay = backoffDelayMs(i + 1, options);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(ceiling);
        expect(delay).toBe(Math.floor(draw * ceiling));
      });
    }
  });

  it("honours custom initial and maximum delays", () => {
    const options = {
      ...DEFAULT_RETRY,
      initialDelayMs: 100,
      maxDelayMs: 300,
      random: () => 0.999999,
    };
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, options))).toEqual([99, 199, 299, 299]);
  });
});

describe("hooks", () => {
  it("a hook that throws does not fail the call", async () => {
    server.script(status(503), json(200, {}));
    const { retries } = fakeWaits();
    const boom = () => {
      throw new Error("logger bug");
    };
    const transport = createTransport({
      retries,
      hooks: { onRequest: boom, onResponse: boom, onRetry: boom, onError: boom },
    });
    expect((await transport(put(), ctx())).status).toBe(200);
  });
});
