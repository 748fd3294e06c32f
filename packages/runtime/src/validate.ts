/**
 * Request validation before anything is sent. The codegen digests each operation's parameter and
 * body schemas into a compact constraint tree (`Schema`, emitted as `src/validation.ts` of every
 * generated package); this small interpreter walks it. No spec is parsed at run time, and messages
 * name fields, never their values (they may be personal data).
 */
import type { FieldError } from "./errors.js";

/** A pre-digested JSON Schema subset. Short keys keep generated bundles small. */
export interface Schema {
  /** Type(s): string, number, integer, boolean, object, array. Absent: any. */
  readonly t?: string | readonly string[];
  /** Nullable. */
  readonly n?: 1;
  readonly e?: readonly unknown[];
  /** minLength / maxLength. */
  readonly mn?: number;
  readonly mx?: number;
  /** Pattern (ECMAScript, unicode mode). */
  readonly p?: string;
  /** Format: date, date-time, email, uuid (others are not checked). */
  readonly f?: string;
  /** minimum / maximum. */
  readonly lo?: number;
  readonly hi?: number;
  /** Required properties; properties; additionalProperties (0 = none allowed). */
  readonly r?: readonly string[];
  readonly o?: { readonly [name: string]: Schema };
  readonly a?: 0 | Schema;
  /** Items; minItems / maxItems. */
  readonly i?: Schema;
  readonly ni?: number;
  readonly xi?: number;
  /** anyOf / oneOf (any branch may match); allOf (every one must). */
  readonly u?: readonly Schema[];
  readonly l?: readonly Schema[];
  /** Sensitive (credentials, tax and id numbers): values are redacted wherever they may surface. */
  readonly s?: 1;
}

/** The constraints of one operation: parameters by location, body by media type. */
export interface OperationValidation {
  readonly path?: Schema;
  readonly query?: Schema;
  readonly header?: Schema;
  readonly body?: { readonly [mediaType: string]: Schema };
}

export type ValidationTable = { readonly [operation: string]: OperationValidation };

const regexes = new Map<string, RegExp | null>();
function regex(source: string): RegExp | null {
  let re = regexes.get(source);
  if (re === undefined) {
    try {
      re = new RegExp(source, "u");
    } catch {
      re = null;
    }
    regexes.set(source, re);
  }
  return re;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
function isDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return mo >= 1 && mo <= 12 && d >= 1 && d <= days;
}
const FORMATS: Record<string, (text: string) => boolean> = {
  date: isDate,
  "date-time": (t) =>
    /^\d{4}-\d{2}-\d{2}[Tt ]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/.test(
      t,
    ) && isDate(t.slice(0, 10)),
  email: (t) => /^[^\s@"<>()[\]\\,;:]+@[^\s@"<>()[\]\\,;:]+\.[^\s@"<>()[\]\\,;:]+$/.test(t),
  uuid: (t) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(t),
};

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function typeMatches(types: string | readonly string[], actual: string): boolean {
  const list = typeof types === "string" ? [types] : types;
  return list.includes(actual) || (actual === "integer" && list.includes("number"));
}

const has = (o: object, k: string) => Object.hasOwn(o, k);

/** Field errors of `value` against `schema`; `field` names the value (`body.address.city`). */
export function validateValue(
  schema: Schema,
  value: unknown,
  field: string,
  out: FieldError[] = [],
  /** Parameters travel as text: numeric and boolean strings count as numbers and booleans. */
  lenient = false,
): FieldError[] {
  const fail = (code: string, reason: string) => out.push({ field, reason, code });
  if (value === null) {
    if (!schema.n && schema.t !== undefined && !typeMatches(schema.t, "null"))
      fail("type", "must not be null");
    return out;
  }
  let v = value;
  if (
    lenient &&
    typeof v === "string" &&
    schema.t !== undefined &&
    !typeMatches(schema.t, "string")
  ) {
    if (/^-?\d+(\.\d+)?$/.test(v)) v = Number(v);
    else if (v === "true" || v === "false") v = v === "true";
  }
  const actual = typeOf(v);
  if (schema.t !== undefined && !typeMatches(schema.t, actual)) {
    const t = typeof schema.t === "string" ? schema.t : schema.t.join(" or ");
    fail("type", `must be ${/^[aeiou]/.test(t) ? "an" : "a"} ${t}`);
    return out;
  }
  if (schema.e && !schema.e.some((x) => x === v)) fail("enum", "must be one of the allowed values");
  if (typeof v === "string") {
    const length = [...v].length;
    if (schema.mx !== undefined && length > schema.mx)
      fail("maxLength", `must be at most ${schema.mx} characters`);
    if (schema.mn !== undefined && length < schema.mn)
      fail("minLength", `must be at least ${schema.mn} characters`);
    if (schema.p !== undefined && regex(schema.p)?.test(v) === false)
      fail("pattern", "does not match the required pattern");
    const format = schema.f === undefined ? undefined : FORMATS[schema.f];
    if (format && !format(v)) fail("format", `must be a valid ${schema.f}`);
  }
  if (typeof v === "number") {
    if (schema.lo !== undefined && v < schema.lo) fail("minimum", `must be at least ${schema.lo}`);
    if (schema.hi !== undefined && v > schema.hi) fail("maximum", `must be at most ${schema.hi}`);
  }
  if (Array.isArray(v)) {
    if (schema.xi !== undefined && v.length > schema.xi)
      fail("maxItems", `must have at most ${schema.xi} items`);
    if (schema.ni !== undefined && v.length < schema.ni)
      fail("minItems", `must have at least ${schema.ni} items`);
    if (schema.i)
      for (const [n, item] of v.entries()) validateValue(schema.i, item, `${field}[${n}]`, out);
  } else if (actual === "object") {
    const obj = v as Record<string, unknown>;
    for (const name of schema.r ?? [])
      if (!has(obj, name) || obj[name] === undefined)
        out.push({ field: `${field}.${name}`, reason: "is required", code: "required" });
    for (const [name, item] of Object.entries(obj)) {
      if (item === undefined) continue;
      const sub = schema.o && has(schema.o, name) ? schema.o[name] : undefined;
      if (sub) validateValue(sub, item, `${field}.${name}`, out, lenient);
      else if (schema.a === 0)
        out.push({
          field: `${field}.${name}`,
          reason: "is not a known property",
          code: "additionalProperties",
        });
      else if (schema.a) validateValue(schema.a, item, `${field}.${name}`, out, lenient);
    }
  }
  for (const sub of schema.l ?? []) validateValue(sub, v, field, out, lenient);
  if (schema.u) {
    let branches = schema.u;
    if (actual === "object") {
      // Object branches (individual | business) are told apart by the properties they know: a
      // branch that knows fewer of the given keys is not the one the caller meant.
      const keys = Object.keys(v as object).filter(
        (k) => (v as Record<string, unknown>)[k] !== undefined,
      );
      const score = (b: Schema) => (b.o ? keys.filter((k) => has(b.o as object, k)).length : -1);
      const top = Math.max(...branches.map(score));
      if (top > 0) branches = branches.filter((b) => score(b) === top);
    }
    let best: FieldError[] | undefined;
    for (const sub of branches) {
      const errors = validateValue(sub, v, field, [], lenient);
      if (errors.length === 0) return out;
      if (!best || errors.length < best.length) best = errors;
    }
    out.push(...(best ?? []));
  }
  return out;
}

/** The string values under sensitive (`s`) nodes of `schema`, to be redacted from anything shown. */
export function sensitiveValues(
  schema: Schema | undefined,
  value: unknown,
  out: string[] = [],
  all = false,
): string[] {
  if (!schema || value === null || value === undefined) return out;
  // Enumerated values (a document type, a country) are not secrets.
  const hot = (all || schema.s === 1) && schema.e === undefined;
  if (typeof value === "string" || typeof value === "number") {
    if (hot) out.push(String(value));
    return out;
  }
  if (Array.isArray(value)) {
    for (const item of value) sensitiveValues(schema.i ?? {}, item, out, hot);
  } else if (typeof value === "object") {
    for (const [name, item] of Object.entries(value)) {
      const sub = schema.o && has(schema.o, name) ? schema.o[name] : schema.a || undefined;
      sensitiveValues(sub ?? {}, item, out, hot);
    }
  }
  for (const sub of [...(schema.u ?? []), ...(schema.l ?? [])])
    sensitiveValues(sub, value, out, hot);
  return out;
}
