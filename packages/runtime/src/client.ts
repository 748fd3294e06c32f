/**
 * `createApiClient(definition, options)`: the engine under every generated `create<P>Client`.
 * The generated package supplies a `definition` (environments, auth schemes, client headers,
 * operations) and the precise types; this file does auth, base URLs, client headers, body
 * serialization, path-parameter safety, and turns every failure into a `CustkitError`.
 *
 * Every HTTP request leaves through one function, `send(request, ctx)` (see `createSend`); that is
 * the seam where the transport (retries, timeouts, hooks) plugs in.
 */
import createClient, { type Client } from "openapi-fetch";
import {
  AbortedError,
  CustkitError,
  errorClassForStatus,
  InvalidResponseError,
  isRetryableStatus,
  NetworkError,
  RateLimitError,
  TimeoutError,
  ValidationError,
} from "./errors.js";
import { registerSecrets } from "./redact.js";
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

/** What `send` is told about the request it carries. */
export interface SendContext {
  provider: string;
  operation: string;
  idempotent: boolean;
  /** Per-call timeout asked for by the caller (already applied to `request.signal`). */
  timeoutMs?: number;
}

export type Send = (request: Request, ctx: SendContext) => Promise<Response>;

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
  /** Abort the call (as a `TimeoutError`) after this many milliseconds. */
  timeoutMs?: number;
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

const CRLF = /[\r\n\0]/;

function credential(provider: string, options: ApiClientOptions, name: string): string | undefined {
  const value = options[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value === "")
    throw invalid(provider, `option "${name}" must be a non-empty string`);
  if (CRLF.test(value)) throw invalid(provider, `option "${name}" must not contain line breaks`);
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
      registerSecrets(password, encoded);
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
    if (CRLF.test(text))
      throw invalid(definition.provider, `option "${option}" must not contain line breaks`);
    out[def.header] = text;
  }
  return out;
}

/**
 * The single function every request goes through. Today: the caller's fetch or the global one.
 * The transport (retries, timeouts, hooks) replaces this body: `createTransport(options)` has the
 * same `(request, ctx)` signature.
 */
export function createSend(options: Pick<BaseClientOptions, "fetch">): Send {
  const fetchImpl = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  return (request) => fetchImpl(request);
}

/** Path parameter serializer: every value percent-encoded so it stays inside its segment. */
function pathSerializer(provider: string, operation: string) {
  return (url: string, params: Record<string, unknown>): string =>
    url.replace(/\{([^{}]+)\}/g, (match, name: string) => {
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
      return encodeURIComponent(text) || match;
    });
}

function requestIdOf(response: Response): string | undefined {
  return response.headers.get("x-request-id") ?? response.headers.get("request-id") ?? undefined;
}

function retryAfterMs(response: Response): number | undefined {
  const value = response.headers.get("retry-after");
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - Date.now());
}

/** The `CustkitError` for a non-2xx answer. `body` is openapi-fetch's `error`: parsed JSON, text or undefined. */
export function errorFromResponse(
  provider: string,
  operation: string,
  response: Response,
  body: unknown,
): CustkitError {
  const info = parseVendorError(body);
  const ErrorClass = errorClassForStatus(response.status);
  const init = {
    provider,
    operation,
    status: response.status,
    message: `${provider} ${operation}: HTTP ${response.status}${info.vendorMessage ? `: ${info.vendorMessage}` : ""}`,
    vendorCode: info.vendorCode,
    vendorMessage: info.vendorMessage,
    fieldErrors: info.fieldErrors,
    requestId: requestIdOf(response),
    retryable: isRetryableStatus(response.status),
  };
  if (ErrorClass === RateLimitError)
    return new RateLimitError({ ...init, retryAfterMs: retryAfterMs(response) });
  return new ErrorClass(init);
}

function parseSuccess(
  provider: string,
  operation: string,
  response: Response,
  text: unknown,
): unknown {
  if (text === undefined || text === null) return undefined;
  if (typeof text !== "string") return text;
  if (text.trim() === "") return undefined;
  const contentType = response.headers.get("content-type");
  if (contentType !== null && !isJsonMediaType(contentType)) return text;
  try {
    return JSON.parse(text);
  } catch (cause) {
    return Promise.reject(
      new InvalidResponseError({
        provider,
        operation,
        status: response.status,
        requestId: requestIdOf(response),
        message: `${provider} ${operation}: HTTP ${response.status} answer is not valid JSON`,
        cause,
      }),
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

function isAbortLike(error: unknown): boolean {
  return error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError");
}

/**
 * Build a client: one method per operation of `definition`, plus `raw` (the openapi-fetch client,
 * with auth, client headers and the same `send`).
 */
export function createApiClient<Paths extends object>(
  definition: ApiDefinition,
  options: ApiClientOptions,
): ApiClient<Paths> {
  const { provider } = definition;
  if (typeof options !== "object" || options === null)
    throw invalid(provider, "options must be an object");
  const baseUrl = resolveBaseUrl(definition, options);
  const headers: Record<string, string> = {
    ...(options.headers ?? {}),
    ...resolveClientHeaders(definition, options),
    ...resolveAuthHeaders(definition, options),
  };
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (typeof value !== "string" || CRLF.test(value))
      throw invalid(provider, `option "headers.${name}" is not a valid header value`);
  }
  const send = createSend(options);
  const raw = createClient<Paths>({
    baseUrl,
    headers,
    fetch: (request: Request) =>
      send(request, {
        provider,
        operation: "raw",
        idempotent: ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"].includes(request.method),
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
    const body = init.body;
    if (op.bodyRequired && body === undefined)
      throw invalid(provider, `${name}: a request body is required`, name);
    const pathParams = ((init.params as Record<string, unknown> | undefined)?.path ?? {}) as Record<
      string,
      unknown
    >;
    pathSerializer(provider, name)(op.path, pathParams); // throws on a missing or empty path parameter
    const contentType = pickContentType(provider, name, op, callOptions.contentType);
    const bodySerializer = serializerFor(provider, name, op, contentType);

    // One controller per call, held strongly here (AbortSignal.timeout/any can be collected before
    // they fire when only a Request follows them).
    let controller: AbortController | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let timedOut = false;
    const userSignal = callOptions.signal;
    const onUserAbort = () => controller?.abort(userSignal?.reason);
    if (callOptions.timeoutMs !== undefined && !(callOptions.timeoutMs > 0)) {
      throw invalid(provider, `${name}: option "timeoutMs" must be a positive number`, name);
    }
    if (userSignal || callOptions.timeoutMs !== undefined) {
      controller = new AbortController();
      if (userSignal?.aborted) controller.abort(userSignal.reason);
      else userSignal?.addEventListener("abort", onUserAbort, { once: true });
      if (callOptions.timeoutMs !== undefined) {
        timer = setTimeout(() => {
          timedOut = true;
          controller?.abort(
            new DOMException(`timed out after ${callOptions.timeoutMs} ms`, "TimeoutError"),
          );
        }, callOptions.timeoutMs);
      }
    }
    const signal = controller?.signal;
    const ctx: SendContext = { provider, operation: name, idempotent: op.idempotent };
    if (callOptions.timeoutMs !== undefined) ctx.timeoutMs = callOptions.timeoutMs;

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
          fetch: (request: Request) => send(request, ctx),
          ...(signal ? { signal } : {}),
        } as never,
      );
    } catch (error) {
      if (error instanceof CustkitError) throw error;
      if (timedOut || (error instanceof Error && error.name === "TimeoutError")) {
        throw new TimeoutError({
          provider,
          operation: name,
          retryable: op.idempotent,
          message: `${provider} ${name}: timed out`,
          cause: error,
        });
      }
      if (callOptions.signal?.aborted || isAbortLike(error)) {
        throw new AbortedError({
          provider,
          operation: name,
          message: `${provider} ${name}: aborted`,
          cause: error,
        });
      }
      const reason = error instanceof Error ? error.message : String(error);
      throw new NetworkError({
        provider,
        operation: name,
        retryable: op.idempotent,
        message: `${provider} ${name}: request failed: ${reason}`,
        cause: error,
      });
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      userSignal?.removeEventListener("abort", onUserAbort);
    }
    const { response } = result;
    if (!response.ok) throw errorFromResponse(provider, name, response, result.error);
    const data = await parseSuccess(provider, name, response, result.data);
    return { data, response };
  };

  const client: ApiClient<Paths> = { raw, definition, baseUrl };
  for (const [name, op] of Object.entries(definition.operations)) {
    client[name] = (init?: Record<string, unknown>, callOptions?: CallOptions) =>
      call(name, op, init, callOptions);
  }
  return client;
}
