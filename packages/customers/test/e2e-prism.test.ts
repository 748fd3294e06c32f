/**
 * End to end over real HTTP: the facade's requests for every provider must pass validation by a
 * Prism mock started from that provider's effective spec (`--errors`: an invalid request is 422,
 * which the client throws, failing the test). Responses come from the specs' examples.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Customers, createCustomers } from "../src/index.js";
import type { CustomerPatch } from "../src/model.js";
import { PROVIDER_NAMES, type ProviderName } from "../src/providers/index.js";
import { IDS } from "./helpers.js";
import { type Mock, startPrism } from "./prism.js";

const mocks = new Map<ProviderName, Mock>();
let customers: Customers;

beforeAll(async () => {
  const started = await Promise.all(
    PROVIDER_NAMES.map(async (p) => [p, await startPrism(p)] as const),
  );
  for (const [p, m] of started) mocks.set(p, m);
  const url = (p: ProviderName) => (mocks.get(p) as Mock).url;
  customers = createCustomers({
    providers: {
      enfuce: {
        baseUrl: url("enfuce"),
        username: "api-user",
        password: "api-password",
        auditUser: "ops",
      },
      nuweb: { baseUrl: url("nuweb"), token: "nuweb-token-123", companyId: 7 },
      loanpro: { baseUrl: url("loanpro"), token: "loanpro-token-123", instanceId: "5200243" },
      align: { baseUrl: url("align"), apiKey: "align-key-123" },
      maia: { baseUrl: url("maia"), token: "maia-token-123" },
    },
  });
}, 90_000);

afterAll(async () => {
  await Promise.all([...mocks.values()].map((m) => m.stop()));
});

const full: Record<ProviderName, CustomerPatch> = {
  enfuce: {
    kind: "individual",
    name: { given: "Jane", middle: "Q", family: "Doe" },
    email: "jane@example.com",
    phone: "+358401234567",
    birthDate: "1990-01-31",
    nationality: "FI",
    birthCountry: "SE",
    address: {
      lines: ["Mannerheimintie 1", "A 2"],
      city: "Helsinki",
      region: "Uusimaa",
      postalCode: "00100",
      country: "FI",
    },
    temporaryAddress: { lines: ["Aurakatu 1"], city: "Turku", postalCode: "20100", country: "FI" },
  },
  nuweb: {
    name: { full: "Jane Doe" },
    email: "jane@example.com",
    phone: "+447911123456",
    birthDate: "1990-01-01",
    portal: { password: "SecurePassword123" },
    address: {
      lines: ["16 Crookes Avenue", "Walkley Park"],
      city: "London",
      region: "Greater London",
      postalCode: "LN4 2SJ",
      country: "GB",
    },
  },
  loanpro: {
    kind: "individual",
    name: { given: "John", middle: "H.", family: "Doe" },
    email: "john@example.com",
    birthDate: "1980-07-17",
    gender: "male",
    taxNumber: { type: "ssn", number: "123-45-6789" },
    governmentId: { type: "driver_license", number: "AL3730" },
    status: "Active",
    externalReference: "ABC123",
    portal: { username: "johndoe", password: "password123!" },
  },
  align: {
    kind: "individual",
    name: { given: "Ana", middle: "M", family: "Li" },
    birthDate: "1990-01-31",
    nationality: "MX",
    birthCountry: "MX",
    occupation: "Engineer",
    employmentStatus: "employed",
    address: {
      lines: ["Av. Reforma 1"],
      city: "CDMX",
      region: "CDMX",
      postalCode: "06600",
      country: "MX",
    },
    governmentId: { type: "passport", number: "G1234567", issuingCountry: "MX" },
    taxNumber: { type: "rfc", number: "LIAA900131XXX", issuingCountry: "MX" },
  },
  maia: {
    externalReference: "R-1",
    birthDate: "1990-01-31",
    gender: "female",
    maritalStatus: "married",
    address: {
      lines: ["Av. Reforma 1"],
      neighbourhood: "Juárez",
      city: "CDMX",
      region: "CDMX",
      country: "MX",
    },
  },
};

describe("every provider's requests pass Prism validation", () => {
  for (const p of PROVIDER_NAMES) {
    it(`${p}: full patch`, async () => {
      const result = await customers.update(p, IDS[p] as never, full[p] as never, { raw: true });
      expect(result.provider).toBe(p);
      expect(result.requests).toBeGreaterThan(0);
      expect(result.raw?.every((r) => r.status >= 200 && r.status < 300)).toBe(true);
      expect(result.written.length).toBeGreaterThan(3);
    });
  }
  it("enfuce: temporaryAddress null → DELETE_TEMPORARY_ADDRESS call", async () => {
    const r = await customers.update(
      "enfuce",
      "C-1",
      { kind: "individual", temporaryAddress: null },
      { raw: true },
    );
    expect(r.raw?.map((x) => x.operation)).toEqual(["updateCustomer"]);
  });
  it("align: business body", async () => {
    const r = await customers.update("align", IDS.align, {
      kind: "business",
      business: {
        legalName: "Acme",
        registrationNumber: "R1",
        website: "https://acme.io",
        formationDate: "2001-02-03",
        address: { lines: ["1 Main"], city: "Austin", postalCode: "78701", country: "US" },
      },
    });
    expect(r.written).toContain("business.legalName");
  });
  it("maia: form body passes Prism", async () => {
    const contentType = "application/x-www-form-urlencoded";
    const c = createCustomers({
      providers: {
        maia: { baseUrl: (mocks.get("maia") as Mock).url, token: "maia-token-123", contentType },
      },
    });
    const r = await c.update(
      "maia",
      "abc",
      { gender: "male", address: { city: "CDMX", country: "MX" } },
      { raw: true },
    );
    expect(r.raw?.[0]?.status).toBe(200);
  });
  // Prism 5 cannot validate XML bodies (it answers 422 to any XML, even the spec's own
  // example), so the XML body is checked by a capture server in e2e-errors.test.ts.
  it("nuweb: the response's customer is mapped back", async () => {
    const r = await customers.update("nuweb", "1", { email: "jane@example.com" });
    expect(r.customer?.name?.full).toBeTypeOf("string");
  });
  it("an invalid body is refused before sending, and Prism rejects it too (the check is real)", async () => {
    const invalid = { passthrough: { __ignoreWarnings: "yes" as never } };
    await expect(
      customers.update("loanpro", 42, { email: "a@b.co" }, invalid),
    ).rejects.toMatchObject({
      kind: "validation",
      fieldErrors: [expect.objectContaining({ field: "passthrough.__ignoreWarnings" })],
    });
    const unvalidated = createCustomers({
      providers: {
        loanpro: {
          baseUrl: (mocks.get("loanpro") as Mock).url,
          token: "loanpro-token-123",
          instanceId: "5200243",
          validate: false,
        },
      },
    });
    await expect(
      unvalidated.update("loanpro", 42, { email: "a@b.co" }, invalid),
    ).rejects.toMatchObject({
      status: 422,
    });
  });
  it("updateEverywhere fans out and reports per provider", async () => {
    const out = await customers.updateEverywhere(
      { enfuce: "C-1", nuweb: "1", loanpro: 42, align: IDS.align, maia: "abc" },
      { kind: "individual", birthDate: "1990-01-31" },
    );
    expect(out.results.loanpro?.ok).toBe(true);
    expect(out.results.align?.ok).toBe(true);
    expect(out.results.maia?.ok).toBe(false); // kind is not a Maia field: refused, nothing sent
    expect(out.results.nuweb?.ok).toBe(false);
    expect(out.ok).toBe(false);
    const warn = await customers.updateEverywhere(
      { nuweb: "1", maia: "abc" },
      { kind: "individual", birthDate: "1990-01-31" },
      { unsupported: "warn" },
    );
    expect(warn.ok).toBe(true);
    expect(warn.results.maia?.ok && warn.results.maia.result.skipped.map((s) => s.field)).toEqual([
      "kind",
    ]);
  });
});
