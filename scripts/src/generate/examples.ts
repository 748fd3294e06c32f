/**
 * Example requests per operation, taken from the effective spec (request body `example`, parameter
 * examples) or, where the spec has none, made up from the schema. Used for the README usage
 * example and by the tests that send each example to a Prism mock.
 */
import {
  deref,
  type Json,
  type LoadedProvider,
  operationObject,
  operationParameters,
} from "./load.js";

export interface ExampleRequest {
  params: { path?: Json; query?: Json; header?: Json };
  /** The JSON body (or the first media type's). */
  body?: unknown;
  /** A body per request media type, as an object the client serializes. */
  bodies: Record<string, unknown>;
  /** Values for the client-header options. */
  clientHeaders: Record<string, string | number>;
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const KNOWN_PATTERNS: Record<string, string> = {
  "^[A-Z]{2}$": "US",
  "^[A-Z]{3}$": "USA",
  "^\\d{4}-\\d{2}-\\d{2}$": "1990-01-01",
  "^\\d+$": "225",
  "^\\d{9}$": "123456789",
};

export function sampleFromSchema(spec: Json, schemaRef: unknown, depth = 0): unknown {
  const schema = deref(spec, schemaRef) as Json;
  if (!isObject(schema) || depth > 8) return undefined;
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.enum)) return schema.enum.find((v) => v !== null);
  for (const key of ["oneOf", "anyOf"]) {
    if (Array.isArray(schema[key]) && (schema[key] as unknown[]).length > 0) {
      return sampleFromSchema(spec, (schema[key] as unknown[])[0], depth + 1);
    }
  }
  if (Array.isArray(schema.allOf)) {
    return Object.assign(
      {},
      ...schema.allOf.map((s) => sampleFromSchema(spec, s, depth + 1)).filter(isObject),
    );
  }
  const type = schema.type ?? (schema.properties ? "object" : undefined);
  if (type === "object") {
    const props = (schema.properties ?? {}) as Json;
    const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
    let keys = required.filter((k) => k in props);
    if (keys.length === 0) {
      keys = Object.keys(props)
        .filter((k) => {
          const p = deref(spec, props[k]) as Json;
          return (
            p.type === "string" &&
            (p.pattern === undefined || KNOWN_PATTERNS[String(p.pattern)] !== undefined)
          );
        })
        .slice(0, 3);
    }
    const out: Json = {};
    for (const k of keys) out[k] = sampleFromSchema(spec, props[k], depth + 1);
    return out;
  }
  if (type === "array") {
    const item = sampleFromSchema(spec, schema.items, depth + 1);
    return item === undefined ? [] : [item];
  }
  if (type === "integer" || type === "number")
    return typeof schema.minimum === "number" ? schema.minimum : 1;
  if (type === "boolean") return true;
  if (type === "string") {
    if (typeof schema.pattern === "string" && KNOWN_PATTERNS[schema.pattern])
      return KNOWN_PATTERNS[schema.pattern];
    switch (schema.format) {
      case "uuid":
        return "3fa85f64-5717-4562-b3fc-2c963f66afa6";
      case "date":
        return "1990-01-01";
      case "date-time":
        return "2024-01-01T00:00:00Z";
      case "email":
        return "jane.doe@example.com";
      default:
        return "example";
    }
  }
  return undefined;
}

function parameterExample(spec: Json, p: Json): unknown {
  if (p.example !== undefined) return p.example;
  if (isObject(p.examples)) {
    const first = Object.values(p.examples)[0];
    const resolved = deref(spec, first) as Json;
    if (resolved?.value !== undefined) return resolved.value;
  }
  return sampleFromSchema(spec, p.schema ?? { type: "string" });
}

function mediaExample(spec: Json, media: Json): unknown {
  if (media.example !== undefined) return media.example;
  if (isObject(media.examples)) {
    const first = Object.values(media.examples)[0];
    const resolved = deref(spec, first) as Json;
    if (resolved?.value !== undefined) return resolved.value;
  }
  return sampleFromSchema(spec, media.schema ?? {});
}

export function exampleRequest(loaded: LoadedProvider, operation: string): ExampleRequest {
  const { spec, config } = loaded;
  const op = config.operations[operation];
  if (!op) throw new Error(`unknown operation ${operation}`);
  const o = operationObject(spec, op.method, op.path) as Json;
  const clientHeaderNames = new Map(
    Object.entries(config.clientHeaders).map(([k, d]) => [d.header.toLowerCase(), k]),
  );
  const schemes = ((spec.components as Json | undefined)?.securitySchemes ?? {}) as Json;
  const authHeaders = new Set(
    config.auth
      .map((n) => deref(spec, schemes[n]) as Json)
      .filter((s) => s.type === "apiKey")
      .map((s) => String(s.name).toLowerCase()),
  );
  const params: ExampleRequest["params"] = {};
  const clientHeaders: ExampleRequest["clientHeaders"] = {};
  for (const p of operationParameters(spec, op.method, op.path)) {
    const value = parameterExample(spec, p);
    const name = String(p.name);
    if (p.in === "header") {
      const option = clientHeaderNames.get(name.toLowerCase());
      if (option) {
        clientHeaders[option] = value as string | number;
        continue;
      }
      if (authHeaders.has(name.toLowerCase())) continue;
    }
    if (p.in === "cookie") continue;
    const group = p.in as "path" | "query" | "header";
    params[group] = { ...(params[group] ?? {}), [name]: value };
  }
  const body = o.requestBody === undefined ? undefined : (deref(spec, o.requestBody) as Json);
  const content = (body?.content ?? {}) as Json;
  const bodies: Record<string, unknown> = {};
  let fallback: unknown;
  for (const [mediaType, media] of Object.entries(content)) {
    const value = mediaExample(spec, media as Json);
    if (isObject(value)) {
      bodies[mediaType] = value;
      fallback ??= value;
    }
  }
  for (const mediaType of Object.keys(content)) {
    if (!(mediaType in bodies))
      bodies[mediaType] =
        fallback ?? sampleFromSchema(spec, (content[mediaType] as Json).schema ?? {});
  }
  const jsonType = Object.keys(bodies).find((m) => /json/i.test(m)) ?? Object.keys(bodies)[0];
  return {
    params,
    ...(jsonType !== undefined ? { body: bodies[jsonType] } : {}),
    bodies,
    clientHeaders,
  };
}
