/**
 * Redirects and clear-text credentials, over real loopback HTTP: a 3xx is a RedirectError and the
 * second origin receives nothing; the opt-in follows only same-origin 307/308, a bounded number of
 * times; a plain-http base URL to a non-loopback host is refused before anything is sent.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type ApiDefinition,
  createApiClient,
  createRawClient,
  type Fetch,
  isInsecureHttpUrl,
  RedirectError,
  ValidationError,
} from "../src/index.js";
import { type FaultServer, json, startFaultServer } from "./fault-server.js";

const KEY = "PLANTED-redirect-api-key-7Hq";
const definition: ApiDefinition = {
  provider: "acme",
  environments: {
    prod: { url: "https://api.acme.test/v1" },
    plain: { url: "http://api.acme.test/v1" },
  },
  defaultEnvironment: "prod",
  auth: [{ name: "key", kind: "apiKey", header: "Api-Key" }],
  clientHeaders: {},
  operations: {
    update: {
      method: "post",
      path: "/customers/{id}",
      idempotent: true,
      bodyRequired: true,
      mediaTypes: ["application/json"],
    },
  },
};
type Update = (init: unknown) => Promise<{ data: unknown; response: Response }>;
const init = { params: { path: { id: "c1" } }, body: { name: "Ada" } };
const redirect = (code: number, location: string) => json(code, {}, { location });

let vendor: FaultServer;
let other: FaultServer;
beforeEach(async () => {
  vendor = await startFaultServer();
  other = await startFaultServer();
});
afterEach(async () => {
  await vendor.close();
  await other.close();
});

function client(options: Record<string, unknown> = {}) {
  const c = createApiClient(definition, { apiKey: KEY, baseUrl: vendor.url, ...options });
  return c.update as Update;
}
async function refusal(call: Promise<unknown>): Promise<RedirectError> {
  const error = await call.then(
    () => expect.fail("a redirect resolved as a success"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RedirectError);
  return error as RedirectError;
}

describe("a 3xx answer", () => {
  it("to another origin: a RedirectError naming status and origin only; nothing sent there, no retry", async () => {
    for (const code of [301, 302, 303, 307, 308]) {
      vendor.script(redirect(code, `http://u:${KEY}@${other.url.slice(7)}/cb/${KEY}?token=${KEY}`));
      const error = await refusal(client()(init));
      expect(error.kind).toBe("redirect");
      expect(error.status).toBe(code);
      expect(error.retryable).toBe(false);
      expect(error.targetOrigin).toBe(other.url);
      expect(error.sameOrigin).toBe(false);
      expect(error.message).toContain(`HTTP ${code} redirect to another origin (${other.url})`);
      expect(JSON.stringify(error.toJSON())).not.toContain(KEY);
      expect(`${error.message} ${error.stack}`).not.toContain(KEY);
    }
    // Idempotent and retries on: still one request per call.
    expect(vendor.requests).toHaveLength(5);
    expect(other.requests).toHaveLength(0);
  });

  it("to the same origin: a RedirectError unless opted in, and then only for 307/308", async () => {
    for (const code of [301, 302, 303, 307, 308]) {
      vendor.script(redirect(code, "/v2/customers/c1"));
      const error = await refusal(client()(init));
      expect(error.sameOrigin).toBe(true);
      expect(error.targetOrigin).toBe(vendor.url);
      expect(error.message).toContain(code >= 307 ? "sameOriginRedirects" : "never follows it");
    }
    for (const code of [301, 302, 303]) {
      vendor.script(redirect(code, "/v2/customers/c1"));
      await refusal(client({ sameOriginRedirects: 3 })(init));
    }
    expect(vendor.requests).toHaveLength(8);
  });

  it("opted in: a same-origin 307/308 is re-sent with method, credential and body, a bounded number of times", async () => {
    vendor.script(redirect(307, "/v2/customers/c1"), redirect(308, "/v3/customers/c1"));
    const { data } = await client({ sameOriginRedirects: 2 })(init);
    expect(data).toEqual({ ok: true });
    const [first, second, third] = vendor.requests;
    expect([first?.url, second?.url, third?.url]).toEqual([
      "/customers/c1",
      "/v2/customers/c1",
      "/v3/customers/c1",
    ]);
    for (const r of vendor.requests) {
      expect(r.method).toBe("POST");
      expect(r.headers["api-key"]).toBe(KEY);
      expect(JSON.parse(r.body)).toEqual({ name: "Ada" });
    }

    vendor.requests.length = 0;
    vendor.fallback = redirect(307, "/again");
    const error = await refusal(client({ sameOriginRedirects: 2 })(init));
    expect(error.message).toContain("more than the 2 same-origin redirects");
    expect(vendor.requests).toHaveLength(3);
  });

  it("opted in: userinfo in a same-origin Location is not sent on; the request id of a refused redirect is kept", async () => {
    vendor.script(redirect(307, `http://u:${KEY}@${vendor.url.slice(7)}/v2`));
    await client({ sameOriginRedirects: 1 })(init);
    expect(vendor.requests[1]?.url).toBe("/v2");
    expect(vendor.requests[1]?.headers.authorization).toBeUndefined();
    vendor.script(json(302, {}, { location: `${other.url}/x`, "x-request-id": "req-302" }));
    const error = await refusal(client()(init));
    expect(error.requestId).toBe("req-302");
  });

  it("opted in: a 307 to another origin, or to the same host on another scheme or port, is still refused", async () => {
    for (const location of [`${other.url}/x`, vendor.url.replace("http:", "https:")]) {
      vendor.script(redirect(307, location));
      const error = await refusal(client({ sameOriginRedirects: 5 })(init));
      expect(error.sameOrigin).toBe(false);
    }
    expect(other.requests).toHaveLength(0);
  });

  it("without a Location, or with an unreadable one: a RedirectError without a target", async () => {
    vendor.script(json(302, {}), redirect(302, "javascript:alert(1)"));
    for (const reason of ["without a Location", "non-http(s) location"]) {
      const error = await refusal(client()(init));
      expect(error.targetOrigin).toBeUndefined();
      expect(error.message).toContain(reason);
    }
  });

  it("through the raw client too", async () => {
    vendor.script(redirect(302, `${other.url}/steal`));
    // biome-ignore lint/suspicious/noExplicitAny: an untyped raw client
    const raw = createRawClient<any>(definition, { apiKey: KEY, baseUrl: vendor.url }) as any;
    await refusal(raw.POST("/customers/{id}", init));
    expect(other.requests).toHaveLength(0);
  });

  it("a caller's fetch that follows anyway: the answer from elsewhere is not a success", async () => {
    vendor.script(redirect(302, `${other.url}/steal`));
    const following: Fetch = (url, i) => fetch(url, { ...i, redirect: "follow" });
    const error = await refusal(client({ fetch: following })(init));
    expect(error.targetOrigin).toBe(other.url);
    expect(error.message).toContain("followed a redirect");
  });

  it("a browser-style opaque redirect (status 0) is a RedirectError", async () => {
    const opaque = Object.assign(new Response(null, { status: 200 }), {});
    Object.defineProperty(opaque, "type", { value: "opaqueredirect" });
    Object.defineProperty(opaque, "status", { value: 0 });
    const error = await refusal(client({ fetch: async () => opaque })(init));
    expect(error.message).toContain("hidden by fetch");
  });
});

describe("plain http", () => {
  function recorded(options: Record<string, unknown>) {
    const calls: string[] = [];
    const fetch: Fetch = async (url) => {
      calls.push(url);
      return Response.json({ ok: true });
    };
    const make = () => createApiClient(definition, { apiKey: KEY, fetch, ...options });
    return { calls, make };
  }

  it("to a non-loopback host is refused before anything is sent, saying why and how to opt in", () => {
    for (const options of [{ baseUrl: "http://api.acme.test/v1" }, { environment: "plain" }]) {
      const { calls, make } = recorded(options);
      const error = (() => {
        try {
          make();
        } catch (e) {
          return e;
        }
      })() as ValidationError;
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.message).toMatch(/plain http:\/\/ to api\.acme\.test, which is not loopback/);
      expect(error.message).toContain("allowInsecureHttp: true");
      expect(calls).toEqual([]);
    }
  });

  it("is sent with allowInsecureHttp: true, and to loopback hosts without it", async () => {
    const urls = [
      ["http://api.acme.test/v1", { allowInsecureHttp: true }],
      ["http://127.0.0.1:9/v1", {}],
      ["http://127.1.2.3:9", {}],
      ["http://localhost:9", {}],
      ["http://[::1]:9", {}],
      ["https://api.acme.test", {}],
    ] as const;
    for (const [baseUrl, extra] of urls) {
      const { calls, make } = recorded({ baseUrl, ...extra });
      await (make().update as Update)(init);
      expect(calls).toEqual([`${baseUrl}/customers/c1`]);
    }
  });

  it("isInsecureHttpUrl sees the host as WHATWG URL parses it", () => {
    expect(isInsecureHttpUrl("http://127.1")).toBe(false);
    expect(isInsecureHttpUrl("http://0x7f.0.0.1")).toBe(false);
    expect(isInsecureHttpUrl("http://127.0.0.1.example.com")).toBe(true);
    expect(isInsecureHttpUrl("http://localhost.example.com")).toBe(true);
    expect(isInsecureHttpUrl("http://[::2]")).toBe(true);
    expect(isInsecureHttpUrl("http://10.0.0.1")).toBe(true);
  });

  it("bad option values are refused", () => {
    for (const options of [
      { allowInsecureHttp: "yes" },
      { sameOriginRedirects: -1 },
      { sameOriginRedirects: 1.5 },
      { sameOriginRedirects: 11 },
    ])
      expect(() => recorded({ baseUrl: vendor.url, ...options }).make()).toThrow(ValidationError);
  });
});
