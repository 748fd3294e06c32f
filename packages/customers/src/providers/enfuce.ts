/**
 * Enfuce (card issuing). Fields go to `patchCustomer` (PATCH /v3/{role}/{id}?auditUser=…, added
 * by our overlay from the vendor's sibling docs page); `temporaryAddress: null` becomes the
 * vendor's own `updateCustomer` call with propertyToUpdate DELETE_TEMPORARY_ADDRESS.
 * Countries are ISO alpha-3; the mobile number is the full E.164 form; the role (PRIVATE or
 * CORPORATE) comes from the patch's kind or the configuration; auditUser from the configuration.
 */

import { type EnfuceClient, enfuceValidation, type PatchCustomerBody } from "@custkit/enfuce";
import { putLines } from "../convert.js";
import { fromAlpha3, toAlpha3 } from "../countries.js";
import { partialUpdateError } from "../errors.js";
import { pathIdReason } from "../ids.js";
import type { MapperDefinition } from "../mapper.js";
import type { ProviderMapping, RequestOf, Rule, VendorPath } from "../mapping.js";
import type { Customer, CustomerKind } from "../model.js";
import { INVALID_PHONE, isValidPhone, normalizePhone } from "../phone.js";

export interface EnfuceMapperConfig {
  /** Sent as the required `auditUser` query parameter: who made the change. */
  auditUser: string;
  /** Fix the role instead of deriving it from the patch's kind. */
  role?: "PRIVATE" | "CORPORATE";
}

type Ctx = Parameters<NonNullable<Rule<EnfuceMapperConfig>["set"]>>[1];

const alpha3 = (to: string) => (value: string, ctx: Ctx) => {
  const code = toAlpha3(value);
  if (code === undefined) ctx.fail(`enfuce has no alpha-3 code for ${value}`, "unknown_country");
  else ctx.put(to, code);
};

const addressRules = <P extends "address" | "temporaryAddress">(p: P) =>
  [
    {
      field: `${p}.lines`,
      to: [`${p}.address1`, `${p}.address2`, `${p}.address3`, `${p}.address4`],
      set: (lines: string[], ctx: Ctx) =>
        putLines(ctx, lines, [`${p}.address1`, `${p}.address2`, `${p}.address3`, `${p}.address4`]),
      note: "up to 4 lines; unused lines are cleared where the spec allows null",
    },
    { field: `${p}.city`, to: [`${p}.city`] },
    { field: `${p}.region`, to: [`${p}.region`] },
    { field: `${p}.postalCode`, to: [`${p}.zipCode`] },
    {
      field: `${p}.country`,
      to: [`${p}.country`],
      set: alpha3(`${p}.country`),
      note: "ISO alpha-3",
    },
  ] as const;

export const enfuceRules = [
  {
    field: "kind",
    to: [],
    docs: "role path parameter: individual → PRIVATE, business → CORPORATE",
    set: () => {},
  },
  { field: "name.given", to: ["firstName"] },
  { field: "name.middle", to: ["middleName"] },
  { field: "name.family", to: ["lastName"] },
  { field: "email", to: ["email"] },
  {
    field: "phone",
    to: ["mobileNumber"],
    set: (value: string, ctx: Ctx) => {
      if (!isValidPhone(value)) return ctx.fail(INVALID_PHONE);
      ctx.put("mobileNumber", value);
    },
    note: "full E.164 number with +",
  },
  { field: "birthDate", to: ["dateOfBirth"] },
  { field: "nationality", to: ["nationality"], set: alpha3("nationality"), note: "ISO alpha-3" },
  { field: "birthCountry", to: ["birthCountry"], set: alpha3("birthCountry"), note: "ISO alpha-3" },
  ...addressRules("address"),
  ...addressRules("temporaryAddress"),
  {
    field: "temporaryAddress",
    to: [],
    group: "clear",
    docs: "updateCustomer with propertyToUpdate DELETE_TEMPORARY_ADDRESS",
    clear: (ctx: Ctx) => ctx.flag("deleteTemporaryAddress"),
    note: "null removes the temporary address with a second call",
  },
  {
    field: "business.legalName",
    to: ["name"],
    kinds: ["business"],
    note: "corporate name (CORPORATE role)",
  },
] as const satisfies readonly Rule<EnfuceMapperConfig, VendorPath<PatchCustomerBody>>[];

const ROLE_OF: Record<CustomerKind, "PRIVATE" | "CORPORATE"> = {
  individual: "PRIVATE",
  business: "CORPORATE",
};

export const enfuceMapping: ProviderMapping<
  EnfuceMapperConfig,
  "enfuce",
  RequestOf<EnfuceClient>
> = {
  provider: "enfuce",
  operation: "patchCustomer",
  operations: ["patchCustomer", "updateCustomer"],
  rules: enfuceRules,
  validation: enfuceValidation,
  notes: [
    "Every call carries `auditUser` from the provider configuration.",
    "The role (PRIVATE or CORPORATE) is the patch's `kind`, or the configured `role`; one of them is required.",
  ],
  validateId: pathIdReason,
  normalizePhone,
  resolveKind(patch, config, fail) {
    if (
      patch.kind !== undefined &&
      config.role !== undefined &&
      ROLE_OF[patch.kind] !== config.role
    ) {
      fail(
        "kind",
        `enfuce is configured for role ${config.role}, which does not take ${patch.kind} customers`,
      );
    }
    if (patch.kind !== undefined) return patch.kind;
    if (config.role !== undefined) return config.role === "CORPORATE" ? "business" : "individual";
    return undefined;
  },
  requestFields: (request, written) =>
    request.operation === "updateCustomer"
      ? written.filter((f) => f === "temporaryAddress")
      : written.filter((f) => f !== "temporaryAddress"),
  buildRequests(id, body, { config, kind, flags, fail }) {
    const requests: RequestOf<EnfuceClient>[] = [];
    if (body === undefined && !flags.has("deleteTemporaryAddress")) return [];
    if (kind === undefined) {
      fail(
        "kind",
        "enfuce needs the customer's kind (or a configured role) to pick PRIVATE or CORPORATE",
      );
      return [];
    }
    const role = ROLE_OF[kind];
    const query = { auditUser: config.auditUser };
    if (body !== undefined) {
      requests.push({
        operation: "patchCustomer",
        params: { path: { role, id: String(id) }, query },
        body,
      });
    }
    if (flags.has("deleteTemporaryAddress")) {
      requests.push({
        operation: "updateCustomer",
        params: {
          path: { role, id: String(id), propertyToUpdate: "DELETE_TEMPORARY_ADDRESS" },
          query,
        },
        body: {},
      });
    }
    return requests;
  },
};

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

function readAddress(raw: unknown): Customer["address"] | undefined {
  if (!raw || typeof raw !== "object") return undefined;
  const a = raw as Record<string, unknown>;
  const lines = [a.address1, a.address2, a.address3, a.address4]
    .map(str)
    .filter((l): l is string => l !== undefined);
  const out: NonNullable<Customer["address"]> = {};
  if (lines.length) out.lines = lines;
  if (str(a.city)) out.city = str(a.city);
  if (str(a.region)) out.region = str(a.region);
  if (str(a.zipCode)) out.postalCode = str(a.zipCode);
  const country = str(a.country);
  if (country) out.country = country.length === 3 ? (fromAlpha3(country) ?? country) : country;
  return Object.keys(out).length ? out : undefined;
}

/** Enfuce answers `{description, id}` for updates; a customer document when it returns one. */
export function readEnfuce(data: unknown): Customer | undefined {
  if (!data || typeof data !== "object") return undefined;
  const d = data as Record<string, unknown>;
  const c: Customer = {};
  if (d.id !== undefined && d.id !== null) c.id = String(d.id);
  const name: NonNullable<Customer["name"]> = {};
  if (str(d.firstName)) name.given = str(d.firstName);
  if (str(d.middleName)) name.middle = str(d.middleName);
  if (str(d.lastName)) name.family = str(d.lastName);
  if (Object.keys(name).length) c.name = name;
  if (str(d.name)) c.business = { legalName: str(d.name) };
  if (str(d.email)) c.email = str(d.email);
  if (str(d.mobileNumber)) c.phone = str(d.mobileNumber);
  if (str(d.dateOfBirth)) c.birthDate = (d.dateOfBirth as string).slice(0, 10);
  for (const k of ["nationality", "birthCountry"] as const) {
    const v = str(d[k]);
    if (v) c[k] = fromAlpha3(v) ?? v;
  }
  const address = readAddress(d.address);
  if (address) c.address = address;
  const keys = Object.keys(c);
  return keys.length === 0 || (keys.length === 1 && keys[0] === "id") ? undefined : c;
}

/** The facade's types for Enfuce: the customer id `update` takes and the body the table writes. */
export interface EnfuceTypes {
  id: string;
  body: PatchCustomerBody;
  /** Vendor body keys the request builder writes outside the table: none. */
  builderKeys: never;
}

/** Enfuce's mapper as the facade binds it (the generated entry adds the client). */
export const enfuceMapper: MapperDefinition<EnfuceMapperConfig, "enfuce"> = {
  mapping: enfuceMapping,
  read: readEnfuce,
  options: [
    {
      option: "auditUser",
      required: true,
      description: "who made the change (auditUser query parameter)",
    },
    { option: "role", description: "PRIVATE or CORPORATE (default: from the patch's kind)" },
  ],
  checkConfig: (config) =>
    typeof config.auditUser !== "string" || config.auditUser === ""
      ? "auditUser is required in the provider configuration"
      : undefined,
  // A patch clearing the temporary address is two requests (PATCH, then DELETE_TEMPORARY_ADDRESS).
  partialUpdate: partialUpdateError,
};
