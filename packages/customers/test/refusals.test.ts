/**
 * Refusals a person can act on and the normalisation policy, through the facade's `plan` (the
 * same path as `update`, nothing sent): each field once with provider, reason, value (never a
 * secret's) and the likely fix; unambiguous input rewritten and reported.
 */
import {
  ConfigurationError,
  CustkitError,
  UnsupportedFieldError,
  ValidationError,
} from "@custkit/runtime";
import { describe, expect, it } from "vitest";
import { capabilities, createCustomers } from "../src/index.js";
import { IDS } from "./helpers.js";

const customers = createCustomers({
  providers: {
    align: { apiKey: "planted-align-key" },
    nuweb: { token: "planted-nuweb-token" },
    enfuce: { token: "planted-enfuce-token", auditUser: "ops" },
  },
});

function refusedBy(run: () => unknown): CustkitError {
  try {
    run();
  } catch (e) {
    if (e instanceof CustkitError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

describe("normalisation", () => {
  it("country code case: gb → GB, reported", () => {
    const planned = customers.plan("enfuce", IDS.enfuce, { kind: "individual", nationality: "gb" });
    expect(planned.normalized).toEqual([{ field: "nationality", from: "gb", to: "GB" }]);
    expect(planned.requests[0]?.body).toMatchObject({ nationality: "GBR" });
  });

  it("an international phone with spaces becomes E.164 (libphonenumber-js), reported", () => {
    const planned = customers.plan("enfuce", IDS.enfuce, {
      kind: "individual",
      phone: "+44 7911 123456",
    });
    expect(planned.normalized).toEqual([
      { field: "phone", from: "+44 7911 123456", to: "+447911123456" },
    ]);
    expect(planned.requests[0]?.body).toMatchObject({ mobileNumber: "+447911123456" });
  });

  it("the caller's patch is not changed, and nothing normalised means no `normalized`", () => {
    const patch = { address: { country: "gb", city: "Leeds" } };
    const planned = customers.plan("nuweb", IDS.nuweb, patch as never);
    expect(patch.address.country).toBe("gb");
    expect(planned.normalized).toEqual([{ field: "address.country", from: "gb", to: "GB" }]);
    expect(customers.plan("nuweb", IDS.nuweb, { email: "a@b.co" }).normalized).toBeUndefined();
  });

  it("a phone without a country code is ambiguous: refused, with the form to use", () => {
    const e = refusedBy(() => customers.plan("nuweb", IDS.nuweb, { phone: "07911 123456" }));
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.fieldErrors).toEqual([
      expect.objectContaining({
        field: "phone",
        value: '"07911 123456"',
        suggestion: "international form with + and the country code, e.g. +447911123456",
      }),
    ]);
  });
});

describe("refusals", () => {
  it("name field, provider, reason and value once, and suggest the fix", () => {
    const e = refusedBy(() =>
      customers.plan("nuweb", IDS.nuweb, { nationality: "XX", gender: "Female" } as never),
    );
    expect(e.message).toBe(
      'nuweb: 2 fields refused, nothing was sent: nationality "XX": must be an ISO 3166-1 alpha-2 country code; gender "Female": must be one of female, male, unknown (did you mean "female"?)',
    );
    expect(e.message.match(/gender/g)).toHaveLength(1);
    expect(e.fieldErrors.find((f) => f.field === "gender")?.suggestion).toBe(
      'did you mean "female"?',
    );
  });

  it("an ISO date written without zero padding: its ISO form suggested", () => {
    const e = refusedBy(() =>
      customers.plan("nuweb", IDS.nuweb, { birthDate: "1990-1-31" } as never),
    );
    expect(e.message).toBe(
      'nuweb: birthDate "1990-1-31": must be an ISO date (YYYY-MM-DD) (did you mean "1990-01-31"?); nothing was sent',
    );
  });

  it("an unknown field: the nearest model field (case)", () => {
    const e = refusedBy(() =>
      customers.plan("align", IDS.align, { birthdate: "1990-01-31" } as never),
    );
    expect(e.fieldErrors[0]).toMatchObject({
      field: "birthdate",
      code: "unknown_field",
      suggestion: "did you mean birthDate?",
    });
  });

  it("a list given as text: the JSON list to write", () => {
    const e = refusedBy(() =>
      customers.plan("nuweb", IDS.nuweb, { address: { lines: "1 Main St" } } as never),
    );
    expect(e.fieldErrors[0]).toMatchObject({
      field: "address.lines",
      value: '"1 Main St"',
      suggestion: 'a JSON list: ["1 Main St"]',
    });
  });

  it("an id is reported as an id, with its value", () => {
    const e = refusedBy(() => customers.plan("align", "1", { occupation: "Pilot" }));
    expect(e.message).toBe(
      'align: id "1": must be a UUID (align customer ids are UUIDs); nothing was sent',
    );
    expect(e.message).not.toMatch(/field/);
  });

  it("a secret field's value is never shown", () => {
    const e = refusedBy(() =>
      customers.plan("nuweb", IDS.nuweb, {
        taxNumber: { number: "planted-tax-4242", issuingCountry: "ZZ" },
      } as never),
    );
    expect(JSON.stringify(e)).not.toContain("planted-tax-4242");
    expect(e.message).not.toContain("planted-tax-4242");
    expect(e.fieldErrors[0]?.value).toBeUndefined();
  });

  it("unsupported fields keep their class, with the value", () => {
    const e = refusedBy(() =>
      customers.plan("align", IDS.align, { email: "jane@example.com" } as never),
    );
    expect(e).toBeInstanceOf(UnsupportedFieldError);
    expect(e.message).toBe(
      'align: email "jane@example.com": align has no such field; nothing was sent',
    );
  });
});

describe("configuration and the facade's own faults say what they are", () => {
  it("an unknown provider is a ConfigurationError naming the nearest one", () => {
    const e = refusedBy(() => capabilities("Align" as never));
    expect(e).toBeInstanceOf(ConfigurationError);
    expect(e.kind).toBe("configuration");
    expect(e.message).toContain("unknown provider Align (did you mean align?)");
  });

  it("a missing mapper option is a configuration error, not a vendor failure", () => {
    const e = refusedBy(() => createCustomers({ providers: { enfuce: { token: "t" } as never } }));
    expect(e).toMatchObject({ kind: "configuration", provider: "enfuce" });
  });

  it("a non-custkit failure in updateEverywhere is kind internal, never server", async () => {
    // A ready client whose method throws something that is not an error.
    const client = {
      updateCustomer: () => {
        throw "not an Error";
      },
    };
    const broken = createCustomers({ providers: { nuweb: { client } as never } });
    const out = await broken.updateEverywhere({ nuweb: "1" }, { email: "a@b.co" });
    const outcome = out.results.nuweb;
    expect(outcome?.ok).toBe(false);
    if (outcome && !outcome.ok)
      expect(outcome.error).toMatchObject({ name: "InternalError", kind: "internal" });
  });
});
