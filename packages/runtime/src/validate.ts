/**
 * Request validation before anything is sent. The codegen digests each operation's parameter and
 * body schemas into a compact constraint tree (`Schema`, emitted as `src/validation.ts` of every
 * generated package); this small interpreter walks it. No spec is parsed at run time, and messages
 * name fields, never their values (they may be personal data).
 */
import type { FieldError } from "./errors.js";
import { FORMATS, matchesFormat } from "./formats.js";

/** A pre-digested JSON Schema subset. Short keys keep generated bundles small. */
export interface Schema {
  /** Type(s): string, number, integer, boolean, object, array. Absent: any. */
  readonly t?: string | readonly string[];
  /** Nullable. */
  readonly n?: 1;
  readonly e?: readonly unknown[];
  /** minLength / maxLength (in code points). */
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

/**
 * The constraints of one operation: parameters by location, body by media type, and the 2xx
 * answers by status and media type (checked only with `validateResponses`, response-check.ts).
 */
export interface OperationValidation {
  readonly path?: Schema;
  readonly query?: Schema;
  readonly header?: Schema;
  readonly body?: { readonly [mediaType: string]: Schema };
  readonly response?: {
    readonly [status: string]: { readonly [mediaType: string]: Schema };
  };
}

export type ValidationTable = { readonly [operation: string]: OperationValidation };

const has = (o: object, k: string) => Object.hasOwn(o, k);

/** An invalid pattern (a hand-written table; the codegen refuses them) is null: checks nothing. */
function compile(pattern: string): RegExp | null {
  try {
    return new RegExp(pattern, "u");
  } catch {
    return null;
  }
}

/** The checked formats' shapes; a date's day is then checked against its month. */
/** Whether type(s) `t` admit a value of type `actual` (an integer is a number). */
const admits = (t: string | readonly string[], actual: string): boolean =>
  t === actual ||
  (typeof t !== "string" && t.includes(actual)) ||
  (actual === "integer" && admits(t, "number"));

/** Field errors of `value` against `schema`; `field` names the value (`body.address.city`). */
export function validateValue(
  schema: Schema,
  value: unknown,
  field: string,
  out: FieldError[] = [],
  /** Parameters travel as text: numeric and boolean strings count as numbers and booleans. */
  lenient = false,
): FieldError[] {
  check(prepare(schema), value, field, undefined, out, lenient);
  return out;
}

/**
 * A schema prepared once for the interpreter. The generated trees' nodes each have their own set
 * of keys, so reading them from one function is megamorphic, and that is slow right after a
 * network round trip has evicted the caches; nodes all of one shape, with patterns compiled,
 * formats resolved and properties in Maps, make the walk of a valid body cheap. Its keys are
 * `Schema`'s (documented there): property names survive minification, so longer ones would cost
 * every client bundle; they stay inside this module (`fieldAt` answers the facade's questions).
 */
interface Prepared {
  t: string | readonly string[] | undefined;
  n: boolean;
  e: readonly unknown[] | undefined;
  mn: number | undefined;
  mx: number | undefined;
  /** null: an invalid pattern, which checks nothing. */
  p: RegExp | null | undefined;
  /** Only the formats that are checked. */
  f: string | undefined;
  lo: number | undefined;
  hi: number | undefined;
  r: readonly string[] | undefined;
  o: Map<string, Prepared> | undefined;
  a: 0 | Prepared | undefined;
  i: Prepared | undefined;
  ni: number | undefined;
  xi: number | undefined;
  u: Prepared[] | undefined;
  l: Prepared[] | undefined;
}

const prepared = new WeakMap<Schema, Prepared>();

function prepare(schema: Schema): Prepared {
  const existing = prepared.get(schema);
  if (existing) return existing;
  const node: Prepared = {
    t: schema.t,
    n: schema.n === 1,
    e: schema.e,
    mn: schema.mn,
    mx: schema.mx,
    p: schema.p === undefined ? undefined : compile(schema.p),
    f: schema.f !== undefined && has(FORMATS, schema.f) ? schema.f : undefined,
    lo: schema.lo,
    hi: schema.hi,
    r: schema.r,
    o: undefined,
    a: schema.a === 0 ? 0 : undefined,
    i: undefined,
    ni: schema.ni,
    xi: schema.xi,
    u: undefined,
    l: undefined,
  };
  // Registered before its children are prepared, so a tree that refers back to itself terminates.
  prepared.set(schema, node);
  const { o, a, i, u, l } = schema;
  if (o) {
    node.o = new Map();
    for (const name in o) if (has(o, name)) node.o.set(name, prepare(o[name] as Schema));
  }
  if (a) node.a = prepare(a);
  if (i) node.i = prepare(i);
  if (u) node.u = u.map((sub) => prepare(sub));
  if (l) node.l = l.map((sub) => prepare(sub));
  return node;
}

/**
 * A value's field name is `base` alone or `base` with its key (`base.key`, `base[n]`), joined only
 * when it is needed (a problem, or children to name): a valid body allocates no name per leaf.
 */
function nameOf(base: string, key: string | number | undefined): string {
  return key === undefined ? base : typeof key === "number" ? `${base}[${key}]` : `${base}.${key}`;
}

function report(
  out: FieldError[],
  base: string,
  key: string | number | undefined,
  code: string,
  reason: string,
): void {
  out.push({ field: nameOf(base, key), reason, code });
}

function check(
  schema: Prepared,
  value: unknown,
  base: string,
  key: string | number | undefined,
  out: FieldError[],
  lenient: boolean,
): void {
  const { t } = schema;
  if (value === null) {
    if (!schema.n && t !== undefined && !admits(t, "null"))
      report(out, base, key, "type", "must not be null");
    return;
  }
  let v = value;
  if (lenient && typeof v === "string" && t !== undefined && !admits(t, "string")) {
    if (/^-?\d+(\.\d+)?$/.test(v)) v = Number(v);
    else if (v === "true" || v === "false") v = v === "true";
  }
  const actual = Array.isArray(v)
    ? "array"
    : typeof v === "number" && Number.isInteger(v)
      ? "integer"
      : typeof v;
  if (t !== undefined && !admits(t, actual)) {
    const name = [t].flat().join(" or ");
    report(out, base, key, "type", `must be ${/^[aeiou]/.test(name) ? "an" : "a"} ${name}`);
    return;
  }
  if (schema.e && !schema.e.includes(v))
    report(out, base, key, "enum", "must be one of the allowed values");
  if (typeof v === "string") {
    const { mn, mx, p, f } = schema;
    // A string has between length/2 and length code points: count them only when that decides.
    if (mx !== undefined && v.length > mx && [...v].length > mx)
      report(out, base, key, "maxLength", `must be at most ${mx} characters`);
    if (mn !== undefined && (v.length < mn || ((v.length + 1) >> 1 < mn && [...v].length < mn)))
      report(out, base, key, "minLength", `must be at least ${mn} characters`);
    if (p && !p.test(v)) report(out, base, key, "pattern", "does not match the required pattern");
    if (f !== undefined && !matchesFormat(f, v))
      report(out, base, key, "format", `must be a valid ${f}`);
  } else if (typeof v === "number") {
    const { lo, hi } = schema;
    if (lo !== undefined && v < lo) report(out, base, key, "minimum", `must be at least ${lo}`);
    if (hi !== undefined && v > hi) report(out, base, key, "maximum", `must be at most ${hi}`);
  } else if (Array.isArray(v)) {
    const { ni, xi, i } = schema;
    if (xi !== undefined && v.length > xi)
      report(out, base, key, "maxItems", `must have at most ${xi} items`);
    if (ni !== undefined && v.length < ni)
      report(out, base, key, "minItems", `must have at least ${ni} items`);
    if (i) {
      const field = nameOf(base, key);
      for (let n = 0; n < v.length; n++) check(i, v[n], field, n, out, false);
    }
  } else if (actual === "object") {
    const { r, o, a } = schema;
    const obj = v as Record<string, unknown>;
    const field = nameOf(base, key);
    if (r)
      for (const name of r)
        if (obj[name] === undefined || !has(obj, name))
          out.push({ field: `${field}.${name}`, reason: "is required", code: "required" });
    // A schema that only branches (the body's individual | business) describes no property itself.
    if (o !== undefined || a !== undefined)
      for (const name in obj) {
        const item = obj[name];
        if (item === undefined || !has(obj, name)) continue;
        const sub = o?.get(name) ?? a;
        if (sub) check(sub, item, field, name, out, lenient);
        else if (sub === 0)
          out.push({
            field: `${field}.${name}`,
            reason: "is not a known property",
            code: "additionalProperties",
          });
      }
  }
  const { l, u } = schema;
  if (l) for (const sub of l) check(sub, v, base, key, out, lenient);
  if (u) {
    // Object branches (individual | business) are told apart by the properties they know: a
    // branch that knows fewer of the given keys is not the one the caller meant.
    let top = 0;
    if (actual === "object") for (const sub of u) top = Math.max(top, known(sub, v as object));
    // Each branch reports into `out` and its errors are taken back out: a valid value allocates
    // no list per branch.
    const start = out.length;
    let best: FieldError[] | undefined;
    for (const sub of u) {
      if (top > 0 && known(sub, v as object) !== top) continue;
      check(sub, v, base, key, out, lenient);
      if (out.length === start) return;
      const errors = out.splice(start);
      if (!best || errors.length < best.length) best = errors;
    }
    if (best) out.push(...best);
  }
}

/** How many of the object's defined properties a branch names (-1: it names none at all). */
function known({ o: properties }: Prepared, obj: object): number {
  if (!properties) return -1;
  let count = 0;
  for (const k in obj)
    if ((obj as Record<string, unknown>)[k] !== undefined && has(obj, k) && properties.has(k))
      count++;
  return count;
}

/** The schemas a dotted path may reach (through properties and anyOf / oneOf / allOf branches). */
function schemasAt(schema: Schema | undefined, segments: readonly string[]): Schema[] {
  if (schema === undefined) return [];
  const branches = [...(schema.u ?? []), ...(schema.l ?? [])];
  const out = branches.flatMap((b) => schemasAt(b, segments));
  if (segments.length === 0) return [schema, ...out];
  const [head, ...rest] = segments as [string, ...string[]];
  const child = schema.o && has(schema.o, head) ? schema.o[head] : undefined;
  return [...schemasAt(child, rest), ...out];
}

/**
 * What a tree says about one field (a dotted path, split), read without knowing its compact keys:
 * whether any branch declares it, and whether any accepts null there.
 */
export function fieldAt(
  schema: Schema | undefined,
  segments: readonly string[],
): { declared: boolean; nullable: boolean } {
  const found = schemasAt(schema, segments);
  return { declared: found.length > 0, nullable: found.some((s) => s.n === 1) };
}

/** The schema of a value the tree does not describe. */
const ANY: Schema = {};

/**
 * The string values under sensitive (`s`) nodes of `schema`, to be redacted from anything shown.
 * The whole value is walked (no pruning by subtree): a call's body is small and this stays cheaper
 * than a memo lookup per node.
 */
export function sensitiveValues(
  schema: Schema | undefined,
  value: unknown,
  out: string[] = [],
  /** Inside a sensitive node: every value counts. */
  all = false,
): string[] {
  if (!schema || value === null || value === undefined) return out;
  // Enumerated values (a document type, a country) are not secrets.
  const hot = (all || schema.s === 1) && schema.e === undefined;
  const { i, o, a, u, l } = schema;
  const orAny = hot ? ANY : undefined;
  if (typeof value !== "object") {
    if (hot) {
      if (typeof value === "string" || typeof value === "number") out.push(String(value));
      return out;
    }
  } else if (Array.isArray(value)) {
    for (const item of value) sensitiveValues(i ?? orAny, item, out, hot);
  } else {
    for (const name in value)
      if (has(value, name))
        sensitiveValues(
          o && has(o, name) ? o[name] : a || orAny,
          (value as Record<string, unknown>)[name],
          out,
          hot,
        );
  }
  if (u) for (const sub of u) sensitiveValues(sub, value, out, hot);
  if (l) for (const sub of l) sensitiveValues(sub, value, out, hot);
  return out;
}
