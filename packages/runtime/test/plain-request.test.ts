import { describe, expect, test } from "vitest";
import { type ApiDefinition, createApiClient, PlainRequest } from "../src/index.js";

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

function setup(respond: (req: Request) => Response) {
  const requests: Request[] = [];
  const client = createApiClient(definition, {
    token: "tok-123456",
    retries: { maxRetries: 1, sleep: async () => {} },
    fetch: async (req: Request) => {
      requests.push(req);
      return respond(req);
    },
  });
  return { client, requests, update: client.update as Call };
}

describe("PlainRequest (the request openapi-fetch builds for custkit clients)", () => {
  test(".raw middleware sees url, method, Headers and the serialized body as plain fields", async () => {
    const { client, requests } = setup(() => Response.json({ ok: true }));
    const seen: unknown[] = [];
    // biome-ignore lint/suspicious/noExplicitAny: untyped raw client
    const raw = client.raw as any;
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
    expect(requests[0]?.headers.get("x-trace")).toBe("t-1");
    expect(await requests[0]?.text()).toBe('{"name":"A"}');
  });

  test("middleware may return a web Request instead; its body is sent", async () => {
    const { client, requests } = setup(() => Response.json({}));
    // biome-ignore lint/suspicious/noExplicitAny: untyped raw client
    const raw = client.raw as any;
    raw.use({
      onRequest({ request }: { request: PlainRequest }) {
        return new Request(request.url, { method: "PUT", headers: request.headers, body: "{}" });
      },
    });
    await raw.PUT("/customers/{id}", { params: { path: { id: "1" } }, body: { name: "A" } });
    expect(await requests[0]?.text()).toBe("{}");
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
    expect(await requests[0]?.text()).toBe('{"name":"B"}');
    expect(await requests[1]?.text()).toBe('{"name":"B"}');
    expect(await response.json()).toEqual({ id: "c1" });
    expect(await response.clone().text()).toBe('{"id":"c1"}');
    expect(response.bodyUsed).toBe(false);
  });
});
