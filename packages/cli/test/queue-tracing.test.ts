/**
 * The spans of a queued sync, read from the SDK's in-memory exporter: the worker runs in this
 * process here (its code, a real redis-server and loopback vendor) so its spans can be read.
 */
import { trace } from "@opentelemetry/api";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type RedisServer, startRedis } from "../../runtime/test/redis-server.js";
import { createQueueSender } from "../src/queue/sender.js";
import { runWorker } from "../src/queue/worker.js";
import { ALIGN_ID, startServer } from "./helpers.js";

const API_KEY = "planted-align-key-tracing-0123456789";
const exporter = new InMemorySpanExporter();
let redis: RedisServer;
let vendor: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
  );
  redis = await startRedis();
  // The second customer does not exist.
  vendor = await startServer((c) =>
    c.url.endsWith("-000000000404")
      ? { status: 404, body: '{"message":"no such customer"}' }
      : undefined,
  );
});
afterAll(async () => {
  await vendor?.close();
  await redis?.stop();
  trace.disable();
});

it("a span per sync job (provider, attempt, outcome, error kind) and one per vendor call", async () => {
  const configs = { align: { apiKey: API_KEY, baseUrl: vendor.url } };
  const stop = new AbortController();
  const log: string[] = [];
  const worker = runWorker({
    redis: redis.url,
    providers: ["align"],
    configs,
    concurrency: 2,
    lockMs: 30_000,
    log: { write: (t: string) => log.push(t) } as unknown as NodeJS.WritableStream,
    signal: stop.signal,
  });
  const sender = await createQueueSender({
    redis: redis.url,
    providers: ["align"],
    configs,
    rates: {},
  });
  try {
    const patch = { kind: "individual" as const, occupation: "Pilot" };
    const missing = "00000000-0000-4000-8000-000000000404";
    const outcomes = await Promise.all([
      sender.send("job-ok", { provider: "align", id: ALIGN_ID, patch }),
      sender.send("job-404", { provider: "align", id: missing, patch }),
    ]);
    expect(outcomes.map((o) => o.ok)).toEqual([true, false]);
  } finally {
    await sender.close();
    stop.abort();
    await worker;
  }
  const spans = exporter.getFinishedSpans();
  const jobs = spans.filter((s) => s.name === "custkit sync job");
  expect(jobs.map((s) => s.attributes["custkit.outcome"]).sort()).toEqual(["failed", "ok"]);
  expect(jobs.find((s) => s.attributes["custkit.outcome"] === "failed")?.attributes).toMatchObject({
    "custkit.provider": "align",
    "custkit.attempt": 1,
    "error.type": "not_found",
  });
  const calls = spans.filter((s) => s.name === "align updateCustomer");
  expect(calls).toHaveLength(2);
  const recorded = JSON.stringify(spans.map((s) => [s.name, s.attributes, s.events]));
  for (const secret of [API_KEY, ALIGN_ID, "Pilot"]) expect(recorded).not.toContain(secret);
});
