/**
 * NuWeb Group (e-commerce / loyalty): POST /customers/update with the customer id in the body.
 * One full `name`; the phone as national number + `phoneCode` (calling code); `countryId` is
 * NuWeb's internal id from an explicit table ([guess], see nuweb-countries.ts). Fields can be
 * cleared only where the spec marks them nullable.
 */

import { type NuwebClient, nuwebValidation, type UpdateCustomerBody } from "@custkit/nuweb";
import { joinName, putLines } from "../convert.js";
import type { MapperDefinition } from "../mapper.js";
import type { ProviderMapping, RequestOf, Rule, VendorPath } from "../mapping.js";
import type { Customer, NamePatch } from "../model.js";
import { INVALID_PHONE, joinPhone, normalizePhone, splitPhone } from "../phone.js";
import { NUWEB_COUNTRY_CODES, NUWEB_COUNTRY_IDS } from "./nuweb-countries.js";

// biome-ignore lint/complexity/noBannedTypes: NuWeb needs no mapper configuration.
export type NuwebMapperConfig = {};

type Ctx = Parameters<NonNullable<Rule<NuwebMapperConfig>["set"]>>[1];

function setName(name: NamePatch, ctx: Ctx): void {
  if (name.full !== undefined) {
    if (name.full === null) {
      ctx.failField("name.full", "nuweb cannot clear the name", "cannot_clear");
      return;
    }
    for (const part of ["given", "middle", "family"] as const) {
      if (name[part] !== undefined) {
        ctx.failField(
          `name.${part}`,
          "nuweb stores only the full name; name.full is written instead",
          "unsupported",
        );
      }
    }
    ctx.put("name", name.full);
    return;
  }
  if (
    typeof name.given !== "string" ||
    typeof name.family !== "string" ||
    name.middle === undefined
  ) {
    ctx.fail(
      "nuweb stores one full name: give name.full, or all of name.given, name.middle (null for none) and name.family so the full name can be rebuilt without losing a part",
      "required",
    );
    return;
  }
  ctx.put("name", joinName([name.given, name.middle, name.family]));
}

export const nuwebRules = [
  {
    field: "name",
    to: ["name"],
    set: setName,
    clear: false,
    docs: "name (full name: name.full, or given + middle + family joined)",
    note: "parts need all three of given, middle (null for none) and family",
  },
  { field: "email", to: ["email"] },
  {
    field: "phone",
    to: ["phone", "phoneCode"],
    set: (value: string, ctx: Ctx) => {
      const p = splitPhone(value);
      if (!p) return ctx.fail(INVALID_PHONE);
      ctx.put("phone", p.national);
      ctx.put("phoneCode", p.callingCode);
    },
    note: "national number + calling code (libphonenumber-js)",
  },
  { field: "birthDate", to: ["dob"] },
  { field: "portal.password", to: ["password"] },
  {
    field: "address.lines",
    to: ["addressLine1", "addressLine2"],
    set: (lines: string[], ctx: Ctx) => putLines(ctx, lines, ["addressLine1", "addressLine2"]),
    note: "up to 2 lines",
  },
  { field: "address.city", to: ["city"] },
  { field: "address.region", to: ["region"] },
  { field: "address.postalCode", to: ["postcode"] },
  {
    field: "address.country",
    to: ["countryId"],
    set: (value: string, ctx: Ctx) => {
      const id = NUWEB_COUNTRY_IDS.get(value);
      if (id === undefined) ctx.fail(`nuweb has no country id for ${value}`, "unknown_country");
      else ctx.put("countryId", String(id));
    },
    note: "NuWeb internal id from an explicit table ([guess]: alphabetical ISO table, 225 = GB, 226 = US)",
  },
] as const satisfies readonly Rule<NuwebMapperConfig, VendorPath<UpdateCustomerBody>>[];

export const nuwebMapping: ProviderMapping<NuwebMapperConfig, "nuweb", RequestOf<NuwebClient>> = {
  provider: "nuweb",
  operation: "updateCustomer",
  operations: ["updateCustomer"],
  rules: nuwebRules,
  validation: nuwebValidation,
  notes: [
    "`countryId` is NuWeb's undocumented internal id. [guess] It follows the common alphabetical ISO country table (ids 1–239, 225 = GB, 226 = US); a country outside that table is a validation error.",
    "NuWeb documents no nullable field except `phoneCode`, so clearing (null) is refused elsewhere.",
  ],
  validateId: (id) => (String(id).trim() === "" ? "must be a non-empty customer id" : undefined),
  normalizePhone,
  buildRequests(id, body) {
    if (body === undefined) return [];
    return [{ operation: "updateCustomer", params: {}, body: { id: String(id), ...body } }];
  },
};

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** `{data: {id, attributes}}` → Customer. */
export function readNuweb(data: unknown): Customer | undefined {
  const resource = (
    data as { data?: { id?: unknown; attributes?: Record<string, unknown> } } | null
  )?.data;
  const a = resource?.attributes;
  if (!a || typeof a !== "object") return undefined;
  const c: Customer = {};
  if (resource.id !== undefined && resource.id !== null) c.id = String(resource.id);
  if (str(a.name)) c.name = { full: str(a.name) };
  if (str(a.email)) c.email = str(a.email);
  const full = str(a.fullPhoneNumber);
  if (typeof a.phoneCode === "number" && str(a.phone))
    c.phone = joinPhone(a.phoneCode, a.phone as string);
  else if (full?.startsWith("+")) c.phone = joinPhone("", full.slice(1)) ?? full;
  if (c.phone === undefined) delete c.phone;
  if (str(a.dob)) c.birthDate = (a.dob as string).slice(0, 10);
  const lines = [str(a.addressLine1), str(a.addressLine2)].filter(
    (l): l is string => l !== undefined,
  );
  const address: NonNullable<Customer["address"]> = {};
  if (lines.length) address.lines = lines;
  if (str(a.city)) address.city = str(a.city);
  if (str(a.region)) address.region = str(a.region);
  if (str(a.postcode)) address.postalCode = str(a.postcode);
  const countryId = Number(a.countryId);
  if (Number.isInteger(countryId) && NUWEB_COUNTRY_CODES.has(countryId))
    address.country = NUWEB_COUNTRY_CODES.get(countryId);
  if (Object.keys(address).length) c.address = address;
  if (str(a.createdAt)) c.createdAt = str(a.createdAt);
  if (str(a.updatedAt)) c.updatedAt = str(a.updatedAt);
  return c;
}

/** The facade's types for Nuweb: the customer id `update` takes and the body the table writes. */
export interface NuwebTypes {
  id: string | number;
  body: UpdateCustomerBody;
  /** Vendor body keys the request builder writes outside the table: `id`. */
  builderKeys: "id";
}

/** Nuweb's mapper as the facade binds it (the generated entry adds the client). */
export const nuwebMapper: MapperDefinition<NuwebMapperConfig, "nuweb"> = {
  mapping: nuwebMapping,
  read: readNuweb,
  options: [],
};
