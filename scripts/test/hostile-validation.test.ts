/**
 * Validation before sending, for every provider operation: the documented example passes and
 * reaches the server; each broken variant (missing required, bad enum, too long, bad pattern, bad
 * format, unknown property) is a ValidationError naming the field, and the server sees nothing.
 * The broken variants are found in the generated constraint tables, so a spec change is followed.
 */
import { type Schema, ValidationError, type ValidationTable } from "@custkit/runtime";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { alignValidation } from "../../packages/align/src/validation.js";
import { enfuceValidation } from "../../packages/enfuce/src/validation.js";
import { loanproValidation } from "../../packages/loanpro/src/validation.js";
import { maiaValidation } from "../../packages/maia/src/validation.js";
import { nuwebValidation } from "../../packages/nuweb/src/validation.js";
import {
  type Example,
  initOf,
  loadExamples,
  makeClient,
  method,
  PROVIDERS,
  type Recorder,
  startRecorder,
} from "./faults-helpers.js";

const TABLES: Record<string, ValidationTable> = {
  align: alignValidation,
  enfuce: enfuceValidation,
  loanpro: loanproValidation,
  maia: maiaValidation,
  nuweb: nuwebValidation,
};

type Kind = "required" | "enum" | "maxLength" | "pattern" | "format" | "additionalProperties";
const KINDS: Kind[] = [
  "required",
  "enum",
  "maxLength",
  "pattern",
  "format",
  "additionalProperties",
];

interface Site {
  /** Property names from the body root. */
  path: string[];
  schema: Schema;
}

/** The branch of a union the example's value belongs to (most known keys). */
function branchFor(schema: Schema, value: unknown): Schema[] {
  if (!schema.u) return [schema];
  const keys = value && typeof value === "object" ? Object.keys(value) : [];
  const score = (b: Schema) => (b.o ? keys.filter((k) => k in (b.o as object)).length : -1);
  const top = Math.max(...schema.u.map(score));
  return [schema, ...schema.u.filter((b) => score(b) === top).slice(0, 1)];
}

/** Every property schema reachable through objects (following the example's union branch). */
function sites(schema: Schema, value: unknown, path: string[] = [], out: Site[] = []): Site[] {
  for (const s of branchFor(schema, value)) {
    out.push({ path, schema: s });
    for (const [k, sub] of Object.entries(s.o ?? {})) {
      const child =
        value && typeof value === "object" ? (value as Record<string, unknown>)[k] : undefined;
      if (path.length < 4) sites(sub, child, [...path, k], out);
    }
  }
  return out;
}

function setAt(root: Record<string, unknown>, path: string[], value: unknown): void {
  let node = root;
  for (const k of path.slice(0, -1)) {
    if (typeof node[k] !== "object" || node[k] === null || Array.isArray(node[k])) node[k] = {};
    node = node[k] as Record<string, unknown>;
  }
  const last = path[path.length - 1] as string;
  if (value === undefined) delete node[last];
  else node[last] = value;
}

/** A body broken in one way, and the field the error must name; undefined when the spec has no such constraint. */
function breakBody(
  kind: Kind,
  schema: Schema,
  body: unknown,
): { body: Record<string, unknown>; field: string } | undefined {
  const copy = structuredClone(body) as Record<string, unknown>;
  const all = sites(schema, body).filter(
    (s) => s.path.length > 0 || kind === "additionalProperties",
  );
  const field = (path: string[]) => ["body", ...path].join(".");
  const str = (s: Site) => s.schema.t === "string" || s.schema.t === undefined;
  switch (kind) {
    case "required": {
      for (const s of sites(schema, body)) {
        const name = s.schema.r?.[0];
        if (!name) continue;
        if (s.path.length > 0)
          setAt(copy, s.path, {}); // the parent present, its required child absent
        else setAt(copy, [name], undefined);
        return { body: copy, field: field([...s.path, name]) };
      }
      return undefined;
    }
    case "enum": {
      const s = all.find((x) => x.schema.e && str(x));
      if (!s) return undefined;
      setAt(copy, s.path, "__not_one_of_them__");
      return { body: copy, field: field(s.path) };
    }
    case "maxLength": {
      const s = all.find(
        (x) => x.schema.mx !== undefined && !x.schema.e && !x.schema.p && !x.schema.f,
      );
      if (!s) return undefined;
      setAt(copy, s.path, "a".repeat((s.schema.mx as number) + 1));
      return { body: copy, field: field(s.path) };
    }
    case "pattern": {
      const s = all.find((x) => x.schema.p !== undefined && !x.schema.e);
      if (!s) return undefined;
      setAt(copy, s.path, "\u0000!");
      return { body: copy, field: field(s.path) };
    }
    case "format": {
      const s = all.find((x) => x.schema.f !== undefined && !x.schema.e && !x.schema.p);
      if (!s) return undefined;
      setAt(copy, s.path, "2024-13-45Tnot-valid");
      return { body: copy, field: field(s.path) };
    }
    case "additionalProperties": {
      const s = all.find((x) => x.schema.a === 0);
      if (!s) return undefined;
      setAt(copy, [...s.path, "__unknown_property__"], "x");
      return { body: copy, field: field([...s.path, "__unknown_property__"]) };
    }
  }
}

let examples: Example[] = [];
let server: Recorder;
const tried: Record<string, number> = {};

beforeAll(async () => {
  examples = await loadExamples();
  server = await startRecorder();
});
afterAll(async () => {
  await server.close();
  console.info(
    `validation: ${Object.values(tried).reduce((a, b) => a + b, 0)} broken requests refused before sending (${JSON.stringify(tried)})`,
  );
});

describe.each(PROVIDERS)("%s: validation before sending", (provider) => {
  test("the documented example passes and is sent", async () => {
    for (const ex of examples.filter((e) => e.provider === provider)) {
      const before = server.requests.length;
      const result = await method(makeClient(ex, server.url, { retries: false }), ex)(initOf(ex));
      expect(result.response.status).toBe(200);
      expect(server.requests.length).toBe(before + 1);
    }
  });

  test("each broken variant is refused with its field, and nothing is sent", async () => {
    const seen = new Set<Kind>();
    for (const ex of examples.filter((e) => e.provider === provider)) {
      const table = TABLES[provider]?.[ex.operation];
      const bodySchema = table?.body?.["application/json"] ?? Object.values(table?.body ?? {})[0];
      const client = makeClient(ex, server.url, { retries: false });
      const cases: { body: unknown; params?: unknown; field: string; kind: Kind }[] = [];
      if (bodySchema && ex.body !== undefined) {
        for (const kind of KINDS) {
          const broken = breakBody(kind, bodySchema, ex.body);
          if (broken) cases.push({ ...broken, kind });
        }
      }
      // A required path parameter left out.
      const pathSchema = table?.path;
      const requiredPath = pathSchema?.r?.[0];
      if (requiredPath) {
        const params = structuredClone(ex.params) as { path: Record<string, unknown> };
        delete params.path[requiredPath];
        cases.push({ body: ex.body, params, field: `path.${requiredPath}`, kind: "required" });
      }
      // A path parameter with a format (Align's uuid customer_id).
      for (const [name, s] of Object.entries(pathSchema?.o ?? {})) {
        if (!s.f) continue;
        const params = structuredClone(ex.params) as { path: Record<string, unknown> };
        params.path[name] = "not-a-uuid-or-date";
        cases.push({ body: ex.body, params, field: `path.${name}`, kind: "format" });
      }
      for (const c of cases) {
        const before = server.requests.length;
        const init = { ...initOf(ex, c.body), ...(c.params ? { params: c.params } : {}) };
        const error = await method(client, ex)(init).catch((e: unknown) => e);
        const label = `${provider}.${ex.operation} ${c.kind} ${c.field}`;
        expect(error, label).toBeInstanceOf(ValidationError);
        const v = error as ValidationError;
        expect(v.provider).toBe(provider);
        expect(v.operation).toBe(ex.operation);
        expect(
          v.fieldErrors.map((f) => f.field),
          label,
        ).toContain(c.field);
        expect(v.fieldErrors.find((f) => f.field === c.field)?.code, label).toBe(c.kind);
        expect(server.requests.length, label).toBe(before);
        // The refused value is not quoted.
        expect(v.message).not.toContain("__not_one_of_them__");
        expect(v.message).not.toContain("a".repeat(21));
        seen.add(c.kind);
        tried[provider] = (tried[provider] ?? 0) + 1;
      }
    }
    // Every provider's spec has at least required, enum and maxLength constraints.
    expect([...seen]).toEqual(expect.arrayContaining(["required"]));
  });

  test("validate: false sends what the spec forbids (opt-out per client)", async () => {
    const ex = examples.find((e) => e.provider === provider) as Example;
    const table = TABLES[provider]?.[ex.operation];
    const bodySchema = table?.body?.["application/json"];
    const broken = bodySchema && breakBody("enum", bodySchema, ex.body);
    if (!broken) return;
    const before = server.requests.length;
    const off = makeClient(ex, server.url, { retries: false, validate: false });
    await method(off, ex)(initOf(ex, broken.body));
    expect(server.requests.length).toBe(before + 1);
  });
});
