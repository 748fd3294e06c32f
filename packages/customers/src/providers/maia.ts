/**
 * Maia Score (credit scoring): PUT /customers/{id}, body in JSON (default), XML or form encoding.
 * `addressCountry` is the country's English name (i18n-iso-countries); one street field, so
 * address lines are joined with ", ". The answer is the customer document, bare or wrapped as
 * `{code, message, data}`.
 */

import { type MaiaClient, maiaValidation, type UpdateCustomerBody } from "@custkit/maia";
import { countryFromName, countryName } from "../country-names.js";
import { pathIdReason } from "../ids.js";
import type { MapperDefinition } from "../mapper.js";
import type { ProviderMapping, RequestOf, Rule, VendorPath } from "../mapping.js";
import type { Customer, Gender, MaritalStatus } from "../model.js";

export interface MaiaMapperConfig {
  /** Request body encoding; default application/json. */
  contentType?: "application/json" | "application/xml" | "application/x-www-form-urlencoded";
}

type Ctx = Parameters<NonNullable<Rule<MaiaMapperConfig>["set"]>>[1];

export const maiaRules = [
  { field: "externalReference", to: ["referenceId"] },
  { field: "birthDate", to: ["dateOfBirth"] },
  {
    field: "gender",
    to: ["gender"],
    set: (v: Gender, ctx: Ctx) => {
      if (v === "unknown") return ctx.fail("maia takes only male or female", "unsupported");
      ctx.put("gender", v);
    },
    note: "male | female",
  },
  { field: "maritalStatus", to: ["maritalStatus"] },
  {
    field: "address.lines",
    to: ["addressStreet"],
    set: (lines: string[], ctx: Ctx) => ctx.put("addressStreet", lines.join(", ")),
    note: 'one street field: lines joined with ", "',
  },
  { field: "address.neighbourhood", to: ["addressNeighborhood"] },
  { field: "address.city", to: ["addressCity"] },
  { field: "address.region", to: ["addressState"] },
  {
    field: "address.country",
    to: ["addressCountry"],
    set: (v: string, ctx: Ctx) => {
      const name = countryName(v);
      if (name === undefined)
        ctx.fail(`maia needs a country name; none is known for ${v}`, "unknown_country");
      else ctx.put("addressCountry", name);
    },
    note: "English country name (i18n-iso-countries)",
  },
] as const satisfies readonly Rule<MaiaMapperConfig, VendorPath<UpdateCustomerBody>>[];

export const maiaMapping: ProviderMapping<MaiaMapperConfig, "maia", RequestOf<MaiaClient>> = {
  provider: "maia",
  operation: "updateCustomer",
  operations: ["updateCustomer"],
  rules: maiaRules,
  validation: maiaValidation,
  notes: ["The body is sent as JSON unless the provider configuration picks XML or form encoding."],
  validateId: pathIdReason,
  buildRequests(id, body, { config }) {
    if (body === undefined) return [];
    const request: RequestOf<MaiaClient> = {
      operation: "updateCustomer",
      params: { path: { id: String(id) } },
      body,
    };
    return [config.contentType ? { ...request, contentType: config.contentType } : request];
  },
};

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** The customer document, bare or as `{code, message, data}` → Customer. */
export function readMaia(data: unknown): Customer | undefined {
  if (!data || typeof data !== "object") return undefined;
  let d = data as Record<string, unknown>;
  if (d.data && typeof d.data === "object" && ("code" in d || "message" in d))
    d = d.data as Record<string, unknown>;
  const c: Customer = {};
  if (d.id !== undefined && d.id !== null) c.id = String(d.id);
  if (str(d.referenceId)) c.externalReference = str(d.referenceId);
  if (str(d.dateOfBirth)) c.birthDate = (d.dateOfBirth as string).slice(0, 10);
  if (d.gender === "male" || d.gender === "female") c.gender = d.gender;
  if (["single", "married", "separated", "widowed"].includes(d.maritalStatus as string))
    c.maritalStatus = d.maritalStatus as MaritalStatus;
  const address: NonNullable<Customer["address"]> = {};
  if (str(d.addressStreet)) address.lines = [str(d.addressStreet) as string];
  if (str(d.addressNeighborhood)) address.neighbourhood = str(d.addressNeighborhood);
  if (str(d.addressCity)) address.city = str(d.addressCity);
  if (str(d.addressState)) address.region = str(d.addressState);
  const country = str(d.addressCountry);
  if (country) {
    const code = countryFromName(country);
    if (code) address.country = code;
  }
  if (Object.keys(address).length) c.address = address;
  if (str(d.updatedAt ?? d.updated_at)) c.updatedAt = str(d.updatedAt ?? d.updated_at);
  return c;
}

/** The facade's types for Maia: the customer id `update` takes and the body the table writes. */
export interface MaiaTypes {
  id: string | number;
  body: UpdateCustomerBody;
  /** Vendor body keys the request builder writes outside the table: none. */
  builderKeys: never;
}

/** Maia's mapper as the facade binds it (the generated entry adds the client). */
export const maiaMapper: MapperDefinition<MaiaMapperConfig, "maia"> = {
  mapping: maiaMapping,
  read: readMaia,
  options: [
    {
      option: "contentType",
      description:
        "application/json (default), application/xml or application/x-www-form-urlencoded",
    },
  ],
};
