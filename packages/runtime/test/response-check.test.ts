/** `validateResponses`: 2xx answers held against the operation's response trees, over loopback. */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  type ApiDefinition,
  createApiClientCore,
  InvalidResponseError,
  parseVendorError,
  type ResponseMismatchEvent,
  ValidationError,
  type ValidationTable,
} from "../src/index.js";
import { pointerOf } from "../src/response-check.js";
import { type FaultServer, json, startFaultServer } from "./fault-server.js";

const definition: ApiDefinition = {
  provider: "acme",
  environments: { prod: { url: "https://api.acme.test" } },
  defaultEnvironment: "prod",
  auth: [],
  clientHeaders: {},
  operations: {
    update: {
      method: "put",
      path: "/customers/{id}",
      idempotent: true,
      bodyRequired: false,
      mediaTypes: ["application/json"],
    },
  },
};

const customer = {
  t: "object",
  r: ["id"],
  o: {
    id: { t: "string" },
    status: { t: "string", e: ["active", "closed"] },
    tax_number: { t: "string", p: "^[0-9]{9}$", s: 1 },
    "a.b": { t: "object", o: { "c/d": { t: "integer" } } },
    documents: { t: "array", i: { t: "object", r: ["file_id"], o: { file_id: { t: "string" } } } },
  },
} as const;

const validation: ValidationTable = {
  update: { response: { "200": { "application/json": customer } } },
};

const SECRET = "123-45-6789";
const DRIFTED = {
  status: "suspended",
  tax_number: SECRET,
  "a.b": { "c/d": "seven" },
  documents: [{ file_id: "f1" }, { name: "x" }],
};

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(() => server.close());

type Call = (init?: unknown) => Promise<{ data: unknown; response: Response }>;
function client(options: Record<string, unknown>) {
  const c = createApiClientCore(
    definition,
    { baseUrl: server.url, retries: false, ...options },
    { validation, parseError: parseVendorError },
  );
  return c.update as Call;
}
const call = (update: Call) => update({ params: { path: { id: "c1" } }, body: {} });

const EXPECTED_PROBLEMS = [
  { field: "/id", reason: "is required", code: "required" },
  { field: "/status", reason: "must be one of the allowed values", code: "enum" },
  { field: "/tax_number", reason: "does not match the required pattern", code: "pattern" },
  { field: "/a.b/c~1d", reason: "must be an integer", code: "type" },
  { field: "/documents/1/file_id", reason: "is required", code: "required" },
];

describe("validateResponses", () => {
  it("off by default: a drifted answer is returned as it came", async () => {
    server.script(json(200, DRIFTED));
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { data } = await call(client({}));
    expect(data).toEqual(DRIFTED);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it('"warn": the hook gets every mismatch by JSON pointer, no values; the data is returned', async () => {
    server.script(json(200, DRIFTED, { "x-request-id": "req-9" }));
    const events: ResponseMismatchEvent[] = [];
    const { data } = await call(
      client({
        validateResponses: "warn",
        hooks: { onResponseMismatch: (e: ResponseMismatchEvent) => events.push(e) },
      }),
    );
    expect(data).toEqual(DRIFTED);
    expect(events).toEqual([
      {
        provider: "acme",
        operation: "update",
        status: 200,
        contentType: "application/json",
        requestId: "req-9",
        problems: EXPECTED_PROBLEMS,
      },
    ]);
    const text = JSON.stringify(events);
    for (const value of [SECRET, "suspended", "seven"]) expect(text).not.toContain(value);
  });

  it('"warn" without a hook: one console.warn line, without values', async () => {
    server.script(json(200, DRIFTED));
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    await call(client({ validateResponses: "warn" }));
    expect(warn).toHaveBeenCalledTimes(1);
    const line = String(warn.mock.calls[0]?.[0]);
    warn.mockRestore();
    expect(line).toMatch(
      /^custkit: acme update: HTTP 200 answer does not match the spec: \/id is required; /,
    );
    expect(line).not.toContain(SECRET);
  });

  it('"error": an InvalidResponseError whose field errors are the pointers; the hook still sees it', async () => {
    server.script(json(200, DRIFTED));
    const events: ResponseMismatchEvent[] = [];
    const error = await call(
      client({
        validateResponses: "error",
        hooks: { onResponseMismatch: (e: ResponseMismatchEvent) => events.push(e) },
      }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    const e = error as InvalidResponseError;
    expect(e.kind).toBe("invalid_response");
    expect(e.status).toBe(200);
    expect(e.retryable).toBe(false);
    expect(e.fieldErrors).toEqual(EXPECTED_PROBLEMS);
    expect(JSON.stringify(e.toJSON())).not.toContain(SECRET);
    expect(e.message).not.toContain(SECRET);
    expect(events).toHaveLength(1);
  });

  it("a matching answer, an empty one or a status without a tree passes silently", async () => {
    const events: ResponseMismatchEvent[] = [];
    const update = client({
      validateResponses: "error",
      hooks: { onResponseMismatch: (e: ResponseMismatchEvent) => events.push(e) },
    });
    server.script(
      json(200, { id: "c1", status: "active", documents: [{ file_id: "f" }] }),
      { kind: "respond", status: 200, body: "" },
      json(201, { anything: true }),
    );
    await call(update);
    await call(update);
    await call(update);
    expect(events).toEqual([]);
  });

  it("a hook that throws does not change the outcome", async () => {
    server.script(json(200, DRIFTED));
    const { data } = await call(
      client({
        validateResponses: "warn",
        hooks: {
          onResponseMismatch: () => {
            throw new Error("observer bug");
          },
        },
      }),
    );
    expect(data).toEqual(DRIFTED);
  });

  it("an unknown mode is refused when the client is built", () => {
    expect(() => client({ validateResponses: "strict" })).toThrow(ValidationError);
    expect(() => client({ validateResponses: "strict" })).toThrow(
      /option "validateResponses" must be "warn" or "error"/,
    );
  });
});

describe("pointerOf", () => {
  it("matches keys holding dots and brackets against the answer; a missing key is the rest", () => {
    const data = { "a.b": { "x[0]": [1, { y: 2 }] }, a: { b: 1 } };
    expect(pointerOf(data, ".a.b.x[0][1].y")).toBe("/a.b/x[0]/1/y");
    expect(pointerOf(data, ".a.b")).toBe("/a.b");
    expect(pointerOf(data, ".missing")).toBe("/missing");
    expect(pointerOf(data, "")).toBe("");
  });
});
