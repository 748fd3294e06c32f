/**
 * The generated clients check every request against the spec before sending it and throw a
 * `ValidationError` naming vendor fields (`body.first_name`). The facade's caller wrote model
 * fields: this maps each vendor path back through the provider's table (`name.given`), or to
 * `passthrough.<key>` for a passthrough field. Reasons name fields, never values.
 */
import { type FieldError, ValidationError } from "@custkit/runtime";
import type { CompiledMapping } from "./mapping/compile.js";
import type { ProblemCode } from "./mapping/rules.js";
import { refusalMessage } from "./refusal.js";

const CODES: Readonly<Record<string, ProblemCode>> = {
  maxLength: "too_long",
  pattern: "pattern",
  enum: "enum",
  required: "required",
  additionalProperties: "unknown_field",
};

const VENDOR_TO_MODEL = new WeakMap<CompiledMapping, Map<string, string>>();
function vendorToModel(compiled: CompiledMapping): Map<string, string> {
  let map = VENDOR_TO_MODEL.get(compiled);
  if (map === undefined) {
    map = new Map();
    for (const rule of compiled.mapping.rules)
      for (const to of rule.to) if (!map.has(to)) map.set(to, rule.field);
    VENDOR_TO_MODEL.set(compiled, map);
  }
  return map;
}

/** `body.address.address1` → `address.lines`; `body.locale` → `passthrough.locale`; else as is. */
export function modelFieldOf(
  compiled: CompiledMapping,
  vendorField: string,
  passthrough: Readonly<Record<string, unknown>> | undefined,
): { field: string; vendorPath: string } {
  if (!vendorField.startsWith("body.")) return { field: vendorField, vendorPath: vendorField };
  const vendorPath = vendorField.slice("body.".length);
  const segments = vendorPath.replace(/\[\d+\]/g, "").split(".");
  const table = vendorToModel(compiled);
  for (let n = segments.length; n > 0; n--) {
    const model = table.get(segments.slice(0, n).join("."));
    if (model !== undefined) return { field: model, vendorPath };
  }
  const top = segments[0] as string;
  if (passthrough && Object.hasOwn(passthrough, top) && passthrough[top] !== undefined)
    return { field: `passthrough.${vendorPath}`, vendorPath };
  return { field: vendorField, vendorPath };
}

/** The client's ValidationError, its fields named in the caller's terms (nothing was sent). */
export function translateClientValidation(
  compiled: CompiledMapping,
  error: ValidationError,
  passthrough: Readonly<Record<string, unknown>> | undefined,
): ValidationError {
  const provider = compiled.mapping.provider;
  const fieldErrors: FieldError[] = error.fieldErrors.map((e) => {
    const { field, vendorPath } = modelFieldOf(compiled, e.field, passthrough);
    return {
      field,
      reason: `${provider} ${vendorPath} ${e.reason}`,
      code: (e.code !== undefined ? CODES[e.code] : undefined) ?? "invalid",
    };
  });
  return new ValidationError({
    provider,
    operation: error.operation,
    message: refusalMessage(provider, fieldErrors),
    fieldErrors,
    cause: error,
  });
}
