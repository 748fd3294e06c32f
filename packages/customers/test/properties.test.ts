/**
 * Property-based: for any valid patch, every request validates against the provider's effective
 * spec (Ajv over packages/<p>/openapi.json) and carries only fields derived from the patch; any
 * invalid patch is refused with a validation error and produces no request.
 */
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createCustomers } from "../src/index.js";
import type { CustomerPatch } from "../src/model.js";
import { COMPILED, PROVIDER_NAMES, type ProviderName } from "../src/providers/index.js";
import { IDS, plan } from "./helpers.js";

// biome-ignore lint/suspicious/noExplicitAny: walking raw OpenAPI documents
type Json = Record<string, any>;
const specs = Object.fromEntries(
  PROVIDER_NAMES.map((p) => [
    p,
    JSON.parse(readFileSync(new URL(`../../${p}/openapi.json`, import.meta.url), "utf8")) as Json,
  ]),
);
const ajv = new Ajv({ strict: false, allErrors: true });
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as (a: Ajv) => void;
addFormats(ajv);

const OPS: Record<ProviderName, Record<string, [string, string]>> = {
  enfuce: {
    patchCustomer: ["/v3/{role}/{id}", "patch"],
    updateCustomer: ["/v3/{role}/{id}/update/{propertyToUpdate}", "post"],
  },
  nuweb: { updateCustomer: ["/customers/update", "post"] },
  loanpro: { updateCustomer: ["/odata.svc/Customers({id})", "put"] },
  align: { updateCustomer: ["/v0/customers/{customer_id}", "put"] },
  maia: { updateCustomer: ["/customers/{id}", "put"] },
};
const validators = new Map<string, ReturnType<typeof ajv.compile>>();
function validatorFor(p: ProviderName, op: string) {
  const key = `${p}:${op}`;
  let v = validators.get(key);
  if (!v) {
    const [path, method] = OPS[p][op] as [string, string];
    const spec = specs[p] as Json;
    let rb = spec.paths[path][method].requestBody;
    if (rb.$ref) rb = spec.components.requestBodies[rb.$ref.split("/").pop()];
    v = ajv.compile({ ...rb.content["application/json"].schema, components: spec.components });
    validators.set(key, v);
  }
  return v;
}

const text = (max = 40) =>
  fc.string({ minLength: 1, maxLength: max }).filter((s) => s.trim() !== "");
const country = fc.constantFrom("GB", "US", "FI", "SE", "MX", "DE", "FR", "JP", "BR", "IN");
const date = fc
  .date({ min: new Date("1900-01-01"), max: new Date("2030-12-31"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const email = fc.emailAddress();
const phone = fc.constantFrom(
  "+447911123456",
  "+358401234567",
  "+14155550123",
  "+33612345678",
  "+4915123456789",
);
const lines = (n: number) => fc.array(text(60), { minLength: 1, maxLength: n });

const byProvider: Record<ProviderName, fc.Arbitrary<CustomerPatch>> = {
  enfuce: fc.record(
    {
      kind: fc.constantFrom("individual" as const),
      name: fc.record({ given: text(), middle: text(), family: text() }, { requiredKeys: [] }),
      email,
      phone,
      birthDate: date,
      nationality: country,
      birthCountry: country,
      address: fc.record(
        { lines: lines(4), city: text(), region: text(), postalCode: text(10), country },
        { requiredKeys: [] },
      ),
      temporaryAddress: fc.option(
        fc.record({ lines: lines(4), city: text(), country }, { requiredKeys: [] }),
        { nil: null },
      ),
    },
    { requiredKeys: ["kind"] },
  ),
  nuweb: fc.record(
    {
      name: fc.oneof(
        fc.record({ full: text() }),
        fc.record({ given: text(), middle: fc.option(text(), { nil: null }), family: text() }),
      ),
      email,
      phone,
      birthDate: date,
      portal: fc.record({ password: text() }),
      address: fc.record(
        { lines: lines(2), city: text(), region: text(), postalCode: text(10), country },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: [] },
  ),
  loanpro: fc.record(
    {
      kind: fc.constantFrom("individual" as const, "business" as const),
      name: fc.record({ given: text(), middle: text(), family: text() }, { requiredKeys: [] }),
      email,
      birthDate: date,
      gender: fc.constantFrom("female" as const, "male" as const, "unknown" as const),
      taxNumber: fc.record({
        type: fc.constantFrom("ssn", "sin", "ein"),
        number: fc.stringMatching(/^\d{3}-\d{2}-\d{4}$/),
      }),
      governmentId: fc.record({ type: fc.constant("driver_license" as const), number: text(12) }),
      status: text(),
      externalReference: text(),
      portal: fc.record({ username: text(), password: text() }, { requiredKeys: [] }),
    },
    { requiredKeys: [] },
  ),
  align: fc.oneof(
    fc.record(
      {
        kind: fc.constant("individual" as const),
        name: fc.record({ given: text(), middle: text(), family: text() }, { requiredKeys: [] }),
        birthDate: date,
        nationality: country,
        birthCountry: country,
        occupation: text(),
        employmentStatus: fc.constantFrom(
          "employed" as const,
          "retired" as const,
          "student" as const,
        ),
        address: fc.record(
          { lines: lines(2), city: text(), region: text(), postalCode: text(10), country },
          { requiredKeys: ["lines", "city", "postalCode", "country"] },
        ),
        governmentId: fc.record({
          type: fc.constantFrom("passport" as const, "national_id" as const),
          number: text(20),
          issuingCountry: country,
        }),
        taxNumber: fc.record({
          type: fc.constantFrom("ssn", "tin"),
          number: text(20),
          issuingCountry: country,
        }),
      },
      { requiredKeys: ["kind", "occupation"] },
    ),
    fc.record(
      {
        kind: fc.constant("business" as const),
        business: fc.record(
          {
            legalName: text(),
            registrationNumber: text(),
            taxNumber: text(),
            website: text(),
            formationDate: date,
            description: text(),
          },
          { requiredKeys: ["legalName"] },
        ),
      },
      { requiredKeys: ["kind", "business"] },
    ),
  ),
  maia: fc.record(
    {
      externalReference: text(),
      birthDate: date,
      gender: fc.constantFrom("female" as const, "male" as const),
      maritalStatus: fc.constantFrom(
        "single" as const,
        "married" as const,
        "separated" as const,
        "widowed" as const,
      ),
      address: fc.record(
        { lines: lines(3), neighbourhood: text(), city: text(), region: text(), country },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: [] },
  ),
};

/** Vendor top-level keys the rules for the patch's fields may write. */
function allowedKeys(p: ProviderName, patch: CustomerPatch): Set<string> {
  const keys = new Set<string>(p === "nuweb" ? ["id"] : []);
  const present = new Set<string>();
  const walk = (o: Record<string, unknown>, prefix: string) => {
    for (const [k, v] of Object.entries(o)) {
      if (v === undefined) continue;
      const path = prefix ? `${prefix}.${k}` : k;
      present.add(path);
      if (v && typeof v === "object" && !Array.isArray(v)) walk(v as Record<string, unknown>, path);
    }
  };
  walk(patch as Record<string, unknown>, "");
  for (const rule of COMPILED[p].mapping.rules) {
    if (present.has(rule.field)) for (const t of rule.to) keys.add(t.split(".")[0] as string);
  }
  return keys;
}

describe("valid patches → spec-valid requests carrying only patch-derived fields", () => {
  for (const p of PROVIDER_NAMES) {
    it(p, () => {
      fc.assert(
        fc.property(byProvider[p], (patch) => {
          const result = plan(p, patch);
          const allowed = allowedKeys(p, patch);
          for (const req of result.requests) {
            const validate = validatorFor(p, req.operation);
            if (!validate(req.body))
              throw new Error(
                `${p} ${req.operation}: ${ajv.errorsText(validate.errors)} for ${JSON.stringify(req.body)}`,
              );
            for (const key of Object.keys(req.body as object)) expect(allowed.has(key)).toBe(true);
          }
        }),
        { numRuns: 150 },
      );
    });
  }
});

// "+44 7911 123456" and "gb" are not here: the facade normalises them (normalize.ts, refusals.test.ts).
const invalid = fc.oneof(
  fc.record({ birthDate: fc.constantFrom("1990-02-30", "31/01/1990", "1990-1-1", "") }),
  fc.record({ email: fc.constantFrom("no-at-sign", "a@b", " ") }),
  fc.record({ phone: fc.constantFrom("07911123456", "+44 7911", "44 7911 123456") }),
  fc.record({ nationality: fc.constantFrom("XX", "GBR", "") }),
  fc.record({ address: fc.record({ country: fc.constantFrom("UK", "ZZ", "") }) }),
  fc.record({ gender: fc.constantFrom("other", "M") }),
  fc.record({ kind: fc.constantFrom(null, "person") }),
  fc.record({
    address: fc.record({ lines: fc.constantFrom([], ["a", "b", "c", "d", "e"], [""]) }),
  }),
) as fc.Arbitrary<CustomerPatch>;

describe("invalid patches → validation error, no request", () => {
  for (const p of PROVIDER_NAMES) {
    it(p, () => {
      fc.assert(
        fc.property(invalid, (patch) => {
          let threw: { kind?: string } | undefined;
          let requests: unknown[] | undefined;
          try {
            requests = plan(p, patch, { unsupported: "warn" }).requests;
          } catch (e) {
            threw = e as { kind?: string };
          }
          expect(requests).toBeUndefined();
          expect(threw?.kind).toBe("validation");
        }),
        { numRuns: 100 },
      );
    });
  }
});

// Through `update` and the generated client (whose spec checks run before it sends): nothing
// leaves for an invalid patch, also when it needs two Enfuce requests (PATCH, then
// DELETE_TEMPORARY_ADDRESS) and the problem is one only the client's spec check finds.
describe("invalid patches through update → validation error, nothing sent", () => {
  let sent = 0;
  const fetch = async () => {
    sent++;
    return new Response("{}", { status: 200, headers: { "content-type": "application/json" } });
  };
  const base = "http://127.0.0.1:9";
  const customers = createCustomers({
    providers: {
      enfuce: { baseUrl: base, username: "u", password: "p-123456", auditUser: "ops", fetch },
      nuweb: { baseUrl: base, token: "nuweb-token-123", fetch },
      loanpro: { baseUrl: base, token: "loanpro-token-123", instanceId: "5200243", fetch },
      align: { baseUrl: base, apiKey: "align-key-123", fetch },
      maia: { baseUrl: base, token: "maia-token-123", fetch },
    },
  });
  const clientOnly = fc.record({
    kind: fc.constant("individual" as const),
    email: fc.constantFrom('a"b@example.com', "a<b@example.com"),
  });
  for (const p of PROVIDER_NAMES) {
    it(p, async () => {
      const patches: fc.Arbitrary<CustomerPatch> =
        p === "enfuce"
          ? fc
              .tuple(fc.oneof(invalid, clientOnly as fc.Arbitrary<CustomerPatch>), fc.boolean())
              .map(([patch, twoRequests]) =>
                twoRequests ? { ...patch, temporaryAddress: null } : patch,
              )
          : invalid;
      await fc.assert(
        fc.asyncProperty(patches, async (patch) => {
          sent = 0;
          const error = await customers
            .update(p, IDS[p] as never, patch as never, { unsupported: "warn" })
            .then(
              () => undefined,
              (e: { kind?: string }) => e,
            );
          expect(error?.kind).toBe("validation");
          expect(sent).toBe(0);
        }),
        { numRuns: 60 },
      );
    });
  }
});

// E.164-shaped but not a valid number: refused by the providers that take a phone (they load
// libphonenumber-js); the others have no phone field, so with `unsupported: "warn"` it is skipped.
const invalidNumber = fc.record({
  phone: fc.constantFrom("+44", "+999123", "+4479111234567"),
}) as fc.Arbitrary<CustomerPatch>;

describe("E.164-shaped invalid phone numbers", () => {
  for (const p of PROVIDER_NAMES) {
    const takesPhone = COMPILED[p].rulesByField.has("phone");
    it(`${p}: ${takesPhone ? "validation error" : "skipped as unsupported"}`, () => {
      fc.assert(
        fc.property(invalidNumber, (patch) => {
          if (takesPhone) {
            let threw: { kind?: string } | undefined;
            try {
              plan(p, patch, { unsupported: "warn" });
            } catch (e) {
              threw = e as { kind?: string };
            }
            expect(threw?.kind).toBe("validation");
          } else {
            const result = plan(p, patch, { unsupported: "warn" });
            expect(result.requests).toEqual([]);
            expect(result.skipped.map((s) => s.code)).toEqual(["unsupported"]);
          }
        }),
        { numRuns: 10 },
      );
    });
  }
});
