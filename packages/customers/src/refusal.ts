/**
 * A refusal a person can act on: each refused field once, with the provider, the reason, the
 * value given (never a secret field's, never a passthrough field's: those may be anything) and,
 * when one is likely, the fix (`did you mean "GB"?`, the nearest field, the JSON form of a list or
 * a whole object, the ISO form of a date).
 */
import {
  ConfigurationError,
  type FieldError,
  UnsupportedFieldError,
  ValidationError,
} from "@custkit/runtime";
import { isSecretField, MODEL_FIELDS } from "./model.js";
import { closestName } from "./suggest.js";
import { valueFormat } from "./validators.js";

const SETTABLE: readonly string[] = [
  ...new Set(
    MODEL_FIELDS.flatMap((f) => f.split(".").map((_, i, parts) => parts.slice(0, i + 1).join("."))),
  ),
];

const MAX_SHOWN = 60;

function valueAt(root: unknown, field: string): unknown {
  let node = root;
  for (const key of field.split(".")) {
    if (node === null || typeof node !== "object" || Array.isArray(node)) return undefined;
    node = Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node;
}

/** The value as JSON text, shortened; undefined for what must not or cannot be shown. */
function shown(field: string, value: unknown): string | undefined {
  if (value === undefined || isSecretField(field) || field.startsWith("passthrough.")) return;
  if (typeof value === "object" && value !== null && !Array.isArray(value)) return;
  const text = JSON.stringify(value);
  if (text === undefined) return;
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}

/** `1990-1-31` → `1990-01-31`; `31/01/1990` has no unambiguous reading. */
function isoDateOf(text: string): string | undefined {
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(text.trim());
  return m
    ? `${m[1]}-${(m[2] as string).padStart(2, "0")}-${(m[3] as string).padStart(2, "0")}`
    : undefined;
}

/** The likely fix for a refused field, from its value and the field's format. */
function suggestionFor(problem: FieldError, value: unknown): string | undefined {
  const { field, code } = problem;
  if (code === "unknown_field") {
    const near = closestName(field, SETTABLE);
    return near === undefined ? undefined : `did you mean ${near}?`;
  }
  const format = valueFormat(field);
  if (format === undefined || isSecretField(field)) return undefined;
  if (typeof value === "string") {
    if (format.values !== undefined) {
      const near = closestName(value, format.values);
      return near === undefined
        ? `one of ${format.values.join(", ")}`
        : `did you mean ${JSON.stringify(near)}?`;
    }
    if (format.format.startsWith("list")) return `a JSON list: ${JSON.stringify([value])}`;
    if (format.format.startsWith("whole object")) return `a whole object: ${format.example}`;
    if (format.format.startsWith("ISO date")) {
      const iso = isoDateOf(value);
      return iso === undefined ? `e.g. ${format.example}` : `did you mean ${JSON.stringify(iso)}?`;
    }
    if (format.format.startsWith("E.164"))
      return `international form with + and the country code, e.g. ${format.example}`;
  }
  return undefined;
}

/** One line of a refusal: `nationality "XX": must be … (did you mean …?)`. */
export function describeRefused(problem: FieldError): string {
  const value = problem.value === undefined ? "" : ` ${problem.value}`;
  const fix = problem.suggestion === undefined ? "" : ` (${problem.suggestion})`;
  return `${problem.field}${value}: ${problem.reason}${fix}`;
}

/** The message of a refused patch: the provider once, then every field with its reason. */
export function refusalMessage(provider: string, problems: readonly FieldError[]): string {
  const lines = problems.map(describeRefused);
  return problems.length === 1
    ? `${provider}: ${lines[0]}; nothing was sent`
    : `${provider}: ${problems.length} fields refused, nothing was sent: ${lines.join("; ")}`;
}

/**
 * The refusal `error` (of `patch` for customer `id`) with each field's value and likely fix
 * added; any other error as it is.
 */
export function explainRefusal(error: unknown, patch: unknown, id: unknown): unknown {
  const Refusal =
    error instanceof UnsupportedFieldError
      ? UnsupportedFieldError
      : error instanceof ValidationError && !(error instanceof ConfigurationError)
        ? ValidationError
        : undefined;
  if (Refusal === undefined || (error as ValidationError).fieldErrors.length === 0) return error;
  const refusal = error as ValidationError | UnsupportedFieldError;
  const fieldErrors: FieldError[] = refusal.fieldErrors.map((problem) => {
    const given = problem.field === "id" ? id : valueAt(patch, problem.field);
    const out: FieldError = { ...problem };
    const value = shown(problem.field, given);
    if (value !== undefined) out.value = value;
    const suggestion = suggestionFor(problem, given);
    if (suggestion !== undefined) out.suggestion = suggestion;
    return out;
  });
  return new Refusal({
    provider: refusal.provider,
    operation: refusal.operation,
    message: refusalMessage(refusal.provider, fieldErrors),
    fieldErrors,
    cause: refusal.cause,
  });
}
