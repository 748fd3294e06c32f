import { describe, expect, test } from "vitest";
import {
  AbortedError,
  type ApiDefinition,
  AuthError,
  ConfigurationError,
  ConflictError,
  CustkitError,
  createApiClient,
  createApiClientCore,
  errorClassForStatus,
  errorForStatus,
  type FetchInit,
  InternalError,
  InvalidResponseError,
  NetworkError,
  NotFoundError,
  parseVendorError,
  RateLimitError,
  redactText,
  ServerError,
  serializeForm,
  serializeXml,
  TimeoutError,
  ValidationError,
  VendorRejectedError,
} from "../src/index.js";

const definition: ApiDefinition = {
  provider: "acme",
  environments: {
    prod: { url: "https://api.acme.test/v1" },
    test: {
      url: "https://{region}.{env}.acme.test/",
      variables: { region: { default: "eu", enum: ["eu", "us"] }, env: { default: "sandbox" } },
    },
  },
  defaultEnvironment: "prod",
  auth: [
    { name: "basic", kind: "basic" },
    { name: "bearer", kind: "bearer" },
    { name: "key", kind: "apiKey", header: "Api-Key" },
  ],
  clientHeaders: { tenant: { header: "X-Tenant", required: true } },
  operations: {
    update: {
      method: "put",
      path: "/customers/{id}",
      idempotent: true,
      bodyRequired: true,
      mediaTypes: ["application/json", "application/xml", "application/x-www-form-urlencoded"],
      xmlRoot: "customer",
    },
    ping: { method: "get", path: "/ping", idempotent: true, bodyRequired: false, mediaTypes: [] },
  },
};

type Call = (init?: unknown, options?: unknown) => Promise<{ data: unknown; response: Response }>;

function setup(
  respond: (req: Request) => Response | Promise<Response>,
  options: Record<string, unknown> = {},
) {
  const requests: Request[] = [];
  const client = createApiClient(definition, {
    token: "tok-123456",
    tenant: "t1",
    retries: false,
    // The stub sees what the global fetch would send, as a Request to assert on.
    fetch: async (url: string, init: FetchInit) => {
      const req = new Request(url, init);
      requests.push(req);
      return respond(req);
    },
    ...options,
  });
  return { requests, update: client.update as Call, ping: client.ping as Call, client };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(typeof body === "string" ? body : JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });

describe("options", () => {
  test("auth: first scheme with credentials wins; basic, bearer, apiKey", async () => {
    const basic = setup(() => json(200, {}), {
      token: undefined,
      username: "user",
      password: "pässword",
    });
    await basic.ping();
    expect(basic.requests[0]?.headers.get("authorization")).toBe(
      `Basic ${Buffer.from("user:pässword", "utf8").toString("base64")}`,
    );
    const bearer = setup(() => json(200, {}));
    await bearer.ping();
    expect(bearer.requests[0]?.headers.get("authorization")).toBe("Bearer tok-123456");
    expect(bearer.requests[0]?.headers.get("x-tenant")).toBe("t1");
    const key = setup(() => json(200, {}), { token: undefined, apiKey: "key-abcdef" });
    await key.ping();
    expect(key.requests[0]?.headers.get("api-key")).toBe("key-abcdef");
    expect(key.requests[0]?.headers.get("authorization")).toBeNull();
    // The client's credentials are its own: redacted from what it reports, not remembered by the process.
    const echo = setup(() => json(400, { message: "bad key key-abcdef" }), {
      token: undefined,
      apiKey: "key-abcdef",
    });
    const error = await echo.ping().catch((e) => e);
    expect(error.message).toBe("acme ping: HTTP 400: bad key [REDACTED]");
    expect(JSON.stringify(error)).not.toContain("key-abcdef");
    expect(redactText("echo key-abcdef")).toBe("echo key-abcdef");
  });

  test("options are ConfigurationErrors: kind configuration, still ValidationErrors", () => {
    const error = (() => {
      try {
        createApiClient(definition, { tenant: "t1", baseUrl: "ftp://x" });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ kind: "configuration", provider: "acme" });
    expect(new ValidationError({ provider: "acme", message: "x" }).kind).toBe("validation");
  });

  test("every error states its kind; toJSON leaves out what is not set", () => {
    const bare = new CustkitError({ kind: "internal", provider: "acme", message: "acme: bug" });
    expect(bare.toJSON()).toEqual({
      name: "CustkitError",
      kind: "internal",
      provider: "acme",
      message: "acme: bug",
      fieldErrors: [],
      retryable: false,
    });
    expect(
      Object.keys(new InternalError({ provider: "acme", message: "x" }).toJSON()),
    ).not.toContain("status");
  });

  test("one table from status to class; the vendor's requested wait kept", () => {
    const headers = new Headers({ "retry-after": "120" });
    const limited = errorForStatus(429, { provider: "acme", message: "slow" }, headers);
    expect(limited).toBeInstanceOf(RateLimitError);
    expect(limited).toMatchObject({ kind: "rate_limited", status: 429, retryAfterMs: 120_000 });
    expect(limited.toJSON()).toMatchObject({ retryAfterMs: 120_000 });
    expect(errorForStatus(418, { provider: "acme", message: "x" })).toBeInstanceOf(
      VendorRejectedError,
    );
    expect(errorForStatus(502, { provider: "acme", message: "x" })).toBeInstanceOf(ServerError);
    expect(errorClassForStatus(401)).toBe(AuthError);
  });

  test("missing or invalid options are ValidationErrors naming option and provider", () => {
    const make = (o: Record<string, unknown>) => () =>
      createApiClient(definition, { token: "tok-123456", tenant: "t1", ...o });
    expect(make({ token: undefined })).toThrow(
      /acme: missing credentials: give option "username" \+ "password" or "token" or "apiKey"/,
    );
    expect(make({ token: undefined, username: "u" })).toThrow(ValidationError);
    expect(make({ tenant: undefined })).toThrow(
      /acme: missing required option "tenant" \(header X-Tenant\)/,
    );
    expect(make({ environment: "staging" })).toThrow(
      /option "environment" must be one of "prod", "test"/,
    );
    expect(make({ environment: "test", serverVariables: { region: "ap" } })).toThrow(
      /"serverVariables.region" must be one of "eu", "us"/,
    );
    expect(make({ environment: "test", serverVariables: { env: "x/../y" } })).toThrow(
      /serverVariables.env/,
    );
    expect(make({ environment: "test", serverVariables: { zone: "a" } })).toThrow(/not a variable/);
    expect(make({ baseUrl: "ftp://x" })).toThrow(/baseUrl/);
    expect(make({ token: "a\r\nb" })).toThrow(/line breaks/);
  });

  test("environments and server variables", () => {
    expect(createApiClient(definition, { token: "tok-123456", tenant: "t" }).baseUrl).toBe(
      "https://api.acme.test/v1",
    );
    expect(
      createApiClient(definition, { token: "tok-123456", tenant: "t", environment: "test" })
        .baseUrl,
    ).toBe("https://eu.sandbox.acme.test");
    expect(
      createApiClient(definition, {
        token: "tok-123456",
        tenant: "t",
        environment: "test",
        serverVariables: { region: "us", env: "live" },
      }).baseUrl,
    ).toBe("https://us.live.acme.test");
    expect(
      createApiClient(definition, {
        token: "tok-123456",
        tenant: "t",
        baseUrl: "http://127.0.0.1:4010/",
      }).baseUrl,
    ).toBe("http://127.0.0.1:4010");
  });
});

describe("requests", () => {
  test("path params are encoded; missing ones and dot segments are refused", async () => {
    const s = setup(() => json(200, {}));
    await s.update({ params: { path: { id: "../../admin?x=1#y" } }, body: {} });
    expect(new URL(s.requests[0]?.url ?? "").pathname).toBe(
      "/v1/customers/..%2F..%2Fadmin%3Fx%3D1%23y",
    );
    await expect(s.update({ body: {} })).rejects.toThrow(/missing path parameter "id"/);
    await expect(s.update({ params: { path: { id: ".." } }, body: {} })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(s.update({ params: { path: { id: "1" } } })).rejects.toThrow(/body is required/);
    expect(s.requests).toHaveLength(1);
  });

  test("content types: JSON default, XML with root, exact form type; undeclared ones refused", async () => {
    const s = setup(() => json(200, {}));
    const init = {
      params: { path: { id: "1" } },
      body: { name: "A & B", tags: ["x", "y"], address: { city: "Köln" }, note: null },
    };
    await s.update(init);
    await s.update(init, { contentType: "application/xml" });
    await s.update(init, { contentType: "application/x-www-form-urlencoded" });
    const [a, b, c] = s.requests;
    expect(a?.headers.get("content-type")).toBe("application/json");
    expect(await a?.text()).toBe(JSON.stringify(init.body));
    expect(b?.headers.get("content-type")).toBe("application/xml");
    expect(await b?.text()).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><customer><name>A &amp; B</name><tags>x</tags><tags>y</tags><address><city>Köln</city></address><note/></customer>',
    );
    expect(c?.headers.get("content-type")).toBe("application/x-www-form-urlencoded");
    expect(await c?.text()).toBe(
      "name=A+%26+B&tags%5B0%5D=x&tags%5B1%5D=y&address%5Bcity%5D=K%C3%B6ln&note=",
    );
    await expect(s.update(init, { contentType: "text/plain" })).rejects.toThrow(
      /does not take content type "text\/plain"/,
    );
  });

  test("headers: client < call < parameter, names case-insensitive; the body's Content-Type wins over a call's", async () => {
    const s = setup(() => json(200, {}), {
      headers: { "X-Trace": "client", "X-Keep": "client", "X-Drop": "client" },
    });
    await s.update(
      { params: { path: { id: "1" }, header: { "x-trace": "param" } }, body: {} },
      {
        headers: {
          "x-trace": "call",
          "X-Extra": "call",
          "x-drop": null,
          "content-type": "text/plain",
        },
      },
    );
    await s.ping();
    const [put, get] = s.requests;
    expect(put?.method).toBe("PUT");
    expect(put?.headers.get("x-trace")).toBe("param");
    expect(put?.headers.get("x-keep")).toBe("client");
    expect(put?.headers.get("x-extra")).toBe("call");
    expect(put?.headers.has("x-drop")).toBe(false);
    expect(put?.headers.get("x-tenant")).toBe("t1");
    expect(put?.headers.get("content-type")).toBe("application/json");
    expect(get?.method).toBe("GET");
    expect(get?.headers.has("content-type")).toBe(false);
    expect(get?.headers.get("authorization")).toBe("Bearer tok-123456");
  });

  test("query values: openapi-fetch's form style (arrays exploded, objects deepObject), encoded", async () => {
    const s = setup(() => json(200, {}));
    await s.ping({
      params: { query: { q: "a b&c=d", tags: ["x", "y"], f: { k: "v" }, none: undefined } },
    });
    await s.ping({ params: { query: {} } });
    const [a, b] = s.requests;
    expect(a?.url).toBe("https://api.acme.test/v1/ping?q=a%20b%26c%3Dd&tags=x&tags=y&f[k]=v");
    expect(b?.url).toBe("https://api.acme.test/v1/ping");
  });

  test("a client handed no query serializer refuses query values, nothing sent", async () => {
    const requests: Request[] = [];
    const client = createApiClientCore(
      definition,
      {
        token: "tok-123456",
        tenant: "t1",
        fetch: async (url: string, init: FetchInit) => {
          requests.push(new Request(url, init));
          return json(200, {});
        },
      },
      { validation: {}, parseError: parseVendorError },
    );
    const ping = client.ping as Call;
    await ping({ params: { query: { unused: undefined } } });
    await expect(ping({ params: { query: { q: "x" } } })).rejects.toThrow(
      /ping: the operation takes no query parameters/,
    );
    expect(requests.map((r) => r.url)).toEqual(["https://api.acme.test/v1/ping"]);
  });

  test("a body that cannot be serialized is a ValidationError, nothing sent", async () => {
    const s = setup(() => json(200, {}));
    await expect(s.update({ params: { path: { id: "1" } }, body: { n: 10n } })).rejects.toThrow(
      /could not be built \(TypeError\)/,
    );
    expect(s.requests).toHaveLength(0);
  });

  test("serializers refuse what they cannot carry", () => {
    expect(() => serializeXml({ "bad name": 1 })).toThrow(ValidationError);
    expect(() => serializeXml({ a: "\u0001" })).toThrow(/character XML cannot carry/);
    expect(() => serializeForm([1, 2])).toThrow(/must be an object/);
    expect(() => serializeForm({ f: () => 1 })).toThrow(/cannot serialize a function/);
  });
});

describe("responses", () => {
  test("2xx returns data and response; empty and invalid JSON bodies", async () => {
    const ok = setup(() => json(200, { id: 1 }));
    const { data, response } = await ok.ping();
    expect(data).toEqual({ id: 1 });
    expect(response.status).toBe(200);
    expect((await setup(() => new Response(null, { status: 204 })).ping()).data).toBeUndefined();
    const bad = setup(() => json(200, "{not json", { "x-request-id": "req-1" }));
    const error = await bad.ping().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).requestId).toBe("req-1");
  });

  test.each([
    [
      401,
      { code: "401-CN0001", message: "Token invalid", context: { errors: ["bad token"] } },
      AuthError,
      "401-CN0001",
      "Token invalid",
    ],
    [
      404,
      {
        error: { message: { value: "Resource not found" }, type: "EntityNotFoundException" },
        warnings: [],
      },
      NotFoundError,
      "EntityNotFoundException",
      "Resource not found",
    ],
    [
      409,
      { error: { message: "Duplicate", type: "TransactionWarning" }, warnings: ["Duplicate SSN"] },
      ConflictError,
      "TransactionWarning",
      "Duplicate",
    ],
    [
      400,
      {
        code: "400",
        message: "Bad",
        id: "e1",
        errorCode: "CUST-1",
        errorType: "STATIC_VALIDATION_ERROR",
        errorReason: "id missing",
        timestamp: "x",
      },
      VendorRejectedError,
      "CUST-1",
      "Bad: id missing",
    ],
    [
      422,
      {
        message: "The email field is required.",
        errors: { email: ["The email field is required."] },
      },
      VendorRejectedError,
      undefined,
      "The email field is required.",
    ],
    [
      403,
      { statusCode: 403, error: "Forbidden", message: "Forbidden" },
      VendorRejectedError,
      "Forbidden",
      "Forbidden",
    ],
    [500, { message: "Internal", code: 500 }, ServerError, "500", "Internal"],
    [502, "<html>Bad gateway</html>", ServerError, undefined, "<html>Bad gateway</html>"],
    [503, "", ServerError, undefined, undefined],
  ] as const)("HTTP %i is mapped", async (status, body, ErrorClass, vendorCode, vendorMessage) => {
    const s = setup(
      () =>
        new Response(typeof body === "string" ? body : JSON.stringify(body), {
          status,
          headers: { "request-id": "rid-9" },
        }),
    );
    const error = (await s.ping().catch((e: unknown) => e)) as InstanceType<typeof ErrorClass>;
    if (status === 403) expect(error.kind).toBe("forbidden");
    else expect(error).toBeInstanceOf(ErrorClass);
    expect(error.status).toBe(status);
    expect(error.vendorCode).toBe(vendorCode);
    expect(error.vendorMessage).toBe(vendorMessage);
    expect(error.requestId).toBe("rid-9");
    expect(error.provider).toBe("acme");
    expect(error.operation).toBe("ping");
    expect(error.retryable).toBe(status >= 500);
  });

  test("field errors from Laravel, LoanPro and Strapi bodies", () => {
    expect(
      parseVendorError({ message: "x", errors: { email: ["bad", "worse"] } }).fieldErrors,
    ).toEqual([
      { field: "email", reason: "bad" },
      { field: "email", reason: "worse" },
    ]);
    expect(
      parseVendorError({
        code: "c",
        message: "m",
        context: { errors: [{ field: "ssn", message: "dup" }, "plain"] },
      }).fieldErrors,
    ).toEqual([
      { field: "ssn", reason: "dup" },
      { field: "", reason: "plain" },
    ]);
    expect(
      parseVendorError({
        statusCode: 400,
        error: "Bad Request",
        message: [{ messages: [{ id: "x", message: "Invalid gender" }] }],
        data: { errors: { gender: ["Invalid"] } },
      }),
    ).toEqual({
      vendorCode: "Bad Request",
      vendorMessage: "Invalid gender",
      fieldErrors: [{ field: "gender", reason: "Invalid" }],
    });
    expect(parseVendorError(undefined)).toEqual({ fieldErrors: [] });
    expect(parseVendorError("   ")).toEqual({ fieldErrors: [] });
    expect(parseVendorError(42)).toEqual({ vendorMessage: "42", fieldErrors: [] });
  });

  test("429 carries retryAfterMs", async () => {
    const s = setup(() => json(429, { message: "slow down" }, { "retry-after": "3" }));
    const error = (await s.ping().catch((e: unknown) => e)) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBe(3000);
    expect(error.retryable).toBe(true);
  });

  test("network failure, timeout and abort", async () => {
    const cause = new TypeError("fetch failed");
    const net = (await setup(() => Promise.reject(cause))
      .ping()
      .catch((e: unknown) => e)) as NetworkError;
    expect(net).toBeInstanceOf(NetworkError);
    expect(net.cause).toBe(cause);
    const hang = (req: Request) =>
      new Promise<Response>((_, reject) =>
        req.signal.addEventListener("abort", () => reject(req.signal.reason)),
      );
    const timeout = await setup(hang)
      .ping(undefined, { timeoutMs: 20 })
      .catch((e: unknown) => e);
    expect(timeout).toBeInstanceOf(TimeoutError);
    const controller = new AbortController();
    const pending = setup(hang).ping(undefined, { signal: controller.signal });
    controller.abort();
    expect(await pending.catch((e: unknown) => e)).toBeInstanceOf(AbortedError);
  });
});

describe("client.validate", () => {
  const validation = {
    update: {
      path: { t: "object", r: ["id"], o: { id: { t: "string", mn: 1 } } },
      body: {
        "application/json": { t: "object", a: 0, o: { name: { t: "string", mx: 3 } } },
      },
    },
  } as const;
  const make = (validate?: boolean) => {
    const requests: Request[] = [];
    const client = createApiClient(
      definition,
      {
        token: "tok-123456",
        tenant: "t1",
        ...(validate === undefined ? {} : { validate }),
        fetch: async (url: string, init: FetchInit) => {
          requests.push(new Request(url, init));
          return json(200, {});
        },
      },
      validation,
    );
    return { client, requests };
  };

  test("same safety and spec checks as a call, nothing sent", () => {
    const { client, requests } = make();
    const init = { params: { path: { id: "1" } }, body: { name: "toolong", extra: 1 } };
    expect(client.validate("update", init)).toEqual([
      { field: "body.name", reason: "must be at most 3 characters", code: "maxLength" },
      expect.objectContaining({ field: "body.extra", code: "additionalProperties" }),
    ]);
    expect(
      client.validate("update", { params: { path: { id: "1" } }, body: { name: "ok" } }),
    ).toEqual([]);
    expect(client.validate("update", { params: { path: { id: "1" } } })).toEqual([
      { field: "body", reason: "is required", code: "required" },
    ]);
    expect(
      client.validate("update", {
        params: { path: { id: "1" }, header: { "X-A": "a\r\nb" } },
        body: { name: "ok" },
      }),
    ).toEqual([expect.objectContaining({ field: "header.X-A" })]);
    expect(() => client.validate("nope", {})).toThrow(ValidationError);
    expect(() => client.validate("update", { body: {} }, { contentType: "text/plain" })).toThrow(
      /does not take content type/,
    );
    expect(requests).toHaveLength(0);
  });

  test("validate: false skips the spec part, not the safety part", () => {
    const { client } = make(false);
    expect(
      client.validate("update", { params: { path: { id: "1" } }, body: { name: "toolong" } }),
    ).toEqual([]);
    expect(
      client.validate("update", {
        params: { path: { id: "1" }, header: { "X-A": "a\nb" } },
        body: {},
      }),
    ).toHaveLength(1);
  });

  test("a call refuses exactly what validate reports", async () => {
    const { client, requests } = make();
    const init = { params: { path: { id: "1" } }, body: { name: "toolong" } };
    const error = await (client.update as Call)(init).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fieldErrors).toEqual(client.validate("update", init));
    expect(requests).toHaveLength(0);
  });
});
