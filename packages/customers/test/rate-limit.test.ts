/**
 * `rateLimit` on the facade's providers and the adaptive pause, reported per attempt through
 * `onAttempt`. Waits are asserted as lower bounds only (a timer never fires early).
 */
import { createServer, type Server } from "node:http";
import type { AttemptReport } from "@custkit/runtime";
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

it("rateLimit on a provider spaces its updates; onAttempt reports the wait", async () => {
  const customers = createCustomers({
    providers: {
      align: { apiKey: "align-key-123", baseUrl: base, rateLimit: { perSecond: 10, burst: 1 } },
    },
  });
  const reports: AttemptReport[] = [];
  await Promise.all(
    Array.from({ length: 4 }, () =>
      customers.update(
        "align",
        IDS.align,
        { occupation: "Pilot" },
        { onAttempt: (r) => reports.push(r) },
      ),
    ),
  );
  expect(reports).toHaveLength(4);
  // Four updates at 10/s: the last went at least two windows of 100 ms after the first.
  expect(Math.max(...reports.map((r) => r.waitedMs))).toBeGreaterThanOrEqual(200);
});

it("a 429 with Retry-After pauses the provider's next update; the attempt reports what the vendor asked", async () => {
  const customers = createCustomers({
    providers: { align: { apiKey: "align-key-123", baseUrl: base, retries: false } },
  });
  answer = () => ({ status: 429, headers: { "retry-after-ms": "300" } });
  const first: AttemptReport[] = [];
  const error = await customers
    .update("align", IDS.align, { occupation: "Pilot" }, { onAttempt: (r) => first.push(r) })
    .catch((e) => e);
  expect(error.kind).toBe("rate_limited");
  expect(first).toMatchObject([{ attempt: 1, status: 429, askedMs: 300 }]);
  answer = () => ({ status: 200 });
  const second: AttemptReport[] = [];
  await customers.update(
    "align",
    IDS.align,
    { occupation: "Pilot" },
    { onAttempt: (r) => second.push(r) },
  );
  expect(second[0]?.waitedMs).toBeGreaterThanOrEqual(250);
});
