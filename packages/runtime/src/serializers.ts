/**
 * Request body serializers per media type. openapi-fetch only knows JSON (and form bodies when the
 * Content-Type matches exactly); custkit picks the serializer itself from the per-call
 * `contentType`, so the media type sent is always the one the caller asked for.
 */
import { ValidationError } from "./errors.js";
import { escapeXml } from "./escape-xml.js";

export { escapeXml };

export const JSON_MEDIA_TYPE = "application/json";
export const FORM_MEDIA_TYPE = "application/x-www-form-urlencoded";
export const XML_MEDIA_TYPE = "application/xml";

export type BodySerializer = (body: unknown) => string;

/** The media type without parameters, lower-cased: `application/json; charset=utf-8` → `application/json`. */
export function baseMediaType(mediaType: string): string {
  return (mediaType.split(";")[0] ?? "").trim().toLowerCase();
}

export function isJsonMediaType(mediaType: string): boolean {
  const base = baseMediaType(mediaType);
  return base === JSON_MEDIA_TYPE || base.endsWith("+json");
}

export function isXmlMediaType(mediaType: string): boolean {
  const base = baseMediaType(mediaType);
  return base === XML_MEDIA_TYPE || base === "text/xml" || base.endsWith("+xml");
}

export function isFormMediaType(mediaType: string): boolean {
  return baseMediaType(mediaType) === FORM_MEDIA_TYPE;
}

function fail(provider: string, message: string): never {
  throw new ValidationError({ provider, message: `${provider}: ${message}` });
}

function scalarText(value: unknown, where: string, provider: string): string | undefined {
  if (value === null) return "";
  if (value === undefined) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) fail(provider, `cannot serialize non-finite number at ${where}`);
    return String(value);
  }
  if (typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (value instanceof Date) return value.toISOString();
  return fail(provider, `cannot serialize a ${typeof value} at ${where}`);
}

export function serializeJson(body: unknown): string {
  return JSON.stringify(body);
}

/**
 * `application/x-www-form-urlencoded`: top-level scalars as `key=value`; nested objects flattened
 * with brackets (`address[city]=…`), arrays indexed (`tags[0]=…`). `null` sends an empty value
 * (clear), `undefined` is omitted.
 */
export function serializeForm(body: unknown, provider = "custkit"): string {
  if (typeof body !== "object" || body === null || Array.isArray(body) || body instanceof Date) {
    fail(provider, "a form-urlencoded body must be an object of fields");
  }
  const params = new URLSearchParams();
  const walk = (value: unknown, key: string): void => {
    if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) walk(item, `${key}[${i}]`);
      return;
    }
    if (typeof value === "object" && value !== null && !(value instanceof Date)) {
      for (const [k, v] of Object.entries(value)) walk(v, `${key}[${k}]`);
      return;
    }
    const text = scalarText(value, key, provider);
    if (text !== undefined) params.append(key, text);
  };
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) walk(v, k);
  return params.toString();
}

const XML_NAME = /^[A-Za-z_][A-Za-z0-9._-]*$/;
// Characters XML 1.0 cannot carry at all, even escaped.
// biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/**
 * `application/xml`: `<root><field>value</field>…</root>` with every text escaped. Nested objects
 * become nested elements, arrays repeat the element, `null` is an empty element, `undefined` is
 * omitted. Element names that are not XML names are refused rather than mangled.
 */
export function serializeXml(body: unknown, rootName = "item", provider = "custkit"): string {
  if (!XML_NAME.test(rootName)) fail(provider, `invalid XML root element name "${rootName}"`);
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    fail(provider, "an XML body must be an object of fields");
  }
  const element = (name: string, value: unknown, where: string): string => {
    if (!XML_NAME.test(name) || /^xml/i.test(name))
      fail(provider, `field name "${where}" is not a valid XML element name`);
    if (value === undefined) return "";
    if (Array.isArray(value))
      return value.map((item, i) => element(name, item, `${where}[${i}]`)).join("");
    if (value === null) return `<${name}/>`;
    if (typeof value === "object" && !(value instanceof Date)) {
      const inner = Object.entries(value)
        .map(([k, v]) => element(k, v, `${where}.${k}`))
        .join("");
      return `<${name}>${inner}</${name}>`;
    }
    const text = scalarText(value, where, provider) ?? "";
    if (XML_INVALID.test(text))
      fail(provider, `field "${where}" holds a character XML cannot carry`);
    return `<${name}>${escapeXml(text)}</${name}>`;
  };
  const inner = Object.entries(body as Record<string, unknown>)
    .map(([k, v]) => element(k, v, k))
    .join("");
  return `<?xml version="1.0" encoding="UTF-8"?><${rootName}>${inner}</${rootName}>`;
}
