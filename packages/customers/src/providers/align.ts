/**
 * Align Labs (KYC / onboarding): PUT /v0/customers/{customer_id} whose body is the Individual or
 * the Business branch of a oneOf; the branch is picked by the patch's kind (or inferred: any
 * `business.*` field means business). Countries are ISO alpha-2 as in the model. Addresses and
 * identity documents are whole objects at Align (their required keys must all be given). Align
 * declares nothing nullable: clearing is refused.
 */
import { type AlignClient, alignValidation, type UpdateCustomerBody } from "@custkit/align";
import { isUuid } from "@custkit/runtime";
import type { MapperDefinition } from "../mapper.js";
import type { ProviderMapping, RequestOf, Rule, VendorPath } from "../mapping.js";
import type { AddressPatch, Customer, GovernmentId, TaxNumber } from "../model.js";

// biome-ignore lint/complexity/noBannedTypes: Align needs no mapper configuration.
export type AlignMapperConfig = {};

type Ctx = Parameters<NonNullable<Rule<AlignMapperConfig>["set"]>>[1];

const ID_DOCUMENT_TYPE: Readonly<Record<GovernmentId["type"], string>> = {
  passport: "passport",
  driver_license: "driver_license",
  residence_permit: "residence_permit",
  national_id: "government_id",
  state_or_provincial_id: "state_or_provincial_id",
};

function setAddress(field: string, to: string) {
  return (a: AddressPatch, ctx: Ctx) => {
    if (a.neighbourhood !== undefined)
      ctx.failField(`${field}.neighbourhood`, "align has no neighbourhood field", "unsupported");
    const missing = (["lines", "city", "postalCode", "country"] as const).filter(
      (k) => a[k] === undefined || a[k] === null,
    );
    if (missing.length > 0) {
      return ctx.fail(
        `align replaces the whole address: give ${missing.map((k) => `${field}.${k}`).join(", ")} too`,
        "required",
      );
    }
    const lines = a.lines as string[];
    if (lines.length > 2) return ctx.fail("align takes at most 2 address lines");
    ctx.put(`${to}.street_line_1`, lines[0]);
    if (lines[1] !== undefined) ctx.put(`${to}.street_line_2`, lines[1]);
    ctx.put(`${to}.city`, a.city);
    if (typeof a.region === "string") ctx.put(`${to}.state`, a.region);
    ctx.put(`${to}.postal_code`, a.postalCode);
    ctx.put(`${to}.country`, a.country);
  };
}

const addressTargets = <To extends string>(to: To) =>
  [
    `${to}.street_line_1`,
    `${to}.street_line_2`,
    `${to}.city`,
    `${to}.state`,
    `${to}.postal_code`,
    `${to}.country`,
  ] as const;

export const alignRules = [
  { field: "kind", to: [], docs: "selects the Individual or the Business body", set: () => {} },
  { field: "name.given", to: ["first_name"], kinds: ["individual"] },
  { field: "name.middle", to: ["middle_name"], kinds: ["individual"] },
  { field: "name.family", to: ["last_name"], kinds: ["individual"] },
  { field: "birthDate", to: ["birth_date"], kinds: ["individual"] },
  { field: "nationality", to: ["nationality"], kinds: ["individual"] },
  { field: "birthCountry", to: ["birth_country"], kinds: ["individual"] },
  { field: "occupation", to: ["most_recent_occupation"], kinds: ["individual"] },
  { field: "employmentStatus", to: ["employment_status"], kinds: ["individual"] },
  {
    field: "address",
    to: addressTargets("residential_address"),
    docs: "residential_address (street_line_1/2, city, state, postal_code, country)",
    kinds: ["individual"],
    except: ["neighbourhood"],
    set: setAddress("address", "residential_address"),
    note: "whole object: lines (≤ 2), city, postalCode and country required",
  },
  {
    field: "governmentId",
    to: [
      "identifying_information.id_document.number",
      "identifying_information.id_document.type",
      "identifying_information.id_document.issuing_country",
    ],
    docs: "identifying_information.id_document {number, type, issuing_country}",
    kinds: ["individual"],
    set: (v: GovernmentId, ctx: Ctx) => {
      if (v.issuingCountry === undefined)
        return ctx.fail("align requires governmentId.issuingCountry", "required");
      ctx.put("identifying_information.id_document.number", v.number);
      ctx.put("identifying_information.id_document.type", ID_DOCUMENT_TYPE[v.type]);
      ctx.put("identifying_information.id_document.issuing_country", v.issuingCountry);
    },
    note: "national_id is sent as government_id; issuingCountry required",
  },
  {
    field: "taxNumber",
    to: [
      "identifying_information.tax_number.number",
      "identifying_information.tax_number.type",
      "identifying_information.tax_number.issuing_country",
    ],
    docs: "identifying_information.tax_number {number, type, issuing_country}",
    kinds: ["individual"],
    set: (v: TaxNumber, ctx: Ctx) => {
      if (v.issuingCountry === undefined)
        return ctx.fail("align requires taxNumber.issuingCountry", "required");
      ctx.put("identifying_information.tax_number.number", v.number);
      if (v.type !== undefined) ctx.put("identifying_information.tax_number.type", v.type);
      ctx.put("identifying_information.tax_number.issuing_country", v.issuingCountry);
    },
    note: "issuingCountry required",
  },
  { field: "business.legalName", to: ["business_legal_name"], kinds: ["business"] },
  { field: "business.registrationNumber", to: ["registration_number"], kinds: ["business"] },
  { field: "business.taxNumber", to: ["tax_number"], kinds: ["business"] },
  { field: "business.website", to: ["primary_website"], kinds: ["business"] },
  { field: "business.formationDate", to: ["formation_date"], kinds: ["business"] },
  { field: "business.description", to: ["business_description"], kinds: ["business"] },
  {
    field: "business.address",
    to: addressTargets("business_address"),
    docs: "business_address (street_line_1/2, city, state, postal_code, country)",
    kinds: ["business"],
    except: ["neighbourhood"],
    set: setAddress("business.address", "business_address"),
    note: "whole object: lines (≤ 2), city, postalCode and country required",
  },
] as const satisfies readonly Rule<AlignMapperConfig, VendorPath<UpdateCustomerBody>>[];

export const alignMapping: ProviderMapping<AlignMapperConfig, "align", RequestOf<AlignClient>> = {
  provider: "align",
  operation: "updateCustomer",
  operations: ["updateCustomer"],
  rules: alignRules,
  validation: alignValidation,
  notes: [
    "The body is Align's Individual or Business branch, picked by `kind`; without `kind`, a patch with `business.*` fields is a business, any other an individual.",
    "Align declares no nullable field: clearing (null) is refused.",
  ],
  validateId: (id) =>
    typeof id === "string" && isUuid(id)
      ? undefined
      : "must be a UUID (align customer ids are UUIDs)",
  resolveKind: (patch) => patch.kind ?? (patch.business !== undefined ? "business" : "individual"),
  buildRequests(id, body) {
    if (body === undefined) return [];
    return [{ operation: "updateCustomer", params: { path: { customer_id: String(id) } }, body }];
  },
};

/** Align answers `{}` to an update: there is no customer to read back. */
export function readAlign(_data: unknown): Customer | undefined {
  return undefined;
}

/** The facade's types for Align: the customer id `update` takes and the body the table writes. */
export interface AlignTypes {
  id: string;
  body: UpdateCustomerBody;
  /** Vendor body keys the request builder writes outside the table: none. */
  builderKeys: never;
}

/** Align's mapper as the facade binds it (the generated entry adds the client). */
export const alignMapper: MapperDefinition<AlignMapperConfig, "align"> = {
  mapping: alignMapping,
  read: readAlign,
  options: [],
};
