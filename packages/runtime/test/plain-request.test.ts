import { describe, expect, test } from "vitest";
import {
  type ApiDefinition,
  createApiClient,
  createRawClient,
  type Fetch,
  type FetchInit,
  PlainRequest,
} from "../src/index.js";

const definition: ApiDefinition = {
  provider: "acme",
  environments: { prod: { url: "https://api.acme.test/v1" } },
  defaultEnvironment: "prod",
  auth: [{ name: "bearer", kind: "bearer" }],
  clientHeaders: {},
  operations: {
    update: {
      method: "put",
      path: "/customers/{id}",
      idempotent: true,
      bodyRequired: true,
      mediaTypes: ["application/json"],
    },
  },
};

type Call = (init?: unknown, options?: unknown) => Promise<{ data: unknown; response: Response }>;

function setup(respond: () => Response) {
  const requests: { url: string; init: FetchInit }[] = [];
  const fetch: Fetch = async (url, init) => {
    requests.push({ url, init });
    return respond();
  };
  const options = {
    token: "tok-123456",
    retries: { maxRetries: 1, sleep: async () => {} },
    fetch,
  };
  const client = createApiClient(definition, options);
  // biome-ignore lint/suspicious/noExplicitAny: an untyped raw client
  const raw = createRawClient<any>(definition, options) as any;
  return { raw, requests, update: client.update as Call };
}

describe("PlainRequest (the request openapi-fetch builds for custkit raw clients)", () => {
  test("raw client middleware sees url, method, Headers and the serialized body as plain fields", async () => {
    const { raw, requests } = setup(() => Response.json({ ok: true }));
    const seen: unknown[] = [];
    raw.use({
      onRequest({ request }: { request: PlainRequest }) {
        seen.push(request instanceof PlainRequest, request.url, request.method, request.body);
        request.headers.set("X-Trace", "t-1");
      },
    });
    const { data } = await raw.PUT("/customers/{id}", {
      params: { path: { id: "c 1" } },
      body: { name: "A" },
    });
    expect(data).toEqual({ ok: true });
    expect(seen).toEqual([true, "https://api.acme.test/v1/customers/c%201", "PUT", '{"name":"A"}']);
    // The fetch gets the middleware's Headers as a plain object and the very serialized string.
    expect(requests[0]?.url).toBe("https://api.acme.test/v1/customers/c%201");
    expect(requests[0]?.init.headers).toEqual({
      authorization: "Bearer tok-123456",
      "content-type": "application/json",
      "x-trace": "t-1",
    });
    expect(requests[0]?.init.body).toBe('{"name":"A"}');
  });

  test("middleware may return a web Request instead; its body is sent", async () => {
    const { raw, requests } = setup(() => Response.json({}));
    raw.use({
      onRequest({ request }: { request: PlainRequest }) {
        return new Request(request.url, { method: "PUT", headers: request.headers, body: "{}" });
      },
    });
    await raw.PUT("/customers/{id}", { params: { path: { id: "1" } }, body: { name: "A" } });
    expect(new TextDecoder().decode(requests[0]?.init.body as ArrayBuffer)).toBe("{}");
  });

  test("the raw client goes through the same transport: a 503 is retried", async () => {
    let n = 0;
    const { raw, requests } = setup(() =>
      ++n === 1 ? new Response("busy", { status: 503 }) : Response.json({ id: "c2" }),
    );
    const { data } = await raw.PUT("/customers/{id}", {
      params: { path: { id: "c2" } },
      body: { name: "C" },
    });
    expect(data).toEqual({ id: "c2" });
    expect(requests).toHaveLength(2);
  });

  test("a retried call re-sends the same body; the answer's body can be read again", async () => {
    let n = 0;
    const { update, requests } = setup(() =>
      ++n === 1 ? new Response("busy", { status: 503 }) : Response.json({ id: "c1" }),
    );
    const { data, response } = await update({
      params: { path: { id: "c1" } },
      body: { name: "B" },
    });
    expect(data).toEqual({ id: "c1" });
    expect(requests).toHaveLength(2);
    expect(requests[0]?.init.body).toBe('{"name":"B"}');
    expect(requests[1]?.init.body).toBe('{"name":"B"}');
    expect(await response.json()).toEqual({ id: "c1" });
    expect(await response.clone().text()).toBe('{"id":"c1"}');
    expect(response.bodyUsed).toBe(false);
  });
});
