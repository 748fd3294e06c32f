/**
 * Header safety: what a header name and value may hold, which headers a caller may not set per
 * call, and the client headers a spec declares (tenant ids and the like).
 */
import type { FieldError } from "./errors.js";
import { misconfigured } from "./invalid.js";
import type { ApiClientOptions, ApiDefinition } from "./types.js";

/** What a header value may hold: visible ASCII, space, tab and Latin-1 (fetch refuses the rest). */
export const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** An HTTP header name (RFC 9110 token). */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Headers a caller may not set per call: they would change how the request is framed or routed. */
export const FRAMING_HEADERS =
  /^(host|content-length|transfer-encoding|connection|upgrade|te|trailer|keep-alive|expect)$/i;

/** Problems with header values (CR/LF, NUL, controls, characters fetch cannot send) and names. */
export function headerProblems(
  headers: Record<string, unknown> | undefined,
  where: string,
  out: FieldError[],
): void {
  if (headers === undefined || headers === null) return;
  if (typeof headers !== "object") {
    out.push({ field: where, reason: "must be an object", code: "type" });
    return;
  }
  for (const [name, value] of Object.entries(headers)) {
    const field = `${where}.${name}`;
    if (value === undefined || value === null) continue;
    if (!HEADER_NAME.test(name))
      out.push({ field, reason: "is not a valid header name", code: "header" });
    else if (where === "headers" && FRAMING_HEADERS.test(name))
      out.push({ field, reason: "may not be set per call", code: "header" });
    const text = typeof value === "number" || typeof value === "boolean" ? String(value) : value;
    if (typeof text !== "string")
      out.push({ field, reason: "must be a string or a number", code: "type" });
    else if (!HEADER_VALUE.test(text))
      out.push({
        field,
        reason: "must not contain line breaks, NUL or other control characters",
        code: "header",
      });
  }
}

export function resolveClientHeaders(
  definition: ApiDefinition,
  options: ApiClientOptions,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [option, def] of Object.entries(definition.clientHeaders)) {
    const value = options[option];
    if (value === undefined || value === null || value === "") {
      if (def.required)
        throw misconfigured(
          definition.provider,
          `missing required option "${option}" (header ${def.header})`,
        );
      continue;
    }
    if (typeof value !== "string" && typeof value !== "number") {
      throw misconfigured(definition.provider, `option "${option}" must be a string or a number`);
    }
    const text = String(value);
    if (!HEADER_VALUE.test(text))
      throw misconfigured(
        definition.provider,
        `option "${option}" must not contain line breaks or control characters`,
      );
    out[def.header] = text;
  }
  return out;
}
