/**
 * `createApiClient(definition, options, validation)`: the engine under every generated
 * `create<P>Client`. The generated package supplies a `definition` (environments, auth schemes,
 * client headers, operations), the constraint tree of each operation (`validation`) and the
 * precise types; this file does auth, base URLs, client headers, request validation, body
 * serialization, parameter safety, and turns every failure into a `CustkitError`.
 *
 * Every HTTP request leaves through one transport per client (`./transport`): retries, per-attempt
 * and total timeouts, the caller's AbortSignal, bounded bodies and redacted hooks live there.
 */
import createClient, { type Client } from "openapi-fetch";
import {
  CustkitError,
  errorClassForStatus,
  type FieldError,
  InvalidResponseError,
  isRetryableStatus,
  RateLimitError,
  ValidationError,
} from "./errors.js";
import { redactText, registerSecrets, secretVariants } from "./redact.js";
import {
  baseMediaType,
  isFormMediaType,
  isJsonMediaType,
  isXmlMediaType,
  JSON_MEDIA_TYPE,
  serializeForm,
  serializeJson,
  serializeXml,
} from "./serializers.js";
import { createTransport, type TransportHooks } from "./transport/index.js";
import { requestIdOf } from "./transport/request-id.js";
import type { RetryOptions } from "./transport/retry.js";
import { retryAfterMs } from "./transport/retry-after.js";
import {
  type OperationValidation,
  type Schema,
  sensitiveValues,
  type ValidationTable,
  validateValue,
} from "./validate.js";
import { parseVendorError } from "./vendor-error.js";

// ---------------------------------------------------------------------------------------------
// Definition (emitted by the codegen as a const in each generated client.ts)

export type HttpMethod = "get" | "put" | "post" | "delete" | "patch" | "head" | "options" | "trace";

export interface ServerVariableDefinition {
  readonly default: string;
  readonly enum?: readonly string[];
  readonly description?: string;
}

export interface EnvironmentDefinition {
  readonly url: string;
  readonly variables?: Readonly<Record<string, ServerVariableDefinition>>;
}

export type AuthSchemeDefinition =
  | { readonly name: string; readonly kind: "bearer" }
  | { readonly name: string; readonly kind: "basic" }
  | { readonly name: string; readonly kind: "apiKey"; readonly header: string };

export interface ClientHeaderDefinition {
  readonly header: string;
  readonly required: boolean;
  readonly description?: string;
}

export interface OperationDefinition {
  readonly method: HttpMethod;
  readonly path: string;
  readonly idempotent: boolean;
  readonly bodyRequired: boolean;
  /** Request body media types the spec declares, in spec order. */
  readonly mediaTypes: readonly string[];
  /** Root element name for XML bodies (the body schema's `xml.name`). */
  readonly xmlRoot?: string;
}

export interface ApiDefinition {
  readonly provider: string;
  readonly environments: Readonly<Record<string, EnvironmentDefinition>>;
  readonly defaultEnvironment: string;
  /** In preference order: with credentials for several, the first wins. */
  readonly auth: readonly AuthSchemeDefinition[];
  /** Option name → header. */
  readonly clientHeaders: Readonly<Record<string, ClientHeaderDefinition>>;
  readonly operations: Readonly<Record<string, OperationDefinition>>;
}

// ---------------------------------------------------------------------------------------------
// Options

export interface BearerAuthOptions {
  /** Bearer token, sent as `Authorization: Bearer <token>`. */
  token: string;
}
export interface BasicAuthOptions {
  /** HTTP Basic user. */
  username: string;
  /** HTTP Basic password. */
  password: string;
}
export interface ApiKeyAuthOptions {
  /** API key, sent in the header the spec declares. */
  apiKey: string;
}

export interface BaseClientOptions<Env extends string = string, Vars extends string = string> {
  /** A named environment; default: the provider's default environment. */
  environment?: Env;
  /** Overrides `environment` (mock servers, proxies). */
  baseUrl?: string;
  /** Values for templated server URLs, checked against the spec's enums. */
  serverVariables?: Partial<Record<Vars, string>>;
  /** The fetch used beneath the client (the transport wraps it). Default: `globalThis.fetch`. */
  fetch?: (request: Request) => Promise<Response>;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
  /**
   * Retries of operations that are safe to repeat (provider.yaml `idempotent`), on network
   * errors, 408, 429 and 5xx, with full-jitter backoff and Retry-After honoured up to a cap.
   * Default: 2 retries, 500 ms → 8 s. `false` turns them off.
   */
  retries?: RetryOptions | false;
  /** Per attempt, from sending until the body is read. Default 60_000. */
  timeoutMs?: number;
  /** The whole call, retries and waits included. Default: none. */
  totalTimeoutMs?: number;
  /** Largest response body read (InvalidResponseError beyond). Default 10 MiB. */
  maxResponseBytes?: number;
  /** Observers of every attempt; they see redacted URLs and headers only. */
  hooks?: TransportHooks;
  /**
   * Check parameters and bodies against the spec's constraints before sending (ValidationError
   * with field errors, nothing sent). Default true. Header, path and query safety checks stay on.
   */
  validate?: boolean;
}

/** The options `createApiClient` reads; generated packages narrow them per provider. */
export interface ApiClientOptions extends BaseClientOptions {
  token?: string;
  username?: string;
  password?: string;
  apiKey?: string;
  [clientHeader: string]: unknown;
}

export interface CallOptions<Media extends string = string> {
  /** Request body media type; default JSON when the operation takes it, else its first one. */
  contentType?: Media;
  signal?: AbortSignal;
  /** Per-attempt timeout for this call (a `TimeoutError` when it passes). */
  timeoutMs?: number;
  /** Retry options for this call; `false`: no retries. */
  retries?: RetryOptions | false;
  /** Extra headers for this call only. */
  headers?: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------
// Operation types, derived from openapi-typescript's `paths[path][method]`

type Defined<T> = Exclude<T, undefined>;
type IsNever<T> = [T] extends [never] ? true : false;
type Simplify<T> = { [K in keyof T]: T[K] };
type EmptyObject = Record<never, never>;
type RequiredKeys<T> = { [K in keyof T]-?: EmptyObject extends Pick<T, K> ? never : K }[keyof T];
type HasRequired<T> = IsNever<RequiredKeys<T>> extends true ? false : true;

type ParamGroup<Op, G extends string> = Op extends { parameters: infer P }
  ? G extends keyof P
    ? Defined<P[G]>
    : never
  : never;
type HeaderGroup<Op, Omitted extends string> =
  ParamGroup<Op, "header"> extends infer H
    ? IsNever<H> extends true
      ? never
      : Omit<H, Omitted>
    : never;
type Group<K extends string, T> =
  IsNever<T> extends true
    ? EmptyObject
    : IsNever<keyof T> extends true
      ? EmptyObject
      : HasRequired<T> extends true
        ? { [P in K]: Simplify<T> }
        : { [P in K]?: Simplify<T> };
type ParamsObject<Op, Omitted extends string> = Simplify<
  Group<"path", ParamGroup<Op, "path">> &
    Group<"query", ParamGroup<Op, "query">> &
    Group<"header", HeaderGroup<Op, Omitted>>
>;

type RequestBodyOf<Op> = Op extends { requestBody?: infer B } ? Defined<B> : never;
type BodyContent<Op> = RequestBodyOf<Op> extends { content: infer C } ? C : never;
/** Request body media types of an operation. */
export type OperationMediaType<Op> = keyof BodyContent<Op> & string;
/** Request body of an operation, in any of its media types. */
export type OperationBody<Op> = BodyContent<Op>[OperationMediaType<Op>];
/** Request body of an operation in its JSON media type (else its first one). */
export type OperationJsonBody<Op> = "application/json" extends keyof BodyContent<Op>
  ? BodyContent<Op>["application/json"]
  : OperationBody<Op>;
type BodyInit<Op> =
  IsNever<OperationBody<Op>> extends true
    ? EmptyObject
    : EmptyObject extends Pick<Op, "requestBody" & keyof Op>
      ? { body?: OperationBody<Op> }
      : { body: OperationBody<Op> };

/** The first argument of an operation method: openapi-fetch's init without path literals. */
export type OperationInit<Op, Omitted extends string = never> = Simplify<
  Group<"params", ParamsObject<Op, Omitted>> & BodyInit<Op>
>;

type SuccessStatus = 200 | 201 | 202 | 203 | 204 | 205 | 206 | 207 | 208 | 226 | "2XX";
type ResponsesOf<Op> = Op extends { responses: infer R } ? R : never;
type ContentOf<R> = R extends { content: infer C }
  ? C extends object
    ? C[keyof C]
    : undefined
  : undefined;
/** The 2xx response body of an operation. */
export type OperationData<Op> = {
  [S in keyof ResponsesOf<Op>]: S extends SuccessStatus ? ContentOf<ResponsesOf<Op>[S]> : never;
}[keyof ResponsesOf<Op>];

export interface OperationResult<Op> {
  data: OperationData<Op>;
  response: Response;
}

/** One generated method: `client.updateCustomer(init, options)`. */
export type OperationMethod<Op, Omitted extends string = never> =
  HasRequired<OperationInit<Op, Omitted>> extends true
    ? (
        init: OperationInit<Op, Omitted>,
        options?: CallOptions<OperationMediaType<Op>>,
      ) => Promise<OperationResult<Op>>
    : (
        init?: OperationInit<Op, Omitted>,
        options?: CallOptions<OperationMediaType<Op>>,
      ) => Promise<OperationResult<Op>>;

// biome-ignore lint/suspicious/noExplicitAny: openapi-fetch's paths constraint
export type RawClient<Paths extends object> = Client<Paths, any>;

export interface ApiClient<Paths extends object> {
  readonly raw: RawClient<Paths>;
  readonly definition: ApiDefinition;
  readonly baseUrl: string;
  [operation: string]: unknown;
}

// ---------------------------------------------------------------------------------------------
// Implementation

function invalid(provider: string, message: string, operation?: string): ValidationError {
  return new ValidationError({ provider, operation, message: `${provider}: ${message}` });
}

/** What a header value may hold: visible ASCII, space, tab and Latin-1 (fetch refuses the rest). */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function credential(provider: string, options: ApiClientOptions, name: string): string | undefined {
  const value = options[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value === "")
    throw invalid(provider, `option "${name}" must be a non-empty string`);
  if (!HEADER_VALUE.test(value))
    throw invalid(provider, `option "${name}" must not contain line breaks or control characters`);
  return value;
}

function base64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** The auth headers for the first scheme (in preference order) the options hold credentials for. */
export function resolveAuthHeaders(
  definition: ApiDefinition,
  options: ApiClientOptions,
): Record<string, string> {
  const { provider, auth } = definition;
  if (auth.length === 0) return {};
  const token = credential(provider, options, "token");
  const username = credential(provider, options, "username");
  const password = credential(provider, options, "password");
  const apiKey = credential(provider, options, "apiKey");
  for (const scheme of auth) {
    if (scheme.kind === "bearer" && token !== undefined) {
      registerSecrets(token);
      return { Authorization: `Bearer ${token}` };
    }
    if (scheme.kind === "basic" && (username !== undefined || password !== undefined)) {
      if (username === undefined || password === undefined) {
        throw invalid(
          provider,
          `options "username" and "password" must be given together (HTTP Basic)`,
        );
      }
      if (username.includes(":"))
        throw invalid(provider, `option "username" must not contain ":" (HTTP Basic)`);
      const encoded = base64Utf8(`${username}:${password}`);
      registerSecrets(username, password, encoded);
      return { Authorization: `Basic ${encoded}` };
    }
    if (scheme.kind === "apiKey" && apiKey !== undefined) {
      registerSecrets(apiKey);
      return { [scheme.header]: apiKey };
    }
  }
  const wanted = auth
    .map((s) =>
      s.kind === "bearer" ? `"token"` : s.kind === "basic" ? `"username" + "password"` : `"apiKey"`,
    )
    .join(" or ");
  throw invalid(provider, `missing credentials: give option ${wanted}`);
}

const SAFE_SERVER_VALUE = /^[A-Za-z0-9](?:[A-Za-z0-9._~-]*[A-Za-z0-9_~-])?$/;

/** The base URL from `baseUrl`, or the environment's server URL with its variables filled in. */
export function resolveBaseUrl(definition: ApiDefinition, options: BaseClientOptions): string {
  const { provider } = definition;
  if (options.baseUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw invalid(provider, `option "baseUrl" is not a valid URL`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw invalid(provider, `option "baseUrl" must be an http(s) URL`);
    }
    if (url.search || url.hash)
      throw invalid(provider, `option "baseUrl" must not have a query or fragment`);
    return options.baseUrl.replace(/\/+$/, "");
  }
  const names = Object.keys(definition.environments);
  const envName = options.environment ?? definition.defaultEnvironment;
  const env = Object.hasOwn(definition.environments, envName)
    ? definition.environments[envName]
    : undefined;
  if (!env) {
    throw invalid(
      provider,
      `option "environment" must be one of ${names.map((n) => `"${n}"`).join(", ")}; got "${envName}"`,
    );
  }
  const declared = env.variables ?? {};
  const given = options.serverVariables ?? {};
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(declared, name)) {
      throw invalid(
        provider,
        `option "serverVariables.${name}" is not a variable of environment "${envName}"`,
      );
    }
  }
  const url = env.url.replace(/\{([^{}]+)\}/g, (_, name: string) => {
    const variable = declared[name];
    if (!variable)
      throw invalid(provider, `environment "${envName}" uses undeclared server variable "${name}"`);
    const raw = (given as Record<string, unknown>)[name];
    const value = raw === undefined ? variable.default : raw;
    if (typeof value !== "string")
      throw invalid(provider, `option "serverVariables.${name}" must be a string`);
    if (variable.enum && !variable.enum.includes(value)) {
      throw invalid(
        provider,
        `option "serverVariables.${name}" must be one of ${variable.enum.map((v) => `"${v}"`).join(", ")}; got "${value}"`,
      );
    }
    if (!SAFE_SERVER_VALUE.test(value)) {
      throw invalid(
        provider,
        `option "serverVariables.${name}" may only hold letters, digits, ".", "_", "~" and "-"`,
      );
    }
    return encodeURIComponent(value);
  });
  return url.replace(/\/+$/, "");
}

function resolveClientHeaders(
  definition: ApiDefinition,
  options: ApiClientOptions,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [option, def] of Object.entries(definition.clientHeaders)) {
    const value = options[option];
    if (value === undefined || value === null || value === "") {
      if (def.required)
        throw invalid(
          definition.provider,
          `missing required option "${option}" (header ${def.header})`,
        );
      continue;
    }
    if (typeof value !== "string" && typeof value !== "number") {
      throw invalid(definition.provider, `option "${option}" must be a string or a number`);
    }
    const text = String(value);
    if (!HEADER_VALUE.test(text))
      throw invalid(
        definition.provider,
        `option "${option}" must not contain line breaks or control characters`,
      );
    out[def.header] = text;
  }
  return out;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Text that can be percent-encoded (no lone surrogates). */
const wellFormed = (text: string) => !LONE_SURROGATE.test(text);

/** A path parameter as text, percent-encoded so it stays inside its segment (RFC 3986 unreserved only). */
function encodeSegment(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Path parameter serializer: every value percent-encoded so it stays inside its segment. */
function pathSerializer(provider: string, operation: string) {
  return (url: string, params: Record<string, unknown>): string =>
    url.replace(/\{([^{}]+)\}/g, (_match, name: string) => {
      const value = params[name];
      if (value === undefined || value === null) {
        throw invalid(provider, `missing path parameter "${name}"`, operation);
      }
      if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
        throw invalid(provider, `path parameter "${name}" must be a string or a number`, operation);
      }
      const text = String(value);
      if (text === "")
        throw invalid(provider, `path parameter "${name}" must not be empty`, operation);
      // URL parsing resolves "." and ".." segments (even percent-encoded ones) away: refuse them.
      if (text === "." || text === "..")
        throw invalid(provider, `path parameter "${name}" must not be "${text}"`, operation);
      if (!wellFormed(text))
        throw invalid(provider, `path parameter "${name}" is not well-formed text`, operation);
      return encodeSegment(text);
    });
}

/**
 * The `CustkitError` for a non-2xx answer. `body` is openapi-fetch's `error`: parsed JSON, text or
 * undefined. `secrets` (this call's sensitive values) are redacted from everything the vendor echoed.
 */
export function errorFromResponse(
  provider: string,
  operation: string,
  response: Response,
  body: unknown,
  secrets: readonly string[] = [],
): CustkitError {
  const info = parseVendorError(body);
  const clean = (text: string | undefined) =>
    text === undefined ? undefined : redactText(text, secrets);
  const vendorMessage = clean(info.vendorMessage);
  const ErrorClass = errorClassForStatus(response.status);
  const init = {
    provider,
    operation,
    status: response.status,
    message: `${provider} ${operation}: HTTP ${response.status}${vendorMessage ? `: ${vendorMessage}` : ""}`,
    vendorCode: clean(info.vendorCode),
    vendorMessage,
    fieldErrors: info.fieldErrors.map((e) => ({
      ...e,
      field: redactText(e.field, secrets),
      reason: redactText(e.reason, secrets),
    })),
    requestId: requestIdOf(response.headers),
    retryable: isRetryableStatus(response.status),
  };
  if (ErrorClass === RateLimitError)
    return new RateLimitError({ ...init, retryAfterMs: retryAfterMs(response.headers) });
  return new ErrorClass(init);
}

/**
 * The 2xx body: JSON parsed (also when mislabelled as text), XML as text, nothing for an empty
 * body. An HTML page or unreadable JSON is an InvalidResponseError (its text is not quoted: it
 * may echo personal data).
 */
function parseSuccess(
  provider: string,
  operation: string,
  response: Response,
  text: unknown,
): unknown {
  if (typeof text !== "string") return text ?? undefined;
  if (text.trim() === "") return undefined;
  const contentType = baseMediaType(response.headers.get("content-type") ?? "");
  if (isXmlMediaType(contentType)) return text;
  const fail = (what: string) =>
    new InvalidResponseError({
      provider,
      operation,
      status: response.status,
      requestId: requestIdOf(response.headers),
      message: `${provider} ${operation}: HTTP ${response.status} answer ${what}`,
    });
  if (contentType === "text/html") throw fail("is an HTML page, not the API's JSON");
  try {
    return JSON.parse(text);
  } catch {
    throw fail(
      `is not valid JSON${contentType && !isJsonMediaType(contentType) ? ` (content type ${contentType})` : ""}`,
    );
  }
}

function pickContentType(
  provider: string,
  name: string,
  op: OperationDefinition,
  asked: string | undefined,
): string {
  if (asked === undefined) {
    return op.mediaTypes.find((m) => isJsonMediaType(m)) ?? op.mediaTypes[0] ?? JSON_MEDIA_TYPE;
  }
  if (typeof asked !== "string" || !HEADER_VALUE.test(asked))
    throw invalid(provider, `option "contentType" is not a valid media type`, name);
  if (
    op.mediaTypes.length > 0 &&
    !op.mediaTypes.some((m) => baseMediaType(m) === baseMediaType(asked))
  ) {
    throw invalid(
      provider,
      `operation ${name} does not take content type "${asked}"; it takes ${op.mediaTypes.map((m) => `"${m}"`).join(", ")}`,
      name,
    );
  }
  return asked;
}

function serializerFor(
  provider: string,
  name: string,
  op: OperationDefinition,
  contentType: string,
) {
  if (isFormMediaType(contentType)) return (body: unknown) => serializeForm(body, provider);
  if (isXmlMediaType(contentType))
    return (body: unknown) => serializeXml(body, op.xmlRoot ?? "item", provider);
  if (isJsonMediaType(contentType)) return serializeJson;
  throw invalid(provider, `no serializer for content type "${contentType}"`, name);
}

/** Headers a caller may not set per call: they would change how the request is framed or routed. */
const FRAMING_HEADERS =
  /^(host|content-length|transfer-encoding|connection|upgrade|te|trailer|keep-alive|expect)$/i;
/** Header names whose values are credentials: redacted from this call's errors. */
const SECRET_HEADER = /authorization|token|secret|passw|api-?key|cookie|session|credential/i;

/** Problems with header values (CR/LF, NUL, controls, characters fetch cannot send) and names. */
function headerProblems(
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

/** Query values must be text that can be percent-encoded (no lone surrogates) or numbers/booleans. */
function queryProblems(value: unknown, field: string, out: FieldError[], depth = 0): void {
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

function findBodySchema(
  validation: OperationValidation | undefined,
  contentType: string,
): Schema | undefined {
  if (!validation?.body) return undefined;
  const base = baseMediaType(contentType);
  for (const [media, schema] of Object.entries(validation.body))
    if (baseMediaType(media) === base) return schema;
  return undefined;
}

/** This call's values to keep out of errors: sensitive body fields and credential headers. */
function callSecrets(
  validation: OperationValidation | undefined,
  bodySchema: Schema | undefined,
  params: Record<string, unknown>,
  body: unknown,
  headers: Record<string, unknown> | undefined,
): string[] {
  const values = sensitiveValues(bodySchema, body);
  for (const where of ["path", "query", "header"] as const)
    sensitiveValues(validation?.[where], params[where], values);
  for (const [name, value] of Object.entries(headers ?? {}))
    if (SECRET_HEADER.test(name) && typeof value === "string") values.push(value);
  const out = new Set<string>();
  for (const v of values) if (v.length >= 4) for (const form of secretVariants(v)) out.add(form);
  return [...out];
}

const IDEMPOTENT_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"];

/**
 * Build a client: one method per operation of `definition`, plus `raw` (the openapi-fetch client,
 * with auth, client headers and the same transport). `validation` holds each operation's
 * constraints, emitted by the codegen.
 */
export function createApiClient<Paths extends object>(
  definition: ApiDefinition,
  options: ApiClientOptions,
  validation: ValidationTable = {},
): ApiClient<Paths> {
  const { provider } = definition;
  if (typeof options !== "object" || options === null)
    throw invalid(provider, "options must be an object");
  const baseUrl = resolveBaseUrl(definition, options);
  const optionProblems: FieldError[] = [];
  headerProblems(options.headers, "options.headers", optionProblems);
  if (optionProblems.length > 0)
    throw invalid(
      provider,
      `option "headers": ${optionProblems.map((e) => `${e.field} ${e.reason}`).join("; ")}`,
    );
  const headers: Record<string, string> = {
    ...(options.headers ?? {}),
    ...resolveClientHeaders(definition, options),
    ...resolveAuthHeaders(definition, options),
  };
  for (const [name, value] of Object.entries(options.headers ?? {}))
    if (SECRET_HEADER.test(name)) registerSecrets(value);
  for (const key of ["timeoutMs", "totalTimeoutMs", "maxResponseBytes"] as const) {
    const value = options[key];
    if (value !== undefined && !(typeof value === "number" && value > 0))
      throw invalid(provider, `option "${key}" must be a positive number`);
  }
  const transport = createTransport({
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.hooks ? { hooks: options.hooks } : {}),
    ...(options.retries !== undefined ? { retries: options.retries } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.totalTimeoutMs !== undefined ? { totalTimeoutMs: options.totalTimeoutMs } : {}),
    ...(options.maxResponseBytes !== undefined
      ? { maxResponseBytes: options.maxResponseBytes }
      : {}),
  });
  const validating = options.validate !== false;
  const raw = createClient<Paths>({
    baseUrl,
    headers,
    fetch: (request: Request) =>
      transport(request, {
        provider,
        operation: "raw",
        idempotent: IDEMPOTENT_METHODS.includes(request.method),
      }),
  }) as RawClient<Paths>;

  const call = async (
    name: string,
    op: OperationDefinition,
    init: Record<string, unknown> = {},
    callOptions: CallOptions = {},
  ) => {
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
    const contentType = pickContentType(provider, name, op, callOptions.contentType);
    const bodySerializer = serializerFor(provider, name, op, contentType);
    if (callOptions.timeoutMs !== undefined && !(callOptions.timeoutMs > 0)) {
      throw invalid(provider, `${name}: option "timeoutMs" must be a positive number`, name);
    }

    // Safety (always on): nothing a caller passes may add headers or escape its slot.
    const problems: FieldError[] = [];
    headerProblems(params.header as Record<string, unknown> | undefined, "header", problems);
    headerProblems(callOptions.headers, "headers", problems);
    queryProblems(params.query, "query", problems);
    // Constraints from the spec (opt-out with `validate: false`).
    const opValidation = validation[name];
    const bodySchema = findBodySchema(opValidation, contentType);
    if (validating && opValidation) {
      for (const where of ["path", "query", "header"] as const) {
        const schema = opValidation[where];
        if (schema) validateValue(schema, params[where] ?? {}, where, problems, true);
      }
      if (bodySchema && body !== undefined) validateValue(bodySchema, body, "body", problems);
    }
    if (problems.length > 0) {
      throw new ValidationError({
        provider,
        operation: name,
        message: `${provider} ${name}: invalid request: ${problems.map((e) => `${e.field} ${e.reason}`).join("; ")}`,
        fieldErrors: problems,
      });
    }
    // Path values must stay in their segment: throws on a missing, empty, "." or ".." value.
    pathSerializer(provider, name)(op.path, (params.path ?? {}) as Record<string, unknown>);
    const secrets = callSecrets(opValidation, bodySchema, params, body, callOptions.headers);

    let handedOver = false;
    let result: { data?: unknown; error?: unknown; response: Response };
    try {
      result = await raw.request(
        op.method as never,
        op.path as never,
        {
          ...(init as object),
          headers: {
            ...(callOptions.headers ?? {}),
            ...(body === undefined ? {} : { "Content-Type": contentType }),
          },
          bodySerializer,
          pathSerializer: pathSerializer(provider, name),
          parseAs: "text",
          // The caller's signal and timeout go to the transport directly, not via request.signal
          // (undici can lose the abort of a copied Request's signal after GC: nodejs/undici#4068).
          fetch: (request: Request) => {
            handedOver = true;
            return transport(request, {
              provider,
              operation: name,
              idempotent: op.idempotent,
              ...(callOptions.signal ? { signal: callOptions.signal } : {}),
              ...(callOptions.timeoutMs !== undefined ? { timeoutMs: callOptions.timeoutMs } : {}),
              ...(callOptions.retries !== undefined ? { retries: callOptions.retries } : {}),
            });
          },
        } as never,
      );
    } catch (error) {
      if (error instanceof CustkitError) throw error;
      // Not ours: building the request failed (before sending) or openapi-fetch failed reading an
      // already buffered answer. The original error is not attached: its message may quote values.
      const ErrorClass = handedOver ? InvalidResponseError : ValidationError;
      throw new ErrorClass({
        provider,
        operation: name,
        message: `${provider} ${name}: ${handedOver ? "the answer could not be read" : "the request could not be built"} (${error instanceof Error ? error.name : typeof error})`,
      });
    }
    const { response } = result;
    if (!response.ok) throw errorFromResponse(provider, name, response, result.error, secrets);
    const data = parseSuccess(provider, name, response, result.data);
    return { data, response };
  };

  const client: ApiClient<Paths> = { raw, definition, baseUrl };
  for (const [name, op] of Object.entries(definition.operations)) {
    client[name] = (init?: Record<string, unknown>, callOptions?: CallOptions) =>
      call(name, op, init, callOptions);
  }
  return client;
}
