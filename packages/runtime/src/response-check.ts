/**
 * Opt-in check of 2xx answers against the spec (`validateResponses: "warn" | "error"`), from the
 * same codegen-time constraint trees as request validation (each operation's `response` trees):
 * a vendor that changes what it sends is noticed from production, before it republishes its spec.
 * Problems are named by JSON pointer into the answer; no value is ever quoted (the interpreter's
 * reasons carry none), so secret fields stay out of hooks, logs and errors.
 */
import { type FieldError, InvalidResponseError } from "./errors.js";
import { misconfigured } from "./invalid.js";
import { baseMediaType, isJsonMediaType } from "./serializers.js";
import { emit } from "./transport/hooks.js";
import { requestIdOf } from "./transport/request-id.js";
import { type OperationValidation, type Schema, validateValue } from "./validate.js";

export type ResponseValidationMode = "warn" | "error";

export interface ResponseMismatchEvent {
  provider: string;
  operation: string;
  status: number;
  /** The answer's media type, without parameters. */
  contentType: string;
  requestId: string | undefined;
  /** Each problem's `field` is a JSON pointer into the answer's body (`""`: the body itself). */
  problems: FieldError[];
}

export interface ResponseHooks {
  /** A 2xx answer did not match its schema (with `validateResponses` on); it observes, never steers. */
  onResponseMismatch?(event: ResponseMismatchEvent): void;
}

/** Checks one parsed 2xx answer; reports, or throws in "error" mode. */
export type ResponseChecker = (
  operation: string,
  validation: OperationValidation | undefined,
  response: Response,
  data: unknown,
) => void;

/** The checker a client's options ask for; undefined when response validation is off (the default). */
export function responseChecker(
  provider: string,
  mode: unknown,
  hooks: ResponseHooks | undefined,
): ResponseChecker | undefined {
  if (mode === undefined || mode === false) return undefined;
  if (mode !== "warn" && mode !== "error")
    throw misconfigured(provider, `option "validateResponses" must be "warn" or "error"`);
  const onMismatch =
    hooks?.onResponseMismatch === undefined
      ? undefined
      : (event: ResponseMismatchEvent) => emit(hooks.onResponseMismatch?.bind(hooks), event);
  return (operation, validation, response, data) => {
    const header = response.headers.get("content-type") ?? "";
    const schema = responseSchema(validation, response.status, header);
    // Nothing declared, an empty answer or a text (XML) one: nothing to hold against a tree.
    if (schema === undefined || data === undefined || typeof data === "string") return;
    const problems = validateValue(schema, data, "");
    if (problems.length === 0) return;
    for (const problem of problems) problem.field = pointerOf(data, problem.field);
    const event: ResponseMismatchEvent = {
      provider,
      operation,
      status: response.status,
      contentType: baseMediaType(header),
      requestId: requestIdOf(response.headers),
      problems,
    };
    if (onMismatch) onMismatch(event);
    const summary = problems.map((p) => `${p.field || "/"} ${p.reason}`).join("; ");
    const message = `${provider} ${operation}: HTTP ${response.status} answer does not match the spec: ${summary}`;
    if (mode === "error")
      throw new InvalidResponseError({
        provider,
        operation,
        status: response.status,
        requestId: event.requestId,
        message,
        fieldErrors: problems,
      });
    if (!onMismatch) console.warn(`custkit: ${message}`);
  };
}

/** The tree of the answer's status (exact, else `2XX`) and JSON media type. */
function responseSchema(
  validation: OperationValidation | undefined,
  status: number,
  header: string,
): Schema | undefined {
  const byStatus = validation?.response;
  if (byStatus === undefined) return undefined;
  const byMedia = byStatus[String(status)] ?? byStatus["2XX"];
  if (byMedia === undefined) return undefined;
  const media = baseMediaType(header);
  if (Object.hasOwn(byMedia, media)) return byMedia[media];
  // A JSON answer (or one without a type, parsed as JSON) is held against the JSON schema.
  if (media !== "" && !isJsonMediaType(media)) return undefined;
  for (const declared in byMedia) if (isJsonMediaType(declared)) return byMedia[declared];
  return undefined;
}

const escapeToken = (key: string) => key.replace(/~/g, "~0").replace(/\//g, "~1");

/**
 * The interpreter's field name (`.address.city`, `.documents[0]`) as a JSON pointer. Keys may
 * themselves hold `.` or `[`, so each is matched against the keys the answer really has (the
 * longest that fits); a key the answer lacks (a missing required one) is the rest of the name.
 */
export function pointerOf(data: unknown, field: string): string {
  let pointer = "";
  let node: unknown = data;
  let at = 0;
  while (at < field.length) {
    if (field[at] === "[") {
      const close = field.indexOf("]", at);
      const index = field.slice(at + 1, close);
      pointer += `/${index}`;
      node = Array.isArray(node) ? node[Number(index)] : undefined;
      at = close + 1;
      continue;
    }
    const rest = field.slice(at + 1); // after the "."
    let key: string | undefined;
    if (typeof node === "object" && node !== null && !Array.isArray(node))
      for (const candidate of Object.keys(node)) {
        const next = rest[candidate.length];
        if (
          rest.startsWith(candidate) &&
          (next === undefined || next === "." || next === "[") &&
          (key === undefined || candidate.length > key.length)
        )
          key = candidate;
      }
    key ??= rest;
    pointer += `/${escapeToken(key)}`;
    node =
      typeof node === "object" && node !== null
        ? (node as Record<string, unknown>)[key]
        : undefined;
    at += 1 + key.length;
  }
  return pointer;
}
