/**
 * The normalisation policy: input whose meaning is unambiguous is rewritten to the model's form
 * and reported (`normalized` in the result); anything else is left for validation to refuse with
 * a suggestion. Two rewrites, both lossless:
 * - country codes in another case (`gb` → `GB`), for every country field;
 * - phone numbers in international form with spacing or punctuation (`+44 7911 123456` →
 *   `+447911123456`), through libphonenumber-js, by the providers that take a phone (they load its
 *   metadata anyway). A number without `+` and a country code is ambiguous: refused.
 * Secret fields are never rewritten, and no reported value is ever a secret's.
 */

import { REDACTED } from "@custkit/runtime";
import { ALPHA2_CODES } from "./country-codes.js";
import { type CustomerPatch, isSecretField } from "./model.js";

/** One rewrite of the caller's input. */
export interface Normalization {
  field: string;
  from: unknown;
  to: unknown;
}

/** International form with punctuation → E.164, or undefined when it is not a valid number. */
export type PhoneNormalizer = (text: string) => string | undefined;

const COUNTRY_FIELDS = [
  "nationality",
  "birthCountry",
  "address.country",
  "temporaryAddress.country",
  "business.address.country",
  "governmentId.issuingCountry",
  "taxNumber.issuingCountry",
];

const E164 = /^\+[1-9]\d{1,14}$/;

function valueAt(patch: unknown, path: readonly string[]): unknown {
  let node = patch;
  for (const key of path) {
    if (node === null || typeof node !== "object" || Array.isArray(node)) return undefined;
    node = Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node;
}

/** A copy of `patch` with `path` set to `value`; the objects on the way are copied, not changed. */
function withValue(patch: CustomerPatch, path: readonly string[], value: unknown): CustomerPatch {
  const set = (node: Record<string, unknown>, i: number): Record<string, unknown> => {
    const key = path[i] as string;
    return {
      ...node,
      [key]: i === path.length - 1 ? value : set(node[key] as Record<string, unknown>, i + 1),
    };
  };
  return set(patch as Record<string, unknown>, 0) as CustomerPatch;
}

/** The patch with unambiguous input rewritten, and what was rewritten. */
export function normalizePatch(
  patch: CustomerPatch,
  phone: PhoneNormalizer | undefined,
): { patch: CustomerPatch; normalized: Normalization[] } {
  const normalized: Normalization[] = [];
  if (patch === null || typeof patch !== "object" || Array.isArray(patch))
    return { patch, normalized };
  let out = patch;
  const rewrite = (field: string, to: (from: string) => string | undefined) => {
    const path = field.split(".");
    const from = valueAt(out, path);
    if (typeof from !== "string") return;
    const value = to(from);
    if (value === undefined || value === from) return;
    out = withValue(out, path, value);
    const secret = isSecretField(field);
    normalized.push({ field, from: secret ? REDACTED : from, to: secret ? REDACTED : value });
  };
  for (const field of COUNTRY_FIELDS)
    rewrite(field, (from) =>
      ALPHA2_CODES.has(from.toUpperCase()) ? from.toUpperCase() : undefined,
    );
  if (phone !== undefined)
    rewrite("phone", (from) =>
      E164.test(from) || !from.trim().startsWith("+") ? undefined : phone(from.trim()),
    );
  return { patch: out, normalized };
}
