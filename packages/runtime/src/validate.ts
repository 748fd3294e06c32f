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
  if (typeof types === "string")
    return types === actual || (actual === "integer" && types === "number");
  return types.includes(actual) || (actual === "integer" && types.includes("number"));
}

/** Length in code points, counted only as far as a bound needs (no array of characters). */
function codePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++, n++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
  }
  return n;
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
    // A string has between length/2 and length code points: count them only when that decides.
    const { mx, mn } = schema;
    if (mx !== undefined && v.length > mx && codePoints(v) > mx)
      fail("maxLength", `must be at most ${mx} characters`);
    if (mn !== undefined && (v.length < mn || ((v.length + 1) >> 1 < mn && codePoints(v) < mn)))
      fail("minLength", `must be at least ${mn} characters`);
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
    if (schema.r)
      for (const name of schema.r)
        if (!has(obj, name) || obj[name] === undefined)
          out.push({ field: `${field}.${name}`, reason: "is required", code: "required" });
    for (const name in obj) {
      if (!has(obj, name)) continue;
      const item = obj[name];
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
  if (schema.l) for (const sub of schema.l) validateValue(sub, v, field, out, lenient);
  if (schema.u) {
    let branches = schema.u;
    if (actual === "object") {
      // Object branches (individual | business) are told apart by the properties they know: a
      // branch that knows fewer of the given keys is not the one the caller meant.
      const obj = v as Record<string, unknown>;
      const score = (b: Schema) => {
        if (!b.o) return -1;
        let n = 0;
        for (const k in obj) if (obj[k] !== undefined && has(b.o, k) && has(obj, k)) n++;
        return n;
      };
      const scores = branches.map(score);
      const top = Math.max(...scores);
      if (top > 0) branches = branches.filter((_, i) => scores[i] === top);
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

const sensitiveMemo = new WeakMap<Schema, boolean>();
/** Whether any node of `schema` is sensitive (memoized: the trees are constants). */
function holdsSensitive(schema: Schema): boolean {
  let found = sensitiveMemo.get(schema);
  if (found === undefined) {
    sensitiveMemo.set(schema, false); // cycles (none are emitted) end here
    found =
      schema.s === 1 ||
      (schema.i !== undefined && holdsSensitive(schema.i)) ||
      (typeof schema.a === "object" && holdsSensitive(schema.a)) ||
      Object.values(schema.o ?? {}).some(holdsSensitive) ||
      (schema.u ?? []).some(holdsSensitive) ||
      (schema.l ?? []).some(holdsSensitive);
    sensitiveMemo.set(schema, found);
  }
  return found;
}

/** The string values under sensitive (`s`) nodes of `schema`, to be redacted from anything shown. */
export function sensitiveValues(
  schema: Schema | undefined,
  value: unknown,
  out: string[] = [],
  all = false,
): string[] {
  if (!schema || value === null || value === undefined) return out;
  if (!all && !holdsSensitive(schema)) return out;
  // Enumerated values (a document type, a country) are not secrets.
  const hot = (all || schema.s === 1) && schema.e === undefined;
  if (typeof value === "string" || typeof value === "number") {
    if (hot) out.push(String(value));
    return out;
  }
  if (Array.isArray(value)) {
    for (const item of value) sensitiveValues(schema.i ?? {}, item, out, hot);
  } else if (typeof value === "object") {
    for (const name in value) {
      if (!has(value, name)) continue;
      const item = (value as Record<string, unknown>)[name];
      const sub = schema.o && has(schema.o, name) ? schema.o[name] : schema.a || undefined;
      sensitiveValues(sub ?? {}, item, out, hot);
    }
  }
  if (schema.u) for (const sub of schema.u) sensitiveValues(sub, value, out, hot);
  if (schema.l) for (const sub of schema.l) sensitiveValues(sub, value, out, hot);
  return out;
}
