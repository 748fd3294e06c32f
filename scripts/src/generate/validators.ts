/**
 * Validators, produced at codegen time: each operation's parameter, body and 2xx answer schemas
 * are digested into the compact constraint tree that `@custkit/runtime`'s `validateValue` interprets
 * (see packages/runtime/src/validate.ts for the keys). Nothing is parsed from the spec at run time;
 * only constraints the runtime checks are kept, so the emitted table stays small.
 *
 * Fields holding credentials or identity numbers (by name, or `format: password`) are marked
 * sensitive (`s: 1`): the runtime keeps their values out of every error it builds.
 */
import { GenerateError } from "./errors.js";
import { deref, type Json, type LoadedProvider } from "./load.js";

/** Property names (as snake_case words) whose values are secrets or personal identity numbers. */
const SENSITIVE_WORDS =
  /(^|_)(ssn|password|passwd|passphrase|secret|token|tax|passport|pin|cvv|cvc|iban)(_|$)|id_document|national_id|driver_licen|registration_number|social_security|account_number/;

/** `accessPassword`, `tax_number`, `X-Api-Token` → is the value a secret? */
export function isSensitiveName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_");
  return SENSITIVE_WORDS.test(words);
}

/** Formats the runtime checks; others (int32, binary …) carry no constraint worth a byte. */
const CHECKED_FORMATS = new Set(["date", "date-time", "email", "uuid"]);

const TYPES = new Set(["string", "number", "integer", "boolean", "object", "array"]);

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

interface Ctx {
  spec: Json;
  file: string;
  pointer: string;
  depth: number;
}

/** The constraint tree of one schema (a JSON value with the runtime's short keys). */
export function digestSchema(ctx: Ctx, raw: unknown, name?: string): Json {
  if (ctx.depth > 24) return {}; // recursive schemas: stop constraining, never loop
  const schema = deref(ctx.spec, raw) as Json;
  if (!isObject(schema)) return {};
  const out: Json = {};
  const next = (pointer: string) => ({ ...ctx, pointer, depth: ctx.depth + 1 });

  let types: string[] = [];
  let nullable = schema.nullable === true;
  if (typeof schema.type === "string") types = [schema.type];
  else if (Array.isArray(schema.type)) types = schema.type.map(String);
  if (types.includes("null")) {
    nullable = true;
    types = types.filter((t) => t !== "null");
  }
  types = types.filter((t) => TYPES.has(t));
  if (types.length === 0 && isObject(schema.properties)) types = ["object"];
  if (types.length === 1) out.t = types[0];
  else if (types.length > 1) out.t = types;
  if (nullable) out.n = 1;
  if (Array.isArray(schema.enum)) {
    const values = schema.enum.filter((v) => v !== null);
    if (schema.enum.includes(null)) out.n = 1;
    out.e = values;
  }
  if (typeof schema.minLength === "number" && schema.minLength > 0) out.mn = schema.minLength;
  if (typeof schema.maxLength === "number") out.mx = schema.maxLength;
  if (typeof schema.pattern === "string") {
    try {
      new RegExp(schema.pattern, "u");
    } catch (error) {
      throw new GenerateError(
        ctx.file,
        `${ctx.pointer}/pattern`,
        `pattern is not a valid ECMAScript (unicode) regular expression: ${(error as Error).message}`,
      );
    }
    out.p = schema.pattern;
  }
  if (typeof schema.format === "string" && CHECKED_FORMATS.has(schema.format))
    out.f = schema.format;
  if (typeof schema.minimum === "number") out.lo = schema.minimum;
  if (typeof schema.maximum === "number") out.hi = schema.maximum;
  if (Array.isArray(schema.required) && schema.required.length > 0)
    out.r = schema.required.map(String);
  if (isObject(schema.properties)) {
    const props: Json = {};
    for (const [key, sub] of Object.entries(schema.properties))
      props[key] = digestSchema(next(`${ctx.pointer}/properties/${key}`), sub, key);
    out.o = props;
  }
  if (schema.additionalProperties === false) out.a = 0;
  else if (isObject(schema.additionalProperties)) {
    const sub = digestSchema(
      next(`${ctx.pointer}/additionalProperties`),
      schema.additionalProperties,
    );
    if (Object.keys(sub).length > 0) out.a = sub;
  }
  if (schema.items !== undefined) {
    const sub = digestSchema(next(`${ctx.pointer}/items`), schema.items);
    if (Object.keys(sub).length > 0) out.i = sub;
  }
  if (typeof schema.minItems === "number" && schema.minItems > 0) out.ni = schema.minItems;
  if (typeof schema.maxItems === "number") out.xi = schema.maxItems;
  const branches = [
    ...(Array.isArray(schema.anyOf) ? schema.anyOf.map((s, i) => [`anyOf/${i}`, s] as const) : []),
    ...(Array.isArray(schema.oneOf) ? schema.oneOf.map((s, i) => [`oneOf/${i}`, s] as const) : []),
  ];
  if (branches.length > 0) {
    const digested = branches.map(([p, s]) => digestSchema(next(`${ctx.pointer}/${p}`), s, name));
    // A branch without constraints accepts everything: the union does too.
    if (!digested.some((d) => Object.keys(d).length === 0)) out.u = digested;
    // `{ anyOf: [X, { type: "null" }] }`: nullable X.
    if (digested.some((d) => d.n === 1 && d.t === undefined && Object.keys(d).length === 1)) {
      out.n = 1;
      const rest = digested.filter((d) => !(d.n === 1 && Object.keys(d).length === 1));
      if (rest.length === 1) {
        delete out.u;
        Object.assign(out, rest[0]);
        out.n = 1;
      } else out.u = rest;
    }
  }
  if (Array.isArray(schema.allOf)) {
    const all = schema.allOf
      .map((s, i) => digestSchema(next(`${ctx.pointer}/allOf/${i}`), s, name))
      .filter((d) => Object.keys(d).length > 0);
    if (all.length > 0) out.l = all;
  }
  if ((name !== undefined && isSensitiveName(name)) || schema.format === "password") out.s = 1;
  return out;
}

/** Parameters of one location as an object schema: properties by name, required list. */
function paramsSchema(
  ctx: Ctx,
  params: Json[],
  location: string,
  omitted: ReadonlySet<string>,
): Json | undefined {
  const props: Json = {};
  const required: string[] = [];
  for (const [i, p] of params.entries()) {
    if (p.in !== location || omitted.has(String(p.name).toLowerCase())) continue;
    const name = String(p.name);
    const digested = digestSchema(
      { ...ctx, pointer: `${ctx.pointer}/parameters/${i}/schema` },
      p.schema ?? {},
      name,
    );
    if (p.required === true) required.push(name);
    props[name] = digested;
  }
  if (Object.keys(props).length === 0) return undefined;
  return { t: "object", ...(required.length ? { r: required } : {}), o: props };
}

export interface ValidatorOperation {
  name: string;
  method: string;
  path: string;
  parameters: Json[];
  omittedHeaders: string[];
}

/** The validation table of a provider: operation → { path, query, header, body: { media: tree } }. */
export function validationTable(loaded: LoadedProvider, operations: ValidatorOperation[]): Json {
  const { spec } = loaded;
  const file = loaded.files.overlay ?? loaded.files.spec;
  const table: Json = {};
  for (const op of operations) {
    const pointer = `/paths/${op.path.replace(/~/g, "~0").replace(/\//g, "~1")}/${op.method}`;
    const ctx: Ctx = { spec, file, pointer, depth: 0 };
    const omitted = new Set(op.omittedHeaders.map((h) => h.toLowerCase()));
    const entry: Json = {};
    for (const location of ["path", "query", "header"]) {
      const schema = paramsSchema(ctx, op.parameters, location, omitted);
      if (schema) entry[location] = schema;
    }
    const operation = (spec.paths as Json)[op.path] as Json;
    const requestBody = (operation[op.method] as Json).requestBody;
    const content = (
      isObject(requestBody) ? (deref(spec, requestBody) as Json).content : undefined
    ) as Json | undefined;
    if (isObject(content)) {
      const bodies: Json = {};
      for (const [media, m] of Object.entries(content)) {
        if (!isObject(m) || m.schema === undefined) continue;
        bodies[media] = digestSchema(
          {
            ...ctx,
            pointer: `${pointer}/requestBody/content/${media.replace(/\//g, "~1")}/schema`,
          },
          m.schema,
        );
      }
      if (Object.keys(bodies).length > 0) entry.body = bodies;
    }
    const responses = responseTrees(ctx, operation[op.method] as Json);
    if (responses) entry.response = responses;
    table[op.name] = entry;
  }
  return table;
}

/** The 2xx answers' trees by status and media type (held against answers with `validateResponses`). */
function responseTrees(ctx: Ctx, operation: Json): Json | undefined {
  const responses = operation.responses;
  if (!isObject(responses)) return undefined;
  const out: Json = {};
  for (const [status, raw] of Object.entries(responses)) {
    if (!/^2(\d\d|XX)$/.test(status)) continue;
    const content = (deref(ctx.spec, raw) as Json).content;
    if (!isObject(content)) continue;
    const byMedia: Json = {};
    for (const [media, m] of Object.entries(content)) {
      if (!isObject(m) || m.schema === undefined) continue;
      const pointer = `${ctx.pointer}/responses/${status}/content/${media.replace(/\//g, "~1")}/schema`;
      const tree = digestSchema({ ...ctx, pointer }, m.schema);
      // A tree without constraints accepts every answer: nothing to check, nothing to ship.
      if (Object.keys(tree).length > 0) byMedia[media] = tree;
    }
    if (Object.keys(byMedia).length > 0) out[status] = byMedia;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * Subtrees shorter than this (as JSON) stay inline. Hoisting shorter ones, or enum arrays, saves
 * minified bytes but costs gzip bytes (gzip already shares short repeats), and gzip is what ships.
 */
const HOIST_MIN_CHARS = 60;

/** How often each object subtree (by its JSON text) occurs anywhere in the table. */
function countSubtrees(node: unknown, counts: Map<string, number>): void {
  if (Array.isArray(node)) for (const item of node) countSubtrees(item, counts);
  if (!isObject(node)) return;
  const text = JSON.stringify(node);
  counts.set(text, (counts.get(text) ?? 0) + 1);
  for (const child of Object.values(node)) countSubtrees(child, counts);
}

/** `src/validation.ts` of a generated package. */
export function emitValidation(
  loaded: LoadedProvider,
  operations: ValidatorOperation[],
  header: string,
): string {
  const name = `${loaded.config.name}Validation`;
  const table = validationTable(loaded, operations);
  // A subtree that occurs more than once (a body shared by JSON, XML and form; an address used
  // twice; properties shared by two oneOf branches) is emitted once, as a const, and referenced.
  const counts = new Map<string, number>();
  countSubtrees(table, counts);
  const hoisted = new Map<string, string>();
  const consts: string[] = [];
  // What a node is, by its place in the table: only schema nodes may become `Schema` consts.
  type Kind = "entry" | "statuses" | "schema" | "schemas" | "other";
  const childKind = (kind: Kind, key: string): Kind => {
    if (kind === "entry")
      return key === "body" ? "schemas" : key === "response" ? "statuses" : "schema";
    if (kind === "schemas") return "schema";
    if (kind === "statuses") return "schemas";
    if (kind !== "schema") return "other";
    if (key === "o") return "schemas";
    return key === "a" || key === "i" || key === "u" || key === "l" ? "schema" : "other";
  };
  const render = (node: unknown, indent: string, kind: Kind, defining = false): string => {
    if (!isObject(node) && !Array.isArray(node)) return JSON.stringify(node);
    const inner = `${indent}  `;
    if (Array.isArray(node)) {
      if (node.length === 0) return "[]";
      const items = node.map((v) => `${inner}${render(v, inner, kind)}`);
      return `[\n${items.join(",\n")}\n${indent}]`;
    }
    const text = JSON.stringify(node);
    if (
      kind === "schema" &&
      !defining &&
      (counts.get(text) ?? 0) > 1 &&
      text.length >= HOIST_MIN_CHARS
    ) {
      let id = hoisted.get(text);
      if (id === undefined) {
        const literal = render(node, "", "schema", true);
        id = `schema${hoisted.size}`;
        hoisted.set(text, id);
        consts.push(`const ${id}: Schema = ${literal};\n`);
      }
      return id;
    }
    const entries = Object.entries(node);
    if (entries.length === 0) return "{}";
    const body = entries.map(
      ([k, v]) => `${inner}${JSON.stringify(k)}: ${render(v, inner, childKind(kind, k))}`,
    );
    return `{\n${body.join(",\n")}\n${indent}}`;
  };
  const entries = Object.entries(table).map(
    ([op, entry]) => `  ${JSON.stringify(op)}: ${render(entry, "  ", "entry")},`,
  );
  return `${header}/**
 * Constraints of every ${loaded.config.title} operation, digested from the spec at codegen time
 * (keys: see @custkit/runtime validate.ts): requests are checked before sending unless
 * \`validate: false\`; 2xx answers (\`response\`) only with \`validateResponses\`.
 */
import type { Schema, ValidationTable } from "@custkit/runtime";

${consts.join("\n")}
export const ${name}: ValidationTable = {
${entries.join("\n")}
};
`;
}
