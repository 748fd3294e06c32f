/**
 * One operation method: check the call (safety always, spec constraints unless `validate: false`),
 * build the request (URL from our path serializer and openapi-fetch's query serializer, headers
 * as a plain object, the body from the media type's serializer), send it through the client's
 * transport and turn the answer into `{ data, response }` or a `CustkitError`. Everything that
 * depends only on the operation (its path serializer, constraint trees) is prepared once.
 */
import { CustkitError, type FieldError, ValidationError } from "./errors.js";
import { headerProblems } from "./headers.js";
import { invalid } from "./invalid.js";
import { type ExtraSerializers, findBodySchema, pickContentType, serializerFor } from "./media.js";
import { pathSerializer, queryProblems } from "./params.js";
import { SECRET_HEADER, secretVariants } from "./redact.js";
import { errorFromResponse, parseSuccess } from "./response.js";
import type { ResponseChecker } from "./response-check.js";
import type { BodySerializer } from "./serializers.js";
import { heldText } from "./transport/body.js";
import type { Transport } from "./transport/index.js";
import type { CallOptions, OperationDefinition } from "./types.js";
import {
  type OperationValidation,
  type Schema,
  sensitiveValues,
  validateValue,
} from "./validate.js";
import type { VendorErrorParser } from "./vendor-error.js";

/** What every operation method of one client shares. */
export interface ClientState {
  provider: string;
  baseUrl: string;
  /** Sent with every request (options, client headers, auth), names lower-cased. */
  headers: Readonly<Record<string, string>>;
  transport: Transport;
  /** The client's credentials in every echoed form (redacted from its errors). */
  secrets: readonly string[];
  validating: boolean;
  serializers: ExtraSerializers;
  parseError: VendorErrorParser;
  /** With `validateResponses`: holds each 2xx answer against the spec. */
  checkResponse: ResponseChecker | undefined;
  /** Each operation's path serializer, built once and shared by its method and `validate`. */
  paths: Map<string, (params: Record<string, unknown>) => string>;
}

function pathOf(state: Pick<ClientState, "provider" | "paths">, name: string, template: string) {
  let serialize = state.paths.get(name);
  if (serialize === undefined) {
    serialize = pathSerializer(state.provider, name, template);
    state.paths.set(name, serialize);
  }
  return serialize;
}

const LOCATIONS = ["path", "query", "header"] as const;

/** This call's values to keep out of errors: the client's credentials, sensitive body fields and credential headers. */
function callSecrets(
  clientSecrets: readonly string[],
  validation: OperationValidation | undefined,
  bodySchema: Schema | undefined,
  params: Record<string, unknown>,
  body: unknown,
  headers: Record<string, unknown> | undefined,
): readonly string[] {
  const values = sensitiveValues(bodySchema, body);
  if (validation)
    for (const where of LOCATIONS) sensitiveValues(validation[where], params[where], values);
  if (headers)
    for (const name in headers) {
      const value = headers[name];
      if (SECRET_HEADER.test(name) && typeof value === "string") values.push(value);
    }
  if (values.length === 0) return clientSecrets;
  const out = new Set<string>(clientSecrets);
  for (const v of values) if (v.length >= 4) for (const form of secretVariants(v)) out.add(form);
  return [...out];
}

/**
 * The checks a call runs before anything is sent: safety (always on: nothing a caller passes may
 * add headers or escape its slot), then the spec's constraints when `spec` is given.
 */
function checkCall(
  spec: OperationValidation | undefined,
  bodySchema: Schema | undefined,
  params: Record<string, unknown>,
  body: unknown,
  headers: Record<string, unknown> | undefined,
): FieldError[] {
  const problems: FieldError[] = [];
  headerProblems(params.header as Record<string, unknown> | undefined, "header", problems);
  headerProblems(headers, "headers", problems);
  queryProblems(params.query, "query", problems);
  if (spec) specProblems(spec, bodySchema, params, body, problems);
  return problems;
}

function specProblems(
  spec: OperationValidation,
  bodySchema: Schema | undefined,
  params: Record<string, unknown>,
  body: unknown,
  problems: FieldError[],
): void {
  // Parameters travel as text (checked leniently); absent ones still have their required keys.
  if (spec.path) validateValue(spec.path, params.path ?? {}, "path", problems, true);
  if (spec.query) validateValue(spec.query, params.query ?? {}, "query", problems, true);
  if (spec.header) validateValue(spec.header, params.header ?? {}, "header", problems, true);
  if (bodySchema && body !== undefined) validateValue(bodySchema, body, "body", problems);
}

/**
 * The spec part of the checks alone, from an operation's constraint tree (no client needed):
 * parameters by location, the body against the schema of `contentType` (default: JSON).
 */
export function validateRequest(
  validation: OperationValidation | undefined,
  init: { params?: Record<string, unknown>; body?: unknown },
  contentType = "application/json",
): FieldError[] {
  const problems: FieldError[] = [];
  if (validation === undefined) return problems;
  const params = init.params ?? {};
  specProblems(validation, findBodySchema(validation, contentType), params, init.body, problems);
  return problems;
}

/**
 * `client.validate(operation, init, { contentType })`: the checks a call of `operation` would run
 * (safety always, spec constraints unless `validate: false`), nothing sent. Returns the problems
 * (empty when the request would be sent); throws only for a misuse (unknown operation, content
 * type or arguments that are not objects).
 */
export function operationValidator(
  state: Pick<ClientState, "provider" | "validating" | "paths">,
  operations: { readonly [name: string]: OperationDefinition },
  validation: { readonly [name: string]: OperationValidation },
) {
  const { provider, validating } = state;
  return (
    operation: string,
    initArg: unknown = {},
    options: { contentType?: string } = {},
  ): FieldError[] => {
    const init = initArg as Record<string, unknown>;
    const op = Object.hasOwn(operations, operation) ? operations[operation] : undefined;
    if (op === undefined) throw invalid(provider, `validate: no operation ${String(operation)}`);
    if (typeof init !== "object" || init === null)
      throw invalid(provider, `${operation}: the first argument must be an object`, operation);
    if (typeof options !== "object" || options === null)
      throw invalid(provider, `${operation}: the options must be an object`, operation);
    const params = (init.params ?? {}) as Record<string, unknown>;
    if (typeof params !== "object" || params === null)
      throw invalid(provider, `${operation}: "params" must be an object`, operation);
    const contentType = pickContentType(provider, operation, op, options.contentType);
    const opValidation = Object.hasOwn(validation, operation) ? validation[operation] : undefined;
    const problems = checkCall(
      validating ? opValidation : undefined,
      findBodySchema(opValidation, contentType),
      params,
      init.body,
      undefined,
    );
    if (op.bodyRequired && init.body === undefined)
      problems.unshift({ field: "body", reason: "is required", code: "required" });
    try {
      pathOf(state, operation, op.path)((params.path ?? {}) as Record<string, unknown>);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      if (error.fieldErrors.length > 0) problems.push(...error.fieldErrors);
      else problems.push({ field: "path", reason: "is not a valid path value", code: "invalid" });
    }
    return problems;
  };
}

/** What a call sends for one media type: the Content-Type, its serializer, body schema, headers. */
interface Media {
  contentType: string;
  serialize: BodySerializer;
  bodySchema: Schema | undefined;
  /** The client's headers with this Content-Type. */
  headers: Readonly<Record<string, string>>;
}

export function operationMethod(
  state: ClientState,
  name: string,
  op: OperationDefinition,
  opValidation: OperationValidation | undefined,
) {
  const { provider, baseUrl, transport, validating, parseError, checkResponse } = state;
  const serializeQuery = state.serializers.query ?? noQuery(provider, name);
  const serializePath = pathOf(state, name, op.path);
  const validateLocations = validating && opValidation !== undefined;
  const method = op.method.toUpperCase();
  const media = (contentType: string): Media => ({
    contentType,
    serialize: serializerFor(provider, name, op, contentType, state.serializers),
    bodySchema: findBodySchema(opValidation, contentType),
    headers: { ...state.headers, "content-type": contentType },
  });
  // The default media type (its serializer, body schema, headers) is the operation's: worked out
  // once, at the first call (a media type without a serializer fails the call, not the client).
  let defaultMedia: Media | undefined;

  return async (init: Record<string, unknown> = {}, callOptions: CallOptions = {}) => {
    if (typeof init !== "object" || init === null)
      throw invalid(provider, `${name}: the first argument must be an object`, name);
    if (typeof callOptions !== "object" || callOptions === null)
      throw invalid(provider, `${name}: the second argument must be an object`, name);
    const body = init.body;
    if (op.bodyRequired && body === undefined)
      throw invalid(provider, `${name}: a request body is required`, name);
    const params = (init.params ?? {}) as Record<string, unknown>;
    if (typeof params !== "object" || params === null)
      throw invalid(provider, `${name}: "params" must be an object`, name);
    const { contentType: asked, signal, timeoutMs, retries, onAttempt } = callOptions;
    let chosen: Media;
    if (asked === undefined) {
      defaultMedia ??= media(pickContentType(provider, name, op, undefined));
      chosen = defaultMedia;
    } else {
      chosen = media(pickContentType(provider, name, op, asked));
    }
    const { contentType, serialize, bodySchema, headers: typedHeaders } = chosen;
    if (timeoutMs !== undefined && !(timeoutMs > 0)) {
      throw invalid(provider, `${name}: option "timeoutMs" must be a positive number`, name);
    }

    const problems = checkCall(
      validateLocations ? opValidation : undefined,
      bodySchema,
      params,
      body,
      callOptions.headers,
    );
    if (problems.length > 0) {
      throw new ValidationError({
        provider,
        operation: name,
        message: `${provider} ${name}: invalid request: ${problems.map((e) => `${e.field} ${e.reason}`).join("; ")}`,
        fieldErrors: problems,
      });
    }
    // Path values must stay in their segment: throws on a missing, empty, "." or ".." value.
    let url = baseUrl + serializePath((params.path ?? {}) as Record<string, unknown>);
    let serialized: string | undefined;
    try {
      if (params.query !== undefined) {
        const search = serializeQuery(params.query as Record<string, unknown>);
        if (search !== "") url += `?${search}`;
      }
      if (body !== undefined) serialized = serialize(body);
    } catch (error) {
      if (error instanceof CustkitError) throw error;
      // The original error is not attached: its message may quote values.
      throw new ValidationError({
        provider,
        operation: name,
        message: `${provider} ${name}: the request could not be built (${error instanceof Error ? error.name : typeof error})`,
      });
    }
    // A copy of a prepared object: adding Content-Type to a copy on every call costs more.
    const headers = { ...(serialized === undefined ? state.headers : typedHeaders) };
    if (callOptions.headers) {
      mergeHeaders(headers, callOptions.headers);
      // The body's Content-Type wins over the call's headers.
      if (serialized !== undefined) headers["content-type"] = contentType;
    }
    if (params.header) mergeHeaders(headers, params.header as Record<string, unknown>);

    // The caller's signal and timeout go to the transport as call context, not on the request
    // (undici can lose the abort of a copied Request's signal after GC: nodejs/undici#4068).
    const response = await transport(
      { url, method, headers, body: serialized ?? null, signal: null },
      {
        provider,
        operation: name,
        idempotent: op.idempotent,
        signal,
        timeoutMs,
        retries,
        onAttempt,
      },
    );
    const text = heldText(response);
    if (!response.ok) {
      // This call's sensitive values are looked up only when there is an answer to redact.
      const secrets = callSecrets(
        state.secrets,
        opValidation,
        bodySchema,
        params,
        body,
        callOptions.headers,
      );
      throw errorFromResponse(provider, name, response, parseError(text), secrets);
    }
    const data = parseSuccess(provider, name, response, text);
    if (checkResponse) checkResponse(name, opValidation, response, data);
    return { data, response };
  };
}

/** The query serializer of a client whose operations declare no query parameters. */
function noQuery(provider: string, name: string) {
  return (query: Record<string, unknown>): string => {
    for (const key in query)
      if (query[key] !== undefined)
        throw invalid(provider, `${name}: the operation takes no query parameters`, name);
    return "";
  };
}

/**
 * Later headers over earlier ones, names case-insensitive (kept lower-cased); `null` removes a
 * header, `undefined` leaves it as it was.
 */
function mergeHeaders(into: Record<string, string>, headers: Record<string, unknown>): void {
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value === undefined) continue;
    if (value === null) delete into[name.toLowerCase()];
    else into[name.toLowerCase()] = String(value);
  }
}
