/**
 * Broken answers over real loopback HTTP: resets, cut-off and malformed bodies, oversized
 * bodies, and what hooks and errors reveal (never a credential).
 */
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InvalidResponseError, NetworkError, TimeoutError } from "../src/errors.js";
import { redactHeaders, redactUrl, registerSecrets } from "../src/redact.js";
import {
  type CallContext,
  createTransport,
  type RetryOptions,
  readBodyLimited,
  type TransportHooks,
} from "../src/transport/index.js";
import {
  empty,
  type FaultServer,
  hang,
  htmlError,
  invalidJson,
  json,
  oversized,
  reset,
  startFaultServer,
  status,
  truncatedJson,
  wrongContentType,
} from "./fault-server.js";

const ctx = (over: Partial<CallContext> = {}): CallContext => ({
  provider: "nuweb",
  operation: "updateCustomer",
  idempotent: true,
  ...over,
});
const noWait: RetryOptions = { sleep: async () => {} };

let server: FaultServer;
beforeEach(async () => {
  server = await startFaultServer();
});
afterEach(async () => {
  await server.close();
});

const get = (path = "/customers/1") => new Request(`${server.url}${path}`);

describe("connection reset", () => {
  it("is retried when idempotent", async () => {
    server.script(reset(), reset(), json(200, { id: 1 }));
    const response = await createTransport({ retries: noWait })(get(), ctx());
    expect(await response.json()).toEqual({ id: 1 });
    expect(server.requests).toHaveLength(3);
  });

  it("becomes a NetworkError with the cause kept once retries run out", async () => {
    server.fallback = reset();
    const error = await createTransport({ retries: noWait })(get(), ctx()).catch((e) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.kind).toBe("network");
    expect(error.provider).toBe("nuweb");
    expect(error.operation).toBe("updateCustomer");
    expect(error.retryable).toBe(true);
    expect(error.status).toBeUndefined();
    expect(error.message).toContain("UND_ERR_SOCKET");
    expect(error.cause).toBeInstanceOf(TypeError);
    expect(server.requests).toHaveLength(3);
  });
});

describe("bodies", () => {
  it("a body cut off mid-way fails the attempt and is retried when idempotent", async () => {
    server.script(truncatedJson(), json(200, { whole: true }));
    const response = await createTransport({ retries: noWait })(get(), ctx());
    expect(await response.json()).toEqual({ whole: true });
    expect(server.requests).toHaveLength(2);
  });

  it("a body cut off mid-way is a NetworkError for a request that may not be repeated", async () => {
    server.script(truncatedJson());
    const request = new Request(`${server.url}/customers/update`, { method: "POST", body: "{}" });
    const error = await createTransport({ retries: noWait })(
      request,
      ctx({ idempotent: false }),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.retryable).toBe(false);
    expect(server.requests).toHaveLength(1);
  });

  it("passes malformed but complete answers through untouched (parsing is the client's job)", async () => {
    const transport = createTransport({ retries: noWait });
    const cases = [
      {
        behaviour: invalidJson(),
        status: 200,
        type: "application/json",
        body: '{"id": "c_1", "name": ',
      },
      {
        behaviour: htmlError(502),
        status: 502,
        type: "text/html; charset=utf-8",
        body: "<!DOCTYPE html>",
      },
      { behaviour: empty(200), status: 200, type: "application/json", body: "" },
      { behaviour: wrongContentType(), status: 200, type: "text/plain", body: '{"ok":true}' },
    ];
    for (const c of cases) {
      // 502 is retryable: let every attempt get the same page.
      server.fallback = c.behaviour;
      const response = await transport(get(), ctx({ retries: false }));
      expect(response.status).toBe(c.status);
      expect(response.headers.get("content-type")).toBe(c.type);
      expect(await response.text()).toContain(c.body);
    }
  });

  it("returns a readable, buffered Response: url and headers kept, 204 without a body", async () => {
    server.script(json(200, { id: 7 }, { "x-request-id": "req_abc" }), {
      kind: "respond",
      status: 204,
    });
    const transport = createTransport();
    const response = await transport(get("/customers/7"), ctx());
    expect(response.url).toBe(`${server.url}/customers/7`);
    expect(response.headers.get("x-request-id")).toBe("req_abc");
    expect(await response.json()).toEqual({ id: 7 });

    const noContent = await transport(get(), ctx());
    expect(noContent.status).toBe(204);
    expect(noContent.body).toBeNull();
  });

  it("stops reading past maxResponseBytes with InvalidResponseError, and does not retry", async () => {
    server.fallback = oversized(2 * 1024 * 1024);
    const transport = createTransport({ retries: noWait, maxResponseBytes: 256 * 1024 });
    const error = await transport(get(), ctx()).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.status).toBe(200);
    expect(error.message).toContain(`${256 * 1024}-byte limit`);
    expect(server.requests).toHaveLength(1);
  });

  it("refuses a declared Content-Length over the limit before reading", async () => {
    server.script(json(200, { padding: "x".repeat(5000) }));
    const error = await createTransport({ maxResponseBytes: 1000 })(get(), ctx()).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toMatch(/response body of \d+ bytes exceeds the 1000-byte limit/);
  });

  it("readBodyLimited reads a body within the limit and rejects one beyond it", async () => {
    server.script(json(200, { a: 1 }), oversized(100_000));
    const small = await readBodyLimited(await fetch(`${server.url}/a`), 1000);
    expect(new TextDecoder().decode(small)).toBe('{"a":1}');

    const error = await readBodyLimited(await fetch(`${server.url}/b`), 10_000, {
      provider: "maia",
      operation: "updateCustomer",
    }).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.provider).toBe("maia");
  });
});

describe("redaction", () => {
  const SECRETS = {
    bearer: "sk_live_PLANTED_bearer_4242",
    apiKey: "ak_PLANTED_apikey_1717",
    authToken: "tk_PLANTED_token_9090",
    query: "qk_PLANTED_query_5151",
    echoed: "ek_PLANTED_echoed_3131",
  };

  it("no hook payload or error carries a credential", async () => {
    // The client registers what it was configured with; a vendor echoing it back is then caught.
    registerSecrets(SECRETS.echoed);
    const payloads: unknown[] = [];
    const hooks: TransportHooks = {
      onRequest: (e) => payloads.push(e),
      onResponse: (e) => payloads.push(e),
      onRetry: (e) => payloads.push(e),
      onError: (e) => payloads.push(e),
    };
    const transport = createTransport({ retries: noWait, hooks, timeoutMs: 300 });
    const request = () =>
      new Request(`${server.url}/v0/customers/c_1?api_key=${SECRETS.query}&expand=all`, {
        method: "PUT",
        headers: {
          authorization: `Bearer ${SECRETS.bearer}`,
          "api-key": SECRETS.apiKey,
          "x-auth-token": SECRETS.authToken,
          "x-echo": SECRETS.echoed,
          "content-type": "application/json",
        },
        body: "{}",
      });

    server.script(
      status(503, { "x-echo": SECRETS.echoed, "set-cookie": `session=${SECRETS.bearer}` }),
      json(200, {}, { "x-request-id": "req_1", "x-echo": SECRETS.echoed }),
    );
    expect((await transport(request(), ctx())).status).toBe(200);
    server.fallback = reset();
    const network = await transport(request(), ctx()).catch((e) => e);
    expect(network).toBeInstanceOf(NetworkError);
    server.fallback = hang();
    const timeout = await transport(request(), ctx({ retries: false })).catch((e) => e);
    expect(timeout).toBeInstanceOf(TimeoutError);

    // The secrets did travel (the test is not vacuous)…
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${SECRETS.bearer}`);
    expect(server.requests[0]?.url).toContain(SECRETS.query);
    expect(payloads.length).toBeGreaterThanOrEqual(12);
    // …but nothing observable shows them.
    for (const seen of [payloads, network, timeout]) {
      for (const text of [
        JSON.stringify(seen),
        inspect(seen, { depth: Number.POSITIVE_INFINITY }),
      ]) {
        expect(text).not.toContain("PLANTED");
      }
    }
    expect(JSON.stringify(payloads)).toContain("[REDACTED]");
    expect(JSON.stringify(payloads)).toContain("expand=all");
  });

  it("redactUrl hides userinfo and credential-named query values only", () => {
    expect(
      redactUrl("https://user:pw123456@api.example.com/x?api_key=abc&page=2&access_token=t&sig=s"),
    ).toBe(
      "https://[REDACTED]:[REDACTED]@api.example.com/x?api_key=[REDACTED]&page=2&access_token=[REDACTED]&sig=[REDACTED]",
    );
    expect(redactUrl("not a url Bearer abc.def")).toBe("not a url Bearer [REDACTED]");
  });

  it("redactHeaders hides listed and credential-shaped header names", () => {
    expect(
      redactHeaders({
        Authorization: "Basic dXNlcjpwYXNz",
        "X-Client-Secret": "s3cr3t-value",
        "X-Session-Id": "sess-1",
        "Autopal-Instance-ID": "5200243",
        Accept: "application/json",
      }),
    ).toEqual({
      Authorization: "[REDACTED]",
      "X-Client-Secret": "[REDACTED]",
      "X-Session-Id": "[REDACTED]",
      "Autopal-Instance-ID": "5200243",
      Accept: "application/json",
    });
  });
});
