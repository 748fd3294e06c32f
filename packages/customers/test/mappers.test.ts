import { describe, expect, it } from "vitest";
import type { CustomerPatch } from "../src/model.js";
import { NUWEB_COUNTRY_IDS } from "../src/providers/nuweb-countries.js";
import { body, IDS, plan, refusal } from "./helpers.js";

type Row = [string, CustomerPatch, unknown];

const address = {
  lines: ["16 Crookes Avenue", "Walkley"],
  city: "Sheffield",
  region: "South Yorkshire",
  postalCode: "S10 1UA",
  country: "GB",
};

describe("enfuce", () => {
  const rows: Row[] = [
    ["name.given", { kind: "individual", name: { given: "Jane" } }, { firstName: "Jane" }],
    ["name.middle", { kind: "individual", name: { middle: "Q" } }, { middleName: "Q" }],
    ["name.family", { kind: "individual", name: { family: "Doe" } }, { lastName: "Doe" }],
    ["email", { kind: "individual", email: "jane@example.com" }, { email: "jane@example.com" }],
    ["phone", { kind: "individual", phone: "+358401234567" }, { mobileNumber: "+358401234567" }],
    ["birthDate", { kind: "individual", birthDate: "1990-01-31" }, { dateOfBirth: "1990-01-31" }],
    ["nationality", { kind: "individual", nationality: "FI" }, { nationality: "FIN" }],
    ["birthCountry", { kind: "individual", birthCountry: "SE" }, { birthCountry: "SWE" }],
    [
      "address",
      { kind: "individual", address },
      {
        address: {
          address1: "16 Crookes Avenue",
          address2: "Walkley",
          city: "Sheffield",
          region: "South Yorkshire",
          zipCode: "S10 1UA",
          country: "GBR",
        },
      },
    ],
    [
      "temporaryAddress.city",
      { kind: "individual", temporaryAddress: { city: "Turku", country: "FI" } },
      { temporaryAddress: { city: "Turku", country: "FIN" } },
    ],
    [
      "business.legalName",
      { kind: "business", business: { legalName: "Acme Oy" } },
      { name: "Acme Oy" },
    ],
  ];
  it.each(rows)("%s", (_f, patch, expected) => expect(body("enfuce", patch)).toEqual(expected));

  it("sends PATCH with role from kind and auditUser from config", () => {
    expect(plan("enfuce", { kind: "business", business: { legalName: "Acme" } }).requests).toEqual([
      {
        operation: "patchCustomer",
        params: { path: { role: "CORPORATE", id: "C-100" }, query: { auditUser: "ops" } },
        body: { name: "Acme" },
      },
    ]);
  });
  it("temporaryAddress: null is DELETE_TEMPORARY_ADDRESS", () => {
    expect(plan("enfuce", { kind: "individual", temporaryAddress: null }).requests).toEqual([
      {
        operation: "updateCustomer",
        params: {
          path: { role: "PRIVATE", id: "C-100", propertyToUpdate: "DELETE_TEMPORARY_ADDRESS" },
          query: { auditUser: "ops" },
        },
        body: {},
      },
    ]);
  });
  it("role from config when the patch has no kind; conflict is an error", () => {
    expect(
      plan("enfuce", { email: "a@b.co" }, {}, { auditUser: "ops", role: "CORPORATE" }).requests[0]
        ?.params.path?.role,
    ).toBe("CORPORATE");
    expect(
      refusal(
        "enfuce",
        { kind: "individual", email: "a@b.co" },
        {},
        { auditUser: "ops", role: "CORPORATE" },
      ).fieldErrors[0]?.field,
    ).toBe("kind");
    expect(refusal("enfuce", { email: "a@b.co" }).fieldErrors[0]).toMatchObject({ field: "kind" });
  });
  it("refuses what it cannot take", () => {
    const e = refusal("enfuce", {
      kind: "individual",
      gender: "female",
      name: { full: "Jane Doe" },
    });
    expect(e.kind).toBe("unsupported");
    expect(e.fieldErrors.map((f) => f.field).sort()).toEqual(["gender", "name.full"]);
    expect(e.message).toContain("enfuce");
    expect(
      refusal("enfuce", { kind: "individual", business: { legalName: "X" } }).fieldErrors[0]
        ?.reason,
    ).toMatch(/business/);
  });
});

describe("nuweb", () => {
  const rows: Row[] = [
    ["name.full", { name: { full: "Jane Q Doe" } }, { id: "123", name: "Jane Q Doe" }],
    [
      "name parts",
      { name: { given: "Jane", middle: "Q", family: "Doe" } },
      { id: "123", name: "Jane Q Doe" },
    ],
    [
      "name parts, no middle",
      { name: { given: "Jane", middle: null, family: "Doe" } },
      { id: "123", name: "Jane Doe" },
    ],
    ["email", { email: "jane@example.com" }, { id: "123", email: "jane@example.com" }],
    ["phone", { phone: "+33612345678" }, { id: "123", phone: "612345678", phoneCode: 33 }],
    ["birthDate", { birthDate: "1990-01-01" }, { id: "123", dob: "1990-01-01" }],
    [
      "portal.password",
      { portal: { password: "S3cret-pass" } },
      { id: "123", password: "S3cret-pass" },
    ],
    [
      "address",
      { address },
      {
        id: "123",
        addressLine1: "16 Crookes Avenue",
        addressLine2: "Walkley",
        city: "Sheffield",
        region: "South Yorkshire",
        postcode: "S10 1UA",
        countryId: "225",
      },
    ],
    ["address.country US", { address: { country: "US" } }, { id: "123", countryId: "226" }],
  ];
  it.each(rows)("%s", (_f, patch, expected) => expect(body("nuweb", patch)).toEqual(expected));

  it("partial name parts are a clear error", () => {
    const e = refusal("nuweb", { name: { given: "Jane" } });
    expect(e.kind).toBe("validation");
    expect(e.fieldErrors[0]).toMatchObject({ field: "name", code: "required" });
    expect(e.fieldErrors[0]?.reason).toMatch(/full name/);
  });
  it("unknown country is a validation error", () => {
    expect(refusal("nuweb", { address: { country: "RS" } }).fieldErrors[0]).toMatchObject({
      field: "address.country",
      code: "unknown_country",
    });
  });
  it("cannot clear non-nullable fields", () => {
    expect(refusal("nuweb", { email: null }).fieldErrors[0]).toMatchObject({
      field: "email",
      code: "cannot_clear",
    });
  });
  it("country table: explicit, 239 rows, GB 225, US 226, retired codes absent", () => {
    expect(NUWEB_COUNTRY_IDS.get("GB")).toBe(225);
    expect(NUWEB_COUNTRY_IDS.get("US")).toBe(226);
    expect(NUWEB_COUNTRY_IDS.get("AF")).toBe(1);
    expect(NUWEB_COUNTRY_IDS.get("ZW")).toBe(239);
    expect(NUWEB_COUNTRY_IDS.size).toBe(237);
    expect(NUWEB_COUNTRY_IDS.has("AN")).toBe(false);
  });
});

describe("loanpro", () => {
  const rows: Row[] = [
    ["kind individual", { kind: "individual" }, { customerType: "customer.type.individual" }],
    ["kind business", { kind: "business" }, { customerType: "customer.type.company" }],
    [
      "name",
      { name: { given: "John", middle: "H.", family: "Doe" } },
      { firstName: "John", middleName: "H.", lastName: "Doe" },
    ],
    ["email", { email: "john@example.com" }, { email: "john@example.com" }],
    ["birthDate", { birthDate: "1980-07-17" }, { birthDate: "1980-07-17" }],
    ["gender", { gender: "unknown" }, { gender: "customer.gender.unknown" }],
    [
      "taxNumber ssn",
      { taxNumber: { type: "ssn", number: "123-45-6789" } },
      { customerIdType: "customer.idType.ssn", ssn: "123456789" },
    ],
    [
      "taxNumber ein",
      { taxNumber: { type: "ein", number: "123456789" } },
      { customerIdType: "customer.idType.employerNumber", ssn: "123456789" },
    ],
    [
      "governmentId",
      { governmentId: { type: "driver_license", number: "AL3730" } },
      { driverLicense: "AL3730" },
    ],
    ["status", { status: "Active" }, { status: "Active" }],
    ["externalReference", { externalReference: "ABC123" }, { customId: "ABC123" }],
    [
      "portal",
      { portal: { username: "johndoe", password: "password123!" } },
      { accessUserName: "johndoe", accessPassword: "password123!" },
    ],
    ["business.legalName", { business: { legalName: "Acme LLC" } }, { companyName: "Acme LLC" }],
  ];
  it.each(rows)("%s", (_f, patch, expected) => expect(body("loanpro", patch)).toEqual(expected));
  it("path id is the integer", () => {
    expect(plan("loanpro", { email: "a@b.co" }).requests[0]?.params).toEqual({ path: { id: 42 } });
  });
  it("no address/phone in this operation; bad SSN is refused without echoing it", () => {
    expect(refusal("loanpro", { phone: "+14155550100" }).kind).toBe("unsupported");
    const e = refusal("loanpro", { taxNumber: { type: "ssn", number: "12345" } });
    expect(e.fieldErrors[0]).toMatchObject({ field: "taxNumber", code: "pattern" });
    expect(JSON.stringify(e)).not.toContain('12345"');
    expect(e.message).not.toContain("12345 ");
  });
});

describe("align", () => {
  const rows: Row[] = [
    [
      "name",
      { name: { given: "Ana", middle: "M", family: "Li" } },
      { first_name: "Ana", middle_name: "M", last_name: "Li" },
    ],
    ["birthDate", { birthDate: "1990-01-31" }, { birth_date: "1990-01-31" }],
    ["nationality", { nationality: "MX" }, { nationality: "MX" }],
    ["birthCountry", { birthCountry: "US" }, { birth_country: "US" }],
    ["occupation", { occupation: "Engineer" }, { most_recent_occupation: "Engineer" }],
    [
      "employmentStatus",
      { employmentStatus: "self_employed" },
      { employment_status: "self_employed" },
    ],
    [
      "address",
      { address },
      {
        residential_address: {
          street_line_1: "16 Crookes Avenue",
          street_line_2: "Walkley",
          city: "Sheffield",
          state: "South Yorkshire",
          postal_code: "S10 1UA",
          country: "GB",
        },
      },
    ],
    [
      "governmentId",
      { governmentId: { type: "national_id", number: "X1", issuingCountry: "MX" } },
      {
        identifying_information: {
          id_document: { number: "X1", type: "government_id", issuing_country: "MX" },
        },
      },
    ],
    [
      "taxNumber",
      { taxNumber: { type: "ssn", number: "123456789", issuingCountry: "US" } },
      {
        identifying_information: {
          tax_number: { number: "123456789", type: "ssn", issuing_country: "US" },
        },
      },
    ],
    [
      "business.legalName",
      { kind: "business", business: { legalName: "Acme" } },
      { business_legal_name: "Acme" },
    ],
    [
      "business inferred",
      {
        business: {
          registrationNumber: "R1",
          taxNumber: "T1",
          website: "https://acme.io",
          formationDate: "2001-02-03",
          description: "Widgets",
        },
      },
      {
        registration_number: "R1",
        tax_number: "T1",
        primary_website: "https://acme.io",
        formation_date: "2001-02-03",
        business_description: "Widgets",
      },
    ],
    [
      "business.address",
      {
        business: {
          address: { lines: ["1 Main"], city: "Austin", postalCode: "78701", country: "US" },
        },
      },
      {
        business_address: {
          street_line_1: "1 Main",
          city: "Austin",
          postal_code: "78701",
          country: "US",
        },
      },
    ],
  ];
  it.each(rows)("%s", (_f, patch, expected) => expect(body("align", patch)).toEqual(expected));
  it("kind picks the branch: individual fields refused for a business", () => {
    const e = refusal("align", { kind: "business", name: { given: "A" } });
    expect(e.fieldErrors[0]).toMatchObject({ field: "name.given", code: "unsupported" });
  });
  it("partial address refused: Align replaces the whole object", () => {
    expect(refusal("align", { address: { city: "Austin" } }).fieldErrors[0]).toMatchObject({
      field: "address",
      code: "required",
    });
  });
  it("maxLength from the spec", () => {
    const e = refusal("align", { name: { given: "x".repeat(129) } });
    expect(e.fieldErrors[0]).toMatchObject({ field: "name.given", code: "too_long" });
    expect(e.fieldErrors[0]?.reason).toContain("128");
  });
  it("id must be a UUID", () => {
    expect(() => plan("align", { occupation: "x" }, {}, {})).not.toThrow();
    expect(IDS.align).toMatch(/-/);
  });
});

describe("maia", () => {
  const rows: Row[] = [
    ["externalReference", { externalReference: "R-1" }, { referenceId: "R-1" }],
    ["birthDate", { birthDate: "2019-08-24" }, { dateOfBirth: "2019-08-24" }],
    ["gender", { gender: "female" }, { gender: "female" }],
    ["maritalStatus", { maritalStatus: "widowed" }, { maritalStatus: "widowed" }],
    [
      "address",
      {
        address: {
          lines: ["Av. Reforma 1", "Piso 2"],
          neighbourhood: "Juárez",
          city: "CDMX",
          region: "CDMX",
          country: "MX",
        },
      },
      {
        addressStreet: "Av. Reforma 1, Piso 2",
        addressNeighborhood: "Juárez",
        addressCity: "CDMX",
        addressState: "CDMX",
        addressCountry: "Mexico",
      },
    ],
  ];
  it.each(rows)("%s", (_f, patch, expected) => expect(body("maia", patch)).toEqual(expected));
  it("gender unknown is not representable; content type from config", () => {
    expect(refusal("maia", { gender: "unknown" }).fieldErrors[0]).toMatchObject({
      field: "gender",
      code: "unsupported",
    });
    expect(
      plan("maia", { gender: "male" }, {}, { contentType: "application/xml" }).requests[0]
        ?.contentType,
    ).toBe("application/xml");
  });
});

describe("engine", () => {
  it("omitted and undefined fields are never sent", () => {
    expect(body("loanpro", { email: "a@b.co", name: { given: undefined } })).toEqual({
      email: "a@b.co",
    });
  });
  it("empty patch sends nothing", () => {
    expect(plan("nuweb", {}).requests).toEqual([]);
  });
  it("warn policy skips and lists every field not written", () => {
    const p = plan(
      "maia",
      { email: "a@b.co", gender: "male", phone: "+14155550100" },
      { unsupported: "warn" },
    );
    expect(p.requests[0]?.body).toEqual({ gender: "male" });
    expect(p.written).toEqual(["gender"]);
    expect(p.skipped.map((s) => s.field)).toEqual(["email", "phone"]);
    expect(p.warnings.join("\n")).toContain("email");
  });
  it("warn does not skip invalid values", () => {
    expect(refusal("maia", { birthDate: "1990-02-30" }, { unsupported: "warn" }).kind).toBe(
      "validation",
    );
  });
  it("unknown fields are refused", () => {
    expect(refusal("maia", { shoeSize: 42 } as never).fieldErrors[0]).toMatchObject({
      field: "shoeSize",
      code: "unknown_field",
    });
  });
  it("passthrough adds unmapped vendor fields; a mapped field is a collision", () => {
    expect(
      plan("enfuce", { kind: "individual", email: "a@b.co" }, { passthrough: { locale: "fi_FI" } })
        .requests[0]?.body,
    ).toEqual({ email: "a@b.co", locale: "fi_FI" });
    expect(
      refusal("enfuce", { kind: "individual" }, { passthrough: { email: "x@y.z" } }).fieldErrors[0],
    ).toMatchObject({ field: "passthrough.email", code: "collision" });
    expect(
      refusal("enfuce", { kind: "individual" }, { passthrough: { locale: "finnish" } })
        .fieldErrors[0],
    ).toMatchObject({ code: "pattern" });
  });
  it("secrets never appear in errors or warnings", () => {
    const secret = "hunter2-very-secret";
    const e = refusal("maia", {
      portal: { password: secret },
      taxNumber: { number: secret, type: "ssn" },
    });
    expect(JSON.stringify({ m: e.message, f: e.fieldErrors })).not.toContain(secret);
    const w = plan("maia", { portal: { password: secret } }, { unsupported: "warn" });
    expect(JSON.stringify(w.warnings) + JSON.stringify(w.skipped)).not.toContain(secret);
  });
  it("maps the same patch the same way every time (throughput: `pnpm bench --only mapping`)", () => {
    const patch: CustomerPatch = {
      kind: "individual",
      name: { given: "Jane", family: "Doe" },
      email: "jane@example.com",
      birthDate: "1990-01-31",
      nationality: "FI",
      address: { lines: ["A 1"], city: "Helsinki", postalCode: "00100", country: "FI" },
    };
    const first = JSON.stringify(plan("enfuce", patch));
    for (let i = 0; i < 1000; i++) expect(JSON.stringify(plan("enfuce", patch))).toBe(first);
  });
});
