/**
 * Responses and error bodies of each documented shape, answered by a node:http loopback server,
 * parsed into the normalised result / the typed error family.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCustomers } from "../src/index.js";
import type { ProviderName } from "../src/providers/index.js";
import { IDS } from "./helpers.js";

interface Canned {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}
let next: Canned = { status: 200, body: {} };
let last:
  | { method?: string; url?: string; headers: IncomingMessage["headers"]; body: string }
  | undefined;
let server: Server;
let base = "";

beforeAll(async () => {
  server = createServer((req, res) => {
    let data = "";
    req.on("data", (c) => (data += c));
    req.on("end", () => {
      last = { method: req.method, url: req.url, headers: req.headers, body: data };
      res.writeHead(next.status, { "content-type": "application/json", ...next.headers });
      res.end(typeof next.body === "string" ? next.body : JSON.stringify(next.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const customers = () =>
  createCustomers({
    providers: {
      enfuce: { baseUrl: base, username: "api-user", password: "api-password-1", auditUser: "ops" },
      nuweb: { baseUrl: base, token: "nuweb-token-123" },
      loanpro: { baseUrl: base, token: "loanpro-token-123", instanceId: "5200243" },
      align: { baseUrl: base, apiKey: "align-key-123" },
      maia: { baseUrl: base, token: "maia-token-123" },
    },
  });

const patches: Record<ProviderName, object> = {
  enfuce: { kind: "individual", email: "a@b.co" },
  nuweb: { email: "a@b.co" },
  loanpro: { email: "a@b.co" },
  align: { occupation: "Engineer" },
  maia: { gender: "male" },
};

async function failure(p: ProviderName, canned: Canned) {
  next = canned;
  try {
    await customers().update(p, IDS[p] as never, patches[p] as never);
  } catch (e) {
    return e as Record<string, unknown>;
  }
  throw new Error("expected an error");
}

describe("documented error shapes → typed errors", () => {
  it("enfuce errorResponse", async () => {
    const e = await failure("enfuce", {
      status: 400,
      body: {
        code: "400",
        message: "Invalid field",
        id: "6f1c1f1e-1111-4c1c-9c1c-111111111111",
        errorCode: "CUST-001",
        errorType: "STATIC_VALIDATION_ERROR",
        errorReason: "email invalid",
        timestamp: "2024-01-01T00:00:00Z",
      },
    });
    expect(e).toMatchObject({
      kind: "vendor_rejected",
      provider: "enfuce",
      status: 400,
      retryable: false,
    });
    expect(String(e.vendorCode)).toMatch(/CUST-001|400/);
  });
  it("loanpro {code, message, context}", async () => {
    const e = await failure("loanpro", {
      status: 401,
      body: {
        code: "401-CN0001",
        message: "Unauthorized",
        context: { ip: "1.2.3.4", uri: "/x", user_id: 1, errors: [] },
      },
    });
    expect(e).toMatchObject({
      kind: "auth",
      provider: "loanpro",
      status: 401,
      vendorCode: "401-CN0001",
    });
  });
  it("loanpro OData form with warnings (409)", async () => {
    const e = await failure("loanpro", {
      status: 409,
      body: {
        error: { message: { value: "Duplicate SSN" }, type: "ConflictException" },
        warnings: ["Duplicate SSN found"],
      },
    });
    expect(e).toMatchObject({ kind: "conflict", status: 409 });
    expect(String(e.vendorMessage)).toContain("Duplicate SSN");
  });
  it("nuweb Laravel 422 with field errors", async () => {
    const e = await failure("nuweb", {
      status: 422,
      body: {
        message: "The given data was invalid.",
        errors: { email: ["The email has already been taken."] },
      },
    });
    expect(e).toMatchObject({
      kind: "vendor_rejected",
      status: 422,
      vendorMessage: "The given data was invalid.",
    });
    expect(e.fieldErrors).toEqual([
      expect.objectContaining({ field: "email", reason: "The email has already been taken." }),
    ]);
  });
  it("maia Strapi {statusCode, error, message}", async () => {
    const e = await failure("maia", {
      status: 401,
      body: { statusCode: 401, error: "Unauthorized", message: "Invalid token." },
    });
    expect(e).toMatchObject({ kind: "auth", status: 401 });
  });
  it("maia documented {code, message} (404)", async () => {
    const e = await failure("maia", { status: 404, body: { code: 404, message: "Not found" } });
    expect(e).toMatchObject({ kind: "not_found", status: 404 });
  });
  it("align {message, code} 429 is retryable", async () => {
    const e = await failure("align", {
      status: 429,
      body: { message: "Too many requests", code: "rate_limited" },
      headers: { "retry-after": "2" },
    });
    expect(e).toMatchObject({ kind: "rate_limited", status: 429, retryable: true });
  });
  it("5xx is retryable server error; secrets are redacted", async () => {
    const e = await failure("nuweb", {
      status: 500,
      body: { message: "boom for token nuweb-token-123" },
    });
    expect(e).toMatchObject({ kind: "server", retryable: true });
    expect(JSON.stringify(e)).not.toContain("nuweb-token-123");
  });
  it("updateEverywhere: one failure never hides the others' success", async () => {
    next = { status: 200, body: {} };
    const out = await customers().updateEverywhere(
      { align: IDS.align, maia: "abc" },
      { birthDate: "1990-01-31", address: { city: "X" } },
    );
    // align refuses a partial address before sending; maia succeeds
    expect(out.results.align).toMatchObject({ ok: false });
    expect(out.results.maia).toMatchObject({ ok: true });
  });
});

describe("responses → canonical customer", () => {
  it("loanpro d with /Date()/", async () => {
    next = {
      status: 200,
      body: {
        d: {
          __metadata: { uri: "x", type: "Entity.Customer" },
          id: 42,
          firstName: "John",
          lastName: "Doe",
          birthDate: "/Date(332640000)/",
          gender: "customer.gender.male",
          customerType: "customer.type.individual",
          customId: "ABC",
        },
      },
    };
    const r = await customers().update("loanpro", 42, { email: "a@b.co" }, { raw: true });
    expect(r.customer).toEqual({
      id: "42",
      kind: "individual",
      name: { given: "John", family: "Doe" },
      birthDate: "1980-07-17",
      gender: "male",
      externalReference: "ABC",
    });
    expect(r.raw?.[0]?.data).toMatchObject({ d: { id: 42 } });
  });
  it("maia bare and {code, message, data} documents", async () => {
    const doc = {
      id: "abc",
      referenceId: "R-1",
      dateOfBirth: "1990-01-31",
      addressCountry: "Mexico",
      addressCity: "CDMX",
      gender: "female",
      maritalStatus: "single",
    };
    const expected = {
      id: "abc",
      externalReference: "R-1",
      birthDate: "1990-01-31",
      gender: "female",
      maritalStatus: "single",
      address: { city: "CDMX", country: "MX" },
    };
    next = { status: 200, body: doc };
    expect((await customers().update("maia", "abc", { gender: "female" })).customer).toEqual(
      expected,
    );
    next = { status: 200, body: { code: 200, message: "OK", data: doc } };
    expect((await customers().update("maia", "abc", { gender: "female" })).customer).toEqual(
      expected,
    );
  });
  it("nuweb attributes", async () => {
    next = {
      status: 200,
      body: {
        data: {
          type: "customers",
          id: 5,
          attributes: {
            name: "John Doe",
            email: "j@d.co",
            phone: "7911123456",
            phoneCode: 44,
            dob: "1980-01-01 00:00:00",
            addressLine1: "16 School Road",
            postcode: "S10 8BH",
          },
        },
      },
    };
    const r = await customers().update("nuweb", "5", { email: "j@d.co" });
    expect(r.customer).toMatchObject({
      id: "5",
      name: { full: "John Doe" },
      phone: "+447911123456",
      birthDate: "1980-01-01",
      address: { lines: ["16 School Road"], postalCode: "S10 8BH" },
    });
  });
  it("maia XML body is well-formed with the mapped elements", async () => {
    next = { status: 200, body: {} };
    const c = createCustomers({
      providers: {
        maia: { baseUrl: base, token: "maia-token-123", contentType: "application/xml" },
      },
    });
    await c.update("maia", "abc", { gender: "male", address: { country: "MX" } });
    expect(last?.headers["content-type"]).toContain("application/xml");
    expect(last?.body).toMatch(/<gender>male<\/gender>/);
    expect(last?.body).toMatch(/<addressCountry>Mexico<\/addressCountry>/);
  });
  it("an invalid patch sends no request", async () => {
    last = undefined;
    await expect(
      customers().update("nuweb", "5", { address: { country: "RS" } }),
    ).rejects.toMatchObject({ kind: "validation" });
    expect(last).toBeUndefined();
  });
});
