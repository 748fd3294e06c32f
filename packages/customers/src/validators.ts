/**
 * Canonical validation of patch values, independent of any vendor: an invalid value is refused
 * for every provider before any request. Reasons never contain the value (it may be a secret).
 * Phone numbers are checked for shape here and for validity by the providers that take one.
 */
import { isIsoDate } from "@custkit/runtime";
import { ALPHA2_CODES as ALPHA2 } from "./country-codes.js";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const E164 = /^\+[1-9]\d{1,14}$/;
const NON_BLANK = /\S/;

/** How a value of a field is written: shown by `custkit providers` and in refusals' suggestions. */
export interface ValueFormat {
  /** `ISO date (YYYY-MM-DD)`, `ISO 3166-1 alpha-2 country code`, … */
  format: string;
  /** A value of this format (JSON syntax for lists and objects). */
  example: string;
  /** The only values taken, for an enumeration. */
  values?: readonly string[];
}

type Check = (value: unknown) => string | undefined;
type Validator = Check & { readonly valueFormat?: ValueFormat };

const described = (check: Check, valueFormat: ValueFormat): Validator =>
  Object.assign(check, { valueFormat });

export function isCountry(value: unknown): value is string {
  return typeof value === "string" && ALPHA2.has(value);
}

const text: Validator = (v) => {
  if (v === null) return undefined;
  if (typeof v !== "string") return "must be a string or null";
  if (!NON_BLANK.test(v)) return "must not be empty (use null to clear)";
  return undefined;
};
const oneOf = (values: readonly string[], nullable = true): Validator =>
  described(
    (v) => {
      if (v === null) return nullable ? undefined : "cannot be null";
      return typeof v === "string" && values.includes(v)
        ? undefined
        : `must be one of ${values.join(", ")}`;
    },
    { format: "one of", example: values[0] as string, values },
  );
const email = described(
  (v) => {
    if (v === null) return undefined;
    return typeof v === "string" && EMAIL.test(v) ? undefined : "must be an e-mail address";
  },
  { format: "e-mail address", example: "jane@example.com" },
);
const phone = described(
  (v) => {
    if (v === null) return undefined;
    // The number itself (numbering plan, length) is checked by the mappers that take a phone
    // (libphonenumber-js, in phone.ts), so providers without a phone field never load its metadata.
    return typeof v === "string" && E164.test(v)
      ? undefined
      : "must be an E.164 phone number (+ and digits)";
  },
  { format: "E.164 phone number", example: "+447911123456" },
);
const date = described(
  (v) => {
    if (v === null) return undefined;
    return typeof v === "string" && isIsoDate(v) ? undefined : "must be an ISO date (YYYY-MM-DD)";
  },
  { format: "ISO date (YYYY-MM-DD)", example: "1990-01-31" },
);
const country = described(
  (v) => {
    if (v === null) return undefined;
    return isCountry(v) ? undefined : "must be an ISO 3166-1 alpha-2 country code";
  },
  { format: "ISO 3166-1 alpha-2 country code", example: "GB" },
);
const group: Validator = (v) =>
  v === null || (typeof v === "object" && !Array.isArray(v))
    ? undefined
    : "must be an object or null";
const groupNoNull: Validator = (v) =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? undefined : "must be an object";
const lines = described(
  (v) => {
    if (v === null) return undefined;
    if (!Array.isArray(v) || v.length < 1 || v.length > 4) return "must be a list of 1 to 4 lines";
    for (const line of v)
      if (typeof line !== "string" || line.trim() === "") return "lines must be non-empty strings";
    return undefined;
  },
  { format: "list of 1 to 4 lines", example: '["1 Main St", "Flat 2"]' },
);

const GOVERNMENT_ID_TYPES = [
  "passport",
  "driver_license",
  "residence_permit",
  "national_id",
  "state_or_provincial_id",
];
const DOCUMENT_KEYS = ["type", "number", "issuingCountry"];
/** A government id (`types`: its type is required and one of them) or a tax number (free type). */
const documentOf = (types?: readonly string[]): Validator =>
  described(documentCheck(types), {
    format: "whole object {type, number, issuingCountry?}",
    example: `{"type": "${types?.[0] ?? "vat"}", "number": "…", "issuingCountry": "GB"}`,
    ...(types ? { values: types } : {}),
  });
function documentCheck(types?: readonly string[]): Check {
  return (v) => {
    if (v === null) return undefined;
    if (typeof v !== "object" || Array.isArray(v))
      return `must be {type${types ? "" : "?"}, number, issuingCountry?} or null`;
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o))
      if (!DOCUMENT_KEYS.includes(k)) return `has an unknown key ${k}`;
    if (types) {
      if (typeof o.type !== "string" || !types.includes(o.type))
        return `type must be one of ${types.join(", ")}`;
    } else if (o.type !== undefined && (typeof o.type !== "string" || o.type.trim() === "")) {
      return "type must be a non-empty string";
    }
    if (typeof o.number !== "string" || o.number.trim() === "")
      return "number must be a non-empty string";
    if (o.issuingCountry !== undefined && !isCountry(o.issuingCountry))
      return "issuingCountry must be an ISO 3166-1 alpha-2 code";
    return undefined;
  };
}

const address = (prefix: string): Record<string, Validator> => ({
  [prefix]: group,
  [`${prefix}.lines`]: lines,
  [`${prefix}.neighbourhood`]: text,
  [`${prefix}.city`]: text,
  [`${prefix}.region`]: text,
  [`${prefix}.postalCode`]: text,
  [`${prefix}.country`]: country,
});

/** Validator per model path (leaf or group). */
export const MODEL_VALIDATORS: Readonly<Record<string, Validator>> = {
  kind: oneOf(["individual", "business"], false),
  name: group,
  "name.given": text,
  "name.middle": text,
  "name.family": text,
  "name.full": text,
  email,
  phone,
  birthDate: date,
  gender: oneOf(["female", "male", "unknown"]),
  maritalStatus: oneOf(["single", "married", "separated", "widowed"]),
  nationality: country,
  birthCountry: country,
  ...address("address"),
  ...address("temporaryAddress"),
  governmentId: documentOf(GOVERNMENT_ID_TYPES),
  taxNumber: documentOf(),
  occupation: text,
  employmentStatus: oneOf([
    "employed",
    "homemaker",
    "retired",
    "self_employed",
    "student",
    "unemployed",
  ]),
  status: text,
  externalReference: text,
  portal: groupNoNull,
  "portal.username": text,
  "portal.password": text,
  business: groupNoNull,
  "business.legalName": text,
  "business.registrationNumber": text,
  "business.taxNumber": text,
  "business.website": text,
  "business.formationDate": date,
  "business.description": text,
  ...address("business.address"),
};

/** The format of a model field's values, where it has one beyond free text. */
export function valueFormat(field: string): ValueFormat | undefined {
  return Object.hasOwn(MODEL_VALIDATORS, field) ? MODEL_VALIDATORS[field]?.valueFormat : undefined;
}
