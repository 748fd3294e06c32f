/**
 * Vendor faults, for every operation of all five clients, from the runtime's loopback fault
 * server: 5xx then success, 429 with Retry-After (seconds, HTTP date, beyond the cap), slow
 * headers and bodies, connection resets, truncated and invalid JSON, an HTML error page, empty
 * bodies, an oversized body and a wrong content type. Each call ends in success or the right typed
 * error, within a bound; no unhandled rejection; no timer or socket left after the suite.
 */
import {
  type CustkitError,
  InvalidResponseError,
  NetworkError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from "@custkit/runtime";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  empty,
  type FaultServer,
  htmlError,
  invalidJson,
  json,
  oversized,
  reset,
  retryAfter,
  type Script,
  slowBody,
  slowHeaders,
  startFaultServer,
  status,
  truncatedJson,
  wrongContentType,
} from "../../packages/runtime/test/fault-server.js";
import {
  type Example,
  initOf,
  loadExamples,
  makeClient,
  method,
  PROVIDERS,
} from "./faults-helpers.js";

const FAST_RETRIES = { maxRetries: 2, initialDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 3000 };
const BOUND_MS = 8000;

let examples: Example[] = [];
let server: FaultServer;
let faults = 0;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
const resources = () => {
  const info = process.getActiveResourcesInfo();
  return {
    timers: info.filter((r) => r === "Timeout").length,
    sockets: info.filter((r) => r === "TCPSocketWrap").length,
  };
};
let baseline: ReturnType<typeof resources>;

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  baseline = resources();
  examples = await loadExamples();
  server = await startFaultServer();
});

afterAll(async () => {
  await server.close();
  await new Promise((r) => setTimeout(r, 100));
  const after = resources();
  process.off("unhandledRejection", onUnhandled);
  console.info(`faults injected: ${faults}; unhandled rejections: ${unhandled.length}`);
  expect(unhandled).toEqual([]);
  expect(after.sockets).toBeLessThanOrEqual(baseline.sockets);
  expect(after.timers).toBeLessThanOrEqual(baseline.timers);
});

interface Case {
  name: string;
  script: Script[];
  /** Faults among `script` (the rest are the success that follows). */
  faults: number;
  expect: "ok" | (new (...args: never[]) => CustkitError);
  attempts: number;
  options?: Record<string, unknown>;
  call?: Record<string, unknown>;
  /** Minimum duration: the Retry-After was honoured. */
  atLeastMs?: number;
}

const ok = json(200, { id: "c_1", ok: true });
const CASES: Case[] = [
  {
    name: "503, 500, then success",
    script: [status(503), status(500), ok],
    faults: 2,
    expect: "ok",
    attempts: 3,
  },
  {
    name: "5xx beyond the retries",
    script: [status(502), status(503), status(500)],
    faults: 3,
    expect: ServerError,
    attempts: 3,
  },
  {
    name: "429 Retry-After seconds",
    script: [retryAfter(1), ok],
    faults: 1,
    expect: "ok",
    attempts: 2,
    atLeastMs: 900,
  },
  {
    name: "429 Retry-After HTTP date",
    script: [() => retryAfter(new Date(Date.now() + 1500)), ok],
    faults: 1,
    expect: "ok",
    attempts: 2,
  },
  {
    name: "429 Retry-After beyond the cap",
    script: [retryAfter(3600)],
    faults: 1,
    expect: RateLimitError,
    attempts: 1,
  },
  {
    name: "slow headers (attempt timeout)",
    script: [slowHeaders(3000), slowHeaders(3000)],
    faults: 2,
    expect: TimeoutError,
    attempts: 2,
    options: { timeoutMs: 150, retries: { ...FAST_RETRIES, maxRetries: 1 } },
  },
  {
    name: "slow headers then success",
    script: [slowHeaders(3000), ok],
    faults: 1,
    expect: "ok",
    attempts: 2,
    options: { timeoutMs: 150 },
  },
  {
    name: "slow body (attempt timeout)",
    script: [slowBody(3000)],
    faults: 1,
    expect: TimeoutError,
    attempts: 1,
    options: { timeoutMs: 150, retries: false },
  },
  {
    name: "slow, total timeout",
    script: [slowHeaders(3000)],
    faults: 1,
    expect: TimeoutError,
    attempts: 1,
    options: { timeoutMs: 2000, totalTimeoutMs: 200 },
  },
  {
    name: "connection reset, then success",
    script: [reset(), ok],
    faults: 1,
    expect: "ok",
    attempts: 2,
  },
  {
    name: "connection reset, no retries",
    script: [reset()],
    faults: 1,
    expect: NetworkError,
    attempts: 1,
    options: { retries: false },
  },
  {
    name: "truncated JSON",
    script: [truncatedJson()],
    faults: 1,
    expect: NetworkError,
    attempts: 1,
    options: { retries: false },
  },
  {
    name: "truncated JSON, then success",
    script: [truncatedJson(), ok],
    faults: 1,
    expect: "ok",
    attempts: 2,
  },
  {
    name: "invalid JSON 200",
    script: [invalidJson()],
    faults: 1,
    expect: InvalidResponseError,
    attempts: 1,
  },
  {
    name: "HTML error page 502",
    script: [htmlError(502)],
    faults: 1,
    expect: ServerError,
    attempts: 1,
    options: { retries: false },
  },
  {
    name: "HTML page with 200",
    script: [htmlError(200)],
    faults: 1,
    expect: InvalidResponseError,
    attempts: 1,
  },
  { name: "empty body 200", script: [empty(200)], faults: 1, expect: "ok", attempts: 1 },
  {
    name: "empty body 500",
    script: [empty(500)],
    faults: 1,
    expect: ServerError,
    attempts: 1,
    options: { retries: false },
  },
  {
    name: "oversized body",
    script: [oversized(2 * 1024 * 1024)],
    faults: 1,
    expect: InvalidResponseError,
    attempts: 1,
    options: { maxResponseBytes: 64 * 1024 },
  },
  {
    name: "wrong content type (JSON as text/plain)",
    script: [wrongContentType()],
    faults: 1,
    expect: "ok",
    attempts: 1,
  },
];

describe.each(PROVIDERS)("%s: vendor faults", (provider) => {
  test.each(CASES.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    for (const ex of examples.filter((e) => e.provider === provider)) {
      const client = makeClient(ex, server.url, {
        retries: FAST_RETRIES,
        timeoutMs: 2000,
        ...c.options,
      });
      const before = server.requests.length;
      server.script(...c.script);
      faults += c.faults;
      const started = performance.now();
      let bound: ReturnType<typeof setTimeout> | undefined;
      const outcome = await Promise.race([
        method(client, ex)(initOf(ex), c.call).catch((e: unknown) => e),
        new Promise((resolve) => {
          bound = setTimeout(() => resolve(new Error("HUNG")), BOUND_MS);
        }),
      ]);
      clearTimeout(bound);
      const label = `${provider}.${ex.operation}: ${c.name}`;
      if (c.expect === "ok") {
        if (outcome instanceof Error)
          throw new Error(`${label}: ${outcome.name} ${outcome.message}`);
        expect((outcome as { response: Response }).response.status, label).toBe(200);
      } else {
        expect(outcome, label).toBeInstanceOf(c.expect);
        expect((outcome as CustkitError).provider).toBe(provider);
        expect((outcome as CustkitError).operation).toBe(ex.operation);
      }
      expect(outcome).not.toBeInstanceOf(TypeError);
      expect(server.requests.length - before, label).toBe(c.attempts);
      if (c.atLeastMs)
        expect(performance.now() - started, label).toBeGreaterThanOrEqual(c.atLeastMs);
    }
  });
});

test("rate-limit, server and timeout errors say whether to retry; request ids are carried", async () => {
  const ex = examples.find((e) => e.provider === "align") as Example;
  const client = makeClient(ex, server.url, { retries: false });
  server.script(json(503, { message: "down" }, { "x-request-id": "req-fault-42" }));
  faults++;
  const error = (await method(client, ex)(initOf(ex)).catch((e: unknown) => e)) as ServerError;
  expect(error).toBeInstanceOf(ServerError);
  expect(error.requestId).toBe("req-fault-42");
  expect(error.retryable).toBe(true);
  expect(error.toJSON()).toMatchObject({ requestId: "req-fault-42", status: 503 });
});
