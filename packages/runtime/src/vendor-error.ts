/**
 * Reads a vendor's error body into custkit's shape: vendorCode, vendorMessage, fieldErrors.
 * Accepts every documented (and the undocumented-but-observed) shape of the five vendors and
 * never throws: an empty, non-JSON or unknown body yields what little can be read from it.
 *
 * Shapes handled:
 * - Enfuce: `{ code, message, id, errorCode, errorType, errorReason, timestamp }`
 * - LoanPro: `{ code: "401-CN0001", message, context: { errors: [..] } }`
 * - LoanPro (OData): `{ error: { message: { value } | string, type }, warnings: [..] }`
 * - Laravel (NuWeb): `{ message, errors: { field: [msg, ..] } }`
 * - Strapi (Maia): `{ statusCode, error, message: string | [..], data? }`
 * - Align / Maia: `{ message, code }`
 */
import type { FieldError } from "./errors.js";

export interface VendorErrorInfo {
  vendorCode?: string;
  vendorMessage?: string;
  fieldErrors: FieldError[];
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asText(value: unknown): string | undefined {
  if (typeof value === "string") return value.trim() === "" ? undefined : value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

/** Text of a message that may be a string, `{ value }`, `{ message }` or a list of those. */
function messageText(value: unknown): string | undefined {
  const text = asText(value);
  if (text !== undefined) return text;
  if (Array.isArray(value)) {
    const parts = value.map(messageText).filter((p): p is string => p !== undefined);
    return parts.length > 0 ? parts.join("; ") : undefined;
  }
  if (isObject(value)) {
    return (
      messageText(value.value) ??
      messageText(value.message) ??
      messageText(value.messages) ??
      messageText(value.id)
    );
  }
  return undefined;
}

/** `{ field: [msg] }` or `{ field: msg }` (Laravel `errors`). */
function fieldMap(value: unknown): FieldError[] {
  if (!isObject(value)) return [];
  const out: FieldError[] = [];
  for (const [field, messages] of Object.entries(value)) {
    const list = Array.isArray(messages) ? messages : [messages];
    for (const m of list) {
      const reason = messageText(m);
      if (reason !== undefined) out.push({ field, reason });
    }
  }
  return out;
}

/** A list of errors/warnings: strings or `{ field|property|path, message|reason, code }`. */
function fieldList(value: unknown): FieldError[] {
  if (!Array.isArray(value)) return [];
  const out: FieldError[] = [];
  for (const item of value) {
    if (isObject(item)) {
      const field =
        asText(item.field) ?? asText(item.property) ?? asText(item.path) ?? asText(item.name) ?? "";
      const reason =
        messageText(item.message) ?? messageText(item.reason) ?? messageText(item.messages);
      const code = asText(item.code);
      if (reason !== undefined)
        out.push(code === undefined ? { field, reason } : { field, reason, code });
      else if (Array.isArray(item.messages)) out.push(...fieldList(item.messages));
    } else {
      const reason = messageText(item);
      if (reason !== undefined) out.push({ field: "", reason });
    }
  }
  return out;
}

/** Strapi/Boom validation: `message: [{ messages: [{ id, message }] }]` or `data.errors: { field: [..] }`. */
function strapiFields(body: Json): FieldError[] {
  const out: FieldError[] = [];
  if (isObject(body.data) && isObject(body.data.errors)) out.push(...fieldMap(body.data.errors));
  if (Array.isArray(body.data)) {
    for (const entry of body.data)
      if (isObject(entry) && isObject(entry.errors)) out.push(...fieldMap(entry.errors));
  }
  return out;
}

/** Reads a vendor body of one shape; undefined when the body is not of that shape. */
export type ErrorShapeReader = (body: Json) => VendorErrorInfo | undefined;
/** A body (text, parsed JSON or nothing) to vendor error information; never throws. */
export type VendorErrorParser = (body: unknown) => VendorErrorInfo;

/** LoanPro OData: `{ error: { message: { value } | string, type }, warnings }`. */
export const odataError: ErrorShapeReader = (b) => {
  if (!isObject(b.error)) return undefined;
  return {
    vendorMessage: messageText(b.error.message) ?? messageText(b.error),
    vendorCode: asText(b.error.type) ?? asText(b.error.code),
    fieldErrors: fieldList(b.warnings),
  };
};

/** Enfuce: errorCode is the specific code; errorReason the free-form detail. */
export const enfuceError: ErrorShapeReader = (b) => {
  if (b.errorCode === undefined && b.errorType === undefined && b.errorReason === undefined)
    return undefined;
  const info: VendorErrorInfo = {
    vendorCode: asText(b.errorCode) ?? asText(b.errorType) ?? asText(b.code),
    fieldErrors: [],
  };
  const parts = [messageText(b.message), asText(b.errorReason)].filter(
    (p): p is string => p !== undefined,
  );
  if (parts.length > 0) info.vendorMessage = parts.join(": ");
  return info;
};

/** Strapi / Boom (Maia): `{ statusCode, error, message, data? }`. */
export const strapiError: ErrorShapeReader = (b) => {
  if (b.statusCode === undefined || typeof b.error !== "string") return undefined;
  return {
    vendorCode: asText(b.error),
    vendorMessage: messageText(b.message) ?? asText(b.error),
    fieldErrors: strapiFields(b),
  };
};

/**
 * Every other shape: LoanPro `{ code, message, context: { errors } }`, Laravel (NuWeb)
 * `{ message, errors: { field: [..] } }`, Align / Maia `{ message, code }`.
 */
function commonError(b: Json): VendorErrorInfo {
  const info: VendorErrorInfo = { fieldErrors: [] };
  const code = asText(b.code) ?? asText(b.errorCode) ?? asText(b.type);
  const message =
    messageText(b.message) ?? messageText(b.error) ?? messageText(b.detail) ?? messageText(b.title);
  if (code !== undefined) info.vendorCode = code;
  if (message !== undefined) info.vendorMessage = message;
  if (isObject(b.context)) {
    info.fieldErrors.push(
      ...fieldList(b.context.errors),
      ...fieldMap(isObject(b.context.errors) ? b.context.errors : undefined),
    );
  }
  if (isObject(b.errors)) info.fieldErrors.push(...fieldMap(b.errors));
  else if (Array.isArray(b.errors)) info.fieldErrors.push(...fieldList(b.errors));
  if (Array.isArray(b.warnings)) info.fieldErrors.push(...fieldList(b.warnings));
  return info;
}

/**
 * The parser of a vendor whose error bodies come in `shapes` (tried in order) or the common
 * shape. Generated clients name only their vendor's shapes (provider.yaml `errorShapes`), so
 * they do not carry the others' readers.
 */
export function vendorErrorParser(...shapes: ErrorShapeReader[]): VendorErrorParser {
  return (body) => {
    let value = body;
    if (typeof value === "string") {
      const text = value.trim();
      if (text === "") return { fieldErrors: [] };
      try {
        value = JSON.parse(text);
      } catch {
        // Not JSON (an HTML error page, plain text): keep a short excerpt as the message.
        return {
          vendorMessage: text.length > 500 ? `${text.slice(0, 500)}…` : text,
          fieldErrors: [],
        };
      }
    }
    if (!isObject(value)) {
      const message = messageText(value);
      return message === undefined
        ? { fieldErrors: [] }
        : { vendorMessage: message, fieldErrors: [] };
    }
    for (const read of shapes) {
      const info = read(value);
      if (info) return info;
    }
    return commonError(value);
  };
}

/** Every shape of the five vendors (hand-written clients, `createApiClient`). */
export const parseVendorError: VendorErrorParser = /* @__PURE__ */ vendorErrorParser(
  odataError,
  enfuceError,
  strapiError,
);
