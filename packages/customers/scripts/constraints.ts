/**
 * Build-time extraction of the request-body constraints (maxLength, pattern, enum, nullable,
 * format) from each provider's effective spec, so the mappers can refuse a value before any
 * request without retyping the vendor's numbers and without parsing specs at run time.
 * Source: packages/<p>/openapi.json (the generated package's effective spec: vendor file +
 * overlay); falls back to specs/<p>/openapi.{json,yaml} while the package is not generated.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const PROVIDERS = ["enfuce", "nuweb", "loanpro", "align", "maia"] as const;

type Json = Record<string, unknown>;
export interface Constraint {
  maxLength?: number;
  pattern?: string;
  enum?: unknown[];
  nullable?: boolean;
  format?: string;
  type?: string;
}

export function loadSpec(provider: string): { spec: Json; source: string } {
  const candidates = [
    `packages/${provider}/openapi.json`,
    `specs/${provider}/openapi.json`,
    `specs/${provider}/openapi.yaml`,
  ];
  for (const rel of candidates) {
    const file = join(ROOT, rel);
    if (existsSync(file)) {
      const text = readFileSync(file, "utf8");
      return {
        spec: (rel.endsWith(".json") ? JSON.parse(text) : parseYaml(text)) as Json,
        source: rel,
      };
    }
  }
  throw new Error(`no spec for ${provider}`);
}

function deref(spec: Json, node: unknown, seen = 0): Json {
  let cur = node as Json;
  while (cur && typeof cur.$ref === "string" && seen < 20) {
    const ref = cur.$ref as string;
    let target: unknown = spec;
    for (const part of ref.replace(/^#\//, "").split("/")) {
      target = (target as Json)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
    }
    cur = target as Json;
    seen++;
  }
  return cur ?? {};
}

function flatten(
  spec: Json,
  schemaIn: unknown,
  prefix: string,
  out: Record<string, Constraint>,
  depth = 0,
): void {
  if (depth > 8) return;
  const schema = deref(spec, schemaIn);
  for (const key of ["allOf", "oneOf", "anyOf"] as const) {
    const list = schema[key];
    if (Array.isArray(list)) for (const sub of list) flatten(spec, sub, prefix, out, depth + 1);
  }
  const props = schema.properties as Json | undefined;
  if (!props) return;
  for (const [name, raw] of Object.entries(props)) {
    const prop = deref(spec, raw);
    const path = prefix ? `${prefix}.${name}` : name;
    const c: Constraint = out[path] ?? {};
    if (typeof prop.type === "string") c.type = prop.type;
    if (typeof prop.maxLength === "number")
      c.maxLength = Math.min(prop.maxLength, c.maxLength ?? Infinity);
    if (typeof prop.pattern === "string") c.pattern = prop.pattern;
    if (Array.isArray(prop.enum)) c.enum = prop.enum;
    if (prop.nullable === true) c.nullable = true;
    if (typeof prop.format === "string") c.format = prop.format;
    out[path] = c;
    if (prop.properties || prop.allOf || prop.oneOf || prop.anyOf)
      flatten(spec, prop, path, out, depth + 1);
  }
}

/** operationId → body property path → constraint, for every operation of the spec. */
export function extractConstraints(spec: Json): Record<string, Record<string, Constraint>> {
  const result: Record<string, Record<string, Constraint>> = {};
  const paths = (spec.paths ?? {}) as Json;
  for (const [route, pathItem] of Object.entries(paths)) {
    for (const [method, opRaw] of Object.entries(pathItem as Json)) {
      if (!["get", "put", "post", "patch", "delete"].includes(method)) continue;
      const op = opRaw as Json;
      const id = (op.operationId as string | undefined) ?? `${method} ${route}`;
      if (!id) continue;
      const body = deref(spec, op.requestBody);
      const content = (body.content ?? {}) as Json;
      const media = (content["application/json"] ?? Object.values(content)[0]) as Json | undefined;
      const out: Record<string, Constraint> = {};
      if (media?.schema) flatten(spec, media.schema, "", out);
      result[id] = Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
    }
  }
  return result;
}

/** operationId → client method name, from specs/<p>/provider.yaml `operations`. */
export function methodNames(provider: string): Map<string, string> {
  const file = join(ROOT, "specs", provider, "provider.yaml");
  const map = new Map<string, string>();
  if (!existsSync(file)) return map;
  const config = parseYaml(readFileSync(file, "utf8")) as Json;
  for (const [method, op] of Object.entries((config.operations ?? {}) as Json)) {
    const id = (op as Json | null)?.operationId;
    map.set(typeof id === "string" ? id : method, method);
    const o = op as Json | null;
    if (o && typeof o.method === "string" && typeof o.path === "string")
      map.set(`${o.method} ${o.path}`, method);
  }
  return map;
}

/** The generated constraints module's text. */
export function renderConstraints(): string {
  const all: Record<string, unknown> = {};
  const sources: string[] = [];
  for (const p of PROVIDERS) {
    const { spec, source } = loadSpec(p);
    sources.push(`${p}: ${source}`);
    const names = methodNames(p);
    const byId = extractConstraints(spec);
    all[p] = Object.fromEntries(
      Object.entries(byId)
        .map(([id, c]) => [names.get(id) ?? id, c] as const)
        .sort(([a], [b]) => (a < b ? -1 : 1)),
    );
  }
  return [
    "// Generated by packages/customers/scripts/generate.ts from the providers' effective specs.",
    "// Do not edit: run `pnpm --filter @custkit/customers generate`.",
    `// Sources: ${sources.join("; ")}`,
    "",
    "export interface BodyConstraint {",
    "  readonly type?: string;",
    "  readonly maxLength?: number;",
    "  readonly pattern?: string;",
    "  readonly enum?: readonly unknown[];",
    "  readonly nullable?: boolean;",
    "  readonly format?: string;",
    "}",
    "",
    "/** Body constraints of one provider: operation → dotted body path → constraint. */",
    "export type ProviderConstraints = Readonly<Record<string, Readonly<Record<string, BodyConstraint>>>>;",
    "",
    // One constant per provider, so a bundle holds only the providers it imports.
    ...PROVIDERS.flatMap((p) => [
      `export const ${p.toUpperCase()}_CONSTRAINTS: ProviderConstraints = ${JSON.stringify(all[p], null, 2)};`,
      "",
    ]),
    "export const CONSTRAINTS: Readonly<Record<string, ProviderConstraints>> = {",
    ...PROVIDERS.map((p) => `  ${p}: ${p.toUpperCase()}_CONSTRAINTS,`),
    "};",
    "",
  ].join("\n");
}
