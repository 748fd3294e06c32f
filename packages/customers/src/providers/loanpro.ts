/**
 * LoanPro (lending): PUT /odata.svc/Customers({id}) with the customer's basic fields. Vendor
 * encodings `customer.type.*`, `customer.gender.*`, `customer.idType.*` live here. Addresses and
 * phones are separate LoanPro requests, outside this operation: unsupported.
 */

import { type LoanproClient, loanproValidation, type UpdateCustomerBody } from "@custkit/loanpro";
import { fromODataDate } from "../convert.js";
import type { MapperDefinition } from "../mapper.js";
import type { ProviderMapping, RequestOf, Rule, VendorPath } from "../mapping.js";
import type { Customer, CustomerKind, Gender, GovernmentId, TaxNumber } from "../model.js";

// biome-ignore lint/complexity/noBannedTypes: LoanPro needs no mapper configuration.
export type LoanproMapperConfig = {};

type Ctx = Parameters<NonNullable<Rule<LoanproMapperConfig>["set"]>>[1];

export const LOANPRO_CUSTOMER_TYPE: Readonly<Record<CustomerKind, string>> = {
  individual: "customer.type.individual",
  business: "customer.type.company",
};
export const LOANPRO_GENDER: Readonly<Record<Gender, string>> = {
  female: "customer.gender.female",
  male: "customer.gender.male",
  unknown: "customer.gender.unknown",
};
export const LOANPRO_ID_TYPE: Readonly<Record<string, string>> = {
  ssn: "customer.idType.ssn",
  sin: "customer.idType.sin",
  ein: "customer.idType.employerNumber",
};

const invert = (r: Readonly<Record<string, string>>) =>
  new Map(Object.entries(r).map(([k, v]) => [v, k]));
const KIND_OF = invert(LOANPRO_CUSTOMER_TYPE);
const GENDER_OF = invert(LOANPRO_GENDER);

export const loanproRules = [
  {
    field: "kind",
    to: ["customerType"],
    set: (v: CustomerKind, ctx: Ctx) => ctx.put("customerType", LOANPRO_CUSTOMER_TYPE[v]),
    note: "customer.type.individual | customer.type.company",
  },
  { field: "name.given", to: ["firstName"] },
  { field: "name.middle", to: ["middleName"] },
  { field: "name.family", to: ["lastName"] },
  { field: "email", to: ["email"] },
  { field: "birthDate", to: ["birthDate"] },
  {
    field: "gender",
    to: ["gender"],
    set: (v: Gender, ctx: Ctx) => ctx.put("gender", LOANPRO_GENDER[v]),
    note: "customer.gender.*",
  },
  {
    field: "taxNumber",
    to: ["customerIdType", "ssn"],
    set: (v: TaxNumber, ctx: Ctx) => {
      const type = v.type === undefined ? undefined : LOANPRO_ID_TYPE[v.type];
      if (type === undefined) return ctx.fail("loanpro takes a tax number of type ssn, sin or ein");
      ctx.put("customerIdType", type);
      ctx.put("ssn", v.number.replace(/[\s-]/g, ""));
    },
    docs: "customerIdType (customer.idType.ssn | sin | employerNumber) + ssn (9 digits)",
    note: "type ssn, sin or ein; dashes and spaces are removed",
  },
  {
    field: "governmentId",
    to: ["driverLicense"],
    set: (v: GovernmentId, ctx: Ctx) => {
      if (v.type !== "driver_license")
        return ctx.fail("loanpro stores only a driver_license government id", "unsupported");
      ctx.put("driverLicense", v.number);
    },
    note: "driver_license only",
  },
  { field: "status", to: ["status"], note: "tenant-defined values" },
  { field: "externalReference", to: ["customId"] },
  { field: "portal.username", to: ["accessUserName"] },
  { field: "portal.password", to: ["accessPassword"] },
  { field: "business.legalName", to: ["companyName"], note: "for company customers" },
] as const satisfies readonly Rule<LoanproMapperConfig, VendorPath<UpdateCustomerBody>>[];

export const loanproMapping: ProviderMapping<
  LoanproMapperConfig,
  "loanpro",
  RequestOf<LoanproClient>
> = {
  provider: "loanpro",
  operation: "updateCustomer",
  operations: ["updateCustomer"],
  rules: loanproRules,
  validation: loanproValidation,
  notes: [
    "Addresses and phones are nested LoanPro entities edited by other requests, not by this operation.",
    "Send `__ignoreWarnings: true` through the passthrough to override transaction warnings (409).",
  ],
  validateId: (id) => {
    const n = typeof id === "number" ? id : /^\d+$/.test(id) ? Number(id) : Number.NaN;
    return Number.isInteger(n) && n > 0 && n <= 2147483647
      ? undefined
      : "loanpro customer ids are positive 32-bit integers";
  },
  buildRequests(id, body) {
    if (body === undefined) return [];
    return [{ operation: "updateCustomer", params: { path: { id: Number(id) } }, body }];
  },
};

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** `{d: {...}}` (OData) or the bare entity → Customer. */
export function readLoanpro(data: unknown): Customer | undefined {
  if (!data || typeof data !== "object") return undefined;
  const d = ((data as { d?: unknown }).d ?? data) as Record<string, unknown>;
  if (!d || typeof d !== "object") return undefined;
  const c: Customer = {};
  if (d.id !== undefined && d.id !== null) c.id = String(d.id);
  const kind = KIND_OF.get(d.customerType as string) as CustomerKind | undefined;
  if (kind) c.kind = kind;
  const name: NonNullable<Customer["name"]> = {};
  if (str(d.firstName)) name.given = str(d.firstName);
  if (str(d.middleName)) name.middle = str(d.middleName);
  if (str(d.lastName)) name.family = str(d.lastName);
  if (Object.keys(name).length) c.name = name;
  if (str(d.email)) c.email = str(d.email);
  const birth = fromODataDate(d.birthDate);
  if (birth) c.birthDate = birth;
  const gender = GENDER_OF.get(d.gender as string) as Gender | undefined;
  if (gender) c.gender = gender;
  if (str(d.status)) c.status = str(d.status);
  if (str(d.customId)) c.externalReference = str(d.customId);
  if (str(d.accessUserName)) c.portal = { username: str(d.accessUserName) };
  if (str(d.companyName)) c.business = { legalName: str(d.companyName) };
  const created = fromODataDate(d.created);
  if (created) c.createdAt = created;
  return c;
}

/** The facade's types for Loanpro: the customer id `update` takes and the body the table writes. */
export interface LoanproTypes {
  id: number | string;
  body: UpdateCustomerBody;
  /** Vendor body keys the request builder writes outside the table: none. */
  builderKeys: never;
}

/** Loanpro's mapper as the facade binds it (the generated entry adds the client). */
export const loanproMapper: MapperDefinition<LoanproMapperConfig, "loanpro"> = {
  mapping: loanproMapping,
  read: readLoanpro,
  options: [],
};
