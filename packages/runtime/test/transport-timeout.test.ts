/**
 * Timeouts and cancellation over real loopback HTTP. The servers here are slow by seconds and
 * the clients give up after tens of milliseconds, so outcomes do not depend on machine speed;
 * assertions are about which error, how many attempts, and what is left running afterwards.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { AbortedError, TimeoutError } from "../src/errors.js";
import {
  type CallContext,
  createTransport,
  type Fetch,
  type TransportHooks,
} from "../src/transport/index.js";
import {
  type FaultServer,
  hang,
  json,
  slowBody,
  slowHeaders,
  startFaultServer,
  status,
} from "./fault-server.js";

const ctx = (over: Partial<CallContext> = {}): CallContext => ({
  provider: "loanpro",
  operation: "updateCustomer",
  idempotent: true,
  ...over,
});
const noWait = { sleep: async () => {} };
const SLOW = 10_000;

/** Timers keeping the event loop alive (ours are cleared on settle; leftovers would show here). */
const activeTimers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;

/**
 * When the request reached the server before the client gave up, the client must have closed
 * that connection. (A request cut off before it was sent is fine too: nothing to close.)
 */
async function expectHungUp(server: FaultServer) {
  if (server.requests.length === 0) return;
  await vi.waitFor(() => expect(server.requests.every((r) => r.connectionClosed)).toBe(true));
}

// The first fetch in a process loads undici (tens of ms); do it before any client timeout runs.
beforeAll(async () => {
  const warm = await startFaultServer();
  await (await fetch(warm.url)).text();
  await warm.close();
});

let server: FaultServer;
beforeEach(async () => {
  server = await startFaultServer();
});
afterEach(async () => {
  await server.close();
});

const get = () => new Request(`${server.url}/odata.svc/Customers(5)`);

describe("per-attempt timeout", () => {
  it("turns slow headers into a TimeoutError, and the connection is closed", async () => {
    server.script(slowHeaders(SLOW));
    const transport = createTransport({ retries: false, timeoutMs: 200 });
    const error = await transport(get(), ctx()).catch((e) => e);

    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.kind).toBe("timeout");
    expect(error.provider).toBe("loanpro");
    expect(error.operation).toBe("updateCustomer");
    expect(error.message).toContain("200 ms");
    expect(error.retryable).toBe(true);
    expect(error.cause).toBeDefined();
    await expectHungUp(server);
  });

  it("covers reading the body, not just the headers", async () => {
    server.script(slowBody(SLOW));
    const error = await createTransport({ retries: false, timeoutMs: 300 })(get(), ctx()).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(TimeoutError);
    await expectHungUp(server);
  });

  it("is fresh for every attempt, and timed-out idempotent attempts are retried", async () => {
    server.fallback = hang();
    const attempts: number[] = [];
    const hooks: TransportHooks = { onRequest: (e) => attempts.push(e.attempt) };
    const transport = createTransport({ retries: noWait, timeoutMs: 100, hooks });
    const error = await transport(get(), ctx()).catch((e) => e);

    expect(error).toBeInstanceOf(TimeoutError);
    expect(attempts).toEqual([1, 2, 3]);
    await expectHungUp(server);
  });

  it("per-call timeoutMs overrides the transport's", async () => {
    server.script(slowHeaders(SLOW));
    const transport = createTransport({ retries: false, timeoutMs: 60_000 });
    const error = await transport(get(), ctx({ timeoutMs: 40 })).catch((e) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toContain("40 ms");
  });
});

describe("total timeout", () => {
  it("bounds the whole call and is not retried", async () => {
    server.fallback = hang();
    const attempts: number[] = [];
    const transport = createTransport({
      retries: noWait,
      timeoutMs: 60_000,
      totalTimeoutMs: 50,
      hooks: { onRequest: (e) => attempts.push(e.attempt) },
    });
    const error = await transport(get(), ctx()).catch((e) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toContain("total timeout of 50 ms");
    expect(error.retryable).toBe(false);
    expect(attempts).toEqual([1]);
  });

  it("cuts a wait between attempts short", async () => {
    server.fallback = status(503);
    // A sleep that only ends by abort: the call can only finish through the total timeout.
    const sleepUntilAborted = (_ms: number, signal: AbortSignal) =>
      new Promise<void>((_, reject) =>
        signal.addEventListener("abort", () => reject(signal.reason)),
      );
    const transport = createTransport({
      retries: { initialDelayMs: 10, random: () => 0.5, sleep: sleepUntilAborted },
      totalTimeoutMs: 1000,
    });
    const error = await transport(get(), ctx()).catch((e) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toContain("total timeout");
    expect(server.requests).toHaveLength(1);
  });
});

describe("caller's AbortSignal", () => {
  it("aborts an attempt in flight with AbortedError, keeping the caller's reason", async () => {
    server.fallback = hang();
    const controller = new AbortController();
    const reason = new Error("shutting down");
    const pending = createTransport({ retries: noWait })(get(), ctx({ signal: controller.signal }));
    await vi.waitFor(() => expect(server.requests).toHaveLength(1));
    controller.abort(reason);

    const error = await pending.catch((e) => e);
    expect(error).toBeInstanceOf(AbortedError);
    expect(error.kind).toBe("aborted");
    expect(error.retryable).toBe(false);
    expect(error.cause).toBe(reason);
    expect(server.requests).toHaveLength(1);
    await vi.waitFor(() => expect(server.requests[0]?.connectionClosed).toBe(true));
  });

  it("sends nothing when the signal is already aborted", async () => {
    const error = await createTransport()(get(), ctx({ signal: AbortSignal.abort() })).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(AbortedError);
    expect(server.requests).toHaveLength(0);
  });

  it("ends a wait between attempts (a real timer, cleared)", async () => {
    server.fallback = status(503);
    const controller = new AbortController();
    const transport = createTransport({
      retries: { initialDelayMs: SLOW, maxDelayMs: SLOW, random: () => 0.99 },
      hooks: { onRetry: () => queueMicrotask(() => controller.abort()) },
    });
    const error = await transport(get(), ctx({ signal: controller.signal })).catch((e) => e);
    expect(error).toBeInstanceOf(AbortedError);
    expect(server.requests).toHaveLength(1);
  });
});

describe("garbage collection (nodejs/undici#4068)", () => {
  it("a timeout or abort still ends the call after a GC in flight", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    server.fallback = hang();

    const controller = new AbortController();
    const aborted = createTransport({ retries: false })(get(), ctx({ signal: controller.signal }));
    await vi.waitFor(() => expect(server.requests).toHaveLength(1));
    gc();
    controller.abort();
    expect(await aborted.catch((e) => e)).toBeInstanceOf(AbortedError);

    const timedOut = createTransport({ retries: false, timeoutMs: 300 })(get(), ctx());
    gc();
    expect(await timedOut.catch((e) => e)).toBeInstanceOf(TimeoutError);
  });

  it("a caller's fetch that forwards init is still aborted after a GC in flight", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    server.fallback = hang();
    const fetch: Fetch = (url, init) => globalThis.fetch(url, init);

    const controller = new AbortController();
    const aborted = createTransport({ fetch, retries: false })(
      get(),
      ctx({ signal: controller.signal }),
    );
    await vi.waitFor(() => expect(server.requests).toHaveLength(1));
    gc();
    controller.abort();
    expect(await aborted.catch((e) => e)).toBeInstanceOf(AbortedError);

    const timedOut = createTransport({ fetch, retries: false, timeoutMs: 300 })(get(), ctx());
    gc();
    expect(await timedOut.catch((e) => e)).toBeInstanceOf(TimeoutError);
  });
});

describe("nothing left behind", () => {
  it("every timer is cleared once calls settle, whatever the outcome", async () => {
    let hangArrived = () => {};
    const arrived = new Promise<void>((resolve) => {
      hangArrived = resolve;
    });
    let failures = 2;
    server.fallback = (r) => {
      if (r.url === "/slow") return slowHeaders(SLOW);
      if (r.url === "/hang") {
        hangArrived();
        return hang();
      }
      if (r.url === "/flaky" && failures-- > 0) return status(503);
      return json(200, { ok: true });
    };
    const at = (path: string) => new Request(`${server.url}${path}`);
    const before = activeTimers();
    const transport = createTransport({
      timeoutMs: 60_000,
      totalTimeoutMs: 120_000,
      retries: { initialDelayMs: 1, maxDelayMs: 2 },
    });

    // Success; success after real (tiny) retry waits; attempt timeout; caller abort.
    expect((await transport(at("/ok"), ctx())).status).toBe(200);
    expect((await transport(at("/flaky"), ctx())).status).toBe(200);
    const timedOut = await transport(at("/slow"), ctx({ timeoutMs: 100, retries: false })).catch(
      (e) => e,
    );
    expect(timedOut).toBeInstanceOf(TimeoutError);
    const controller = new AbortController();
    const pending = transport(at("/hang"), ctx({ signal: controller.signal }));
    await arrived;
    controller.abort();
    expect(await pending.catch((e) => e)).toBeInstanceOf(AbortedError);

    // The server's own delays end when their connections close; wait for that, then count.
    await vi.waitFor(() => expect(activeTimers()).toBeLessThanOrEqual(before));
  });
});
