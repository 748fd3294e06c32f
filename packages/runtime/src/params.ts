/**
 * Parameters: path values stay inside their segment, query values are encodable text and are
 * serialized the way openapi-fetch does.
 */
import { createQuerySerializer } from "openapi-fetch";
import type { FieldError } from "./errors.js";
import { invalid } from "./invalid.js";

/** Text that can be percent-encoded (no lone surrogates). */
const wellFormed = (text: string) => text.isWellFormed();

/** Text made of RFC 3986 unreserved characters only: its own percent-encoding. */
const UNRESERVED = /^[\w.~-]*$/;

/** A path parameter as text, percent-encoded so it stays inside its segment (RFC 3986 unreserved only). */
function encodeSegment(text: string): string {
  // Ids (UUIDs, numbers, slugs) are usually unreserved already: nothing to encode.
  if (UNRESERVED.test(text)) return text;
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * The path serializer of one operation: its template (`/customers/{id}`) split once into literal
 * text and parameter names; every value percent-encoded so it stays inside its segment.
 */
export function pathSerializer(provider: string, operation: string, template: string) {
  // Odd indexes hold parameter names: "/a/{id}/b" → ["/a/", "id", "/b"].
  const parts = template.split(/\{([^{}]+)\}/);
  return (params: Record<string, unknown>): string => {
    let out = parts[0] as string;
    for (let i = 1; i < parts.length; i += 2) {
      const name = parts[i] as string;
      out += segment(provider, operation, name, params[name]) + parts[i + 1];
    }
    return out;
  };
}

function segment(provider: string, operation: string, name: string, value: unknown): string {
  if (value === undefined || value === null) {
    throw invalid(provider, `missing path parameter "${name}"`, operation);
  }
  if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
    throw invalid(provider, `path parameter "${name}" must be a string or a number`, operation);
  }
  const text = String(value);
  if (text === "") throw invalid(provider, `path parameter "${name}" must not be empty`, operation);
  // URL parsing resolves "." and ".." segments (even percent-encoded ones) away: refuse them.
  if (text === "." || text === "..")
    throw invalid(provider, `path parameter "${name}" must not be "${text}"`, operation);
  if (!wellFormed(text))
    throw invalid(provider, `path parameter "${name}" is not well-formed text`, operation);
  return encodeSegment(text);
}

/** Query values must be text that can be percent-encoded (no lone surrogates) or numbers/booleans. */
export function queryProblems(value: unknown, field: string, out: FieldError[], depth = 0): void {
  if (value === undefined || value === null) return;
  if (typeof value === "string") {
    if (!wellFormed(value))
      out.push({ field, reason: "is not well-formed text", code: "encoding" });
  } else if (typeof value === "object" && depth < 3) {
    for (const [k, v] of Object.entries(value)) queryProblems(v, `${field}.${k}`, out, depth + 1);
  } else if (typeof value !== "number" && typeof value !== "boolean") {
    out.push({ field, reason: "must be a string, a number or a boolean", code: "type" });
  }
}

/**
 * openapi-fetch's default query serialization (form style, arrays exploded, objects deepObject).
 * Handed in only by clients whose operations declare query parameters.
 */
export const serializeQuery: (query: Record<string, unknown>) => string =
  /* @__PURE__ */ createQuerySerializer();
