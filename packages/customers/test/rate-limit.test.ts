/**
 * `rateLimit` on the facade's providers and the adaptive pause, reported per attempt through
 * `onAttempt`. Nothing is timed: windows are read from the limiter, waits from the sleep asked for.
 */
import { createServer, type Server } from "node:http";
import type { AttemptReport, FlexibleLimiter } from "@custkit/runtime";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createCustomers } from "../src/index.js";
import { IDS } from "./helpers.js";

let server: Server;
let base = "";
const statuses: number[] = [];
let answer: () => { status: number; headers?: Record<string, string> } = () => ({ status: 200 });
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const { status, headers } = answer();
      statuses.push(status);
      res.writeHead(status, { "content-type": "application/json", ...headers }).end("{}");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

it("rateLimit on a provider counts its updates in windows of `burst` (any store: here a hand-made one)", async () => {
  // A FlexibleLimiter of one point per key: the gate must use a new window for each update.
  const used = new Set<string>();
  const taken: string[] = [];
  const limiter: FlexibleLimiter = {
    points: 1,
    consume: async (key) => {
      if (used.has(key)) throw { msBeforeNext: 5 };
      used.add(key);
      taken.push(key);
      return {};
    },
    block: async () => ({}),
    get: async () => null,
  };
  const customers = createCustomers({
    providers: {
      align: {
        apiKey: "align-key-123",
        baseUrl: base,
        rateLimit: { perSecond: 100, burst: 1, limiter },
      },
    },
  });
  await Promise.all(
    Array.from({ length: 4 }, () => customers.update("align", IDS.align, { occupation: "Pilot" })),
  );
  expect(taken).toHaveLength(4);
  expect(new Set(taken).size).toBe(4);
});

it("a 429 with Retry-After pauses the provider's next update; the attempt reports what the vendor asked", async () => {
  const waits: number[] = [];
  const sleep = (ms: number) => {
    waits.push(ms);
    return new Promise<void>((r) => setTimeout(r, ms));
  };
  const customers = createCustomers({
    providers: {
      align: { apiKey: "align-key-123", baseUrl: base, retries: { maxRetries: 0, sleep } },
    },
  });
  answer = () => ({ status: 429, headers: { "retry-after": "2" } });
  const first: AttemptReport[] = [];
  const error = await customers
    .update("align", IDS.align, { occupation: "Pilot" }, { onAttempt: (r) => first.push(r) })
    .catch((e) => e);
  expect(error.kind).toBe("rate_limited");
  expect(first).toMatchObject([{ attempt: 1, status: 429, askedMs: 2000 }]);
  expect(waits).toEqual([]); // no retry: nothing slept yet
  answer = () => ({ status: 200 });
  const second: AttemptReport[] = [];
  await customers.update(
    "align",
    IDS.align,
    { occupation: "Pilot" },
    { onAttempt: (r) => second.push(r) },
  );
  // The next update waited out the pause the first one's answer set (what was left of 2 s).
  expect(waits).toHaveLength(1);
  expect(waits[0]).toBeGreaterThan(0);
  expect(waits[0]).toBeLessThanOrEqual(2000);
  expect(second[0]?.status).toBe(200);
});
