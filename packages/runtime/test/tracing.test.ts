/**
 * OpenTelemetry spans of vendor calls, read from the SDK's in-memory exporter: one CLIENT span a
 * call with provider, operation, attempts, status, error kind and waits, and nothing that could
 * hold a credential or personal data (URL, headers, body, customer id).
 */
import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type CallContext, createTransport } from "../src/index.js";
import { closedPort, type FaultServer, json, startFaultServer, status } from "./fault-server.js";

const TOKEN = "planted-tracing-token-0123456789";
const CUSTOMER = "cust-7f3e9a21";
const exporter = new InMemorySpanExporter();
let server: FaultServer;
beforeAll(async () => {
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
  );
  server = await startFaultServer();
});
afterAll(async () => {
  await server.close();
  trace.disable();
});
afterEach(() => exporter.reset());

const ctx: CallContext = {
  provider: "align",
  operation: "updateCustomer",
  idempotent: true,
  retries: { maxRetries: 2, sleep: async () => {}, random: () => 0.5 },
};
const put = (base: string) =>
  new Request(`${base}/v0/customers/${CUSTOMER}?api_key=${TOKEN}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ first_name: "Ada", ssn: "123-45-6789" }),
  });

describe("tracing", () => {
  it("one span a call: attempts, status, waits; no URL, header, body or id", async () => {
    server.script(status(429, { "retry-after": "1" }), json(200, { ok: true }));
    const transport = createTransport();
    expect((await transport(put(server.url), ctx)).status).toBe(200);
    const [span, ...more] = exporter.getFinishedSpans();
    expect(more).toHaveLength(0);
    expect(span?.name).toBe("align updateCustomer");
    expect(span?.kind).toBe(SpanKind.CLIENT);
    expect(span?.attributes).toMatchObject({
      "custkit.provider": "align",
      "custkit.operation": "updateCustomer",
      "custkit.attempts": 2,
      "http.response.status_code": 200,
      "custkit.vendor_asked_ms": 1000,
    });
    expect(span?.attributes["custkit.waited_ms"]).toBeGreaterThanOrEqual(0);
    expect(span?.events.map((e) => e.attributes?.["http.response.status_code"])).toEqual([
      429, 200,
    ]);
    expect(span?.status.code).not.toBe(SpanStatusCode.ERROR);
    const recorded = JSON.stringify([span?.attributes, span?.events]);
    for (const secret of [TOKEN, CUSTOMER, "123-45-6789", "Ada", "127.0.0.1"])
      expect(recorded).not.toContain(secret);
  });

  it("a call without an answer: error kind and ERROR status", async () => {
    const transport = createTransport();
    const closed = `http://127.0.0.1:${await closedPort()}`;
    await expect(transport(put(closed), { ...ctx, retries: false })).rejects.toMatchObject({
      kind: "network",
    });
    const [span] = exporter.getFinishedSpans();
    expect(span?.attributes).toMatchObject({ "error.type": "network", "custkit.attempts": 1 });
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
  });

  it("a vendor refusal marks the span as an error, with its status", async () => {
    server.script(json(404, { message: "no such customer" }));
    const transport = createTransport();
    expect((await transport(put(server.url), ctx)).status).toBe(404);
    const [span] = exporter.getFinishedSpans();
    expect(span?.attributes["http.response.status_code"]).toBe(404);
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
  });
});
