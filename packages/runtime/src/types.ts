/**
 * The shapes shared by the runtime and the generated clients: the definition the codegen emits
 * (environments, auth schemes, client headers, operations), the options of a client and of a
 * call, and the operation types derived from openapi-typescript's `paths[path][method]`.
 * Types only: nothing here reaches a bundle.
 */
import type { Client } from "openapi-fetch";
import type { FieldError } from "./errors.js";
import type { RateLimitOptions } from "./rate-limit/index.js";
import type { ResponseHooks, ResponseValidationMode } from "./response-check.js";
import type { TransportHooks } from "./transport/hooks.js";
import type { AttemptReport, Fetch } from "./transport/index.js";
import type { RetryOptions } from "./transport/retry.js";

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
  /**
   * Allow a plain `http:` base URL or environment to a host other than loopback (127.0.0.0/8,
   * ::1, localhost). Without it such a client is refused when created: its credentials and
   * customer data would cross the network in clear text. Default false.
   */
  allowInsecureHttp?: boolean;
  /** Values for templated server URLs, checked against the spec's enums. */
  serverVariables?: Partial<Record<Vars, string>>;
  /**
   * The fetch used beneath the client (the transport wraps it). Default: `globalThis.fetch`.
   * Called like the global one, `fetch(url, { method, headers, body, redirect, signal })`, once
   * per attempt: headers a plain object, body the serialized value sent as is on every retry.
   */
  fetch?: Fetch;
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
  /**
   * Observers of every attempt; they see redacted URLs and headers only. `onResponseMismatch`
   * observes answers that differ from the spec (with `validateResponses`).
   */
  hooks?: TransportHooks & ResponseHooks;
  /**
   * Requests per second to this provider (`burst` together, default perSecond/5), counted by
   * rate-limiter-flexible. Whatever is set here, a vendor's 429/503 with Retry-After or
   * rate-limit headers at zero pause every request of this client until the reset.
   */
  rateLimit?: RateLimitOptions;
  /**
   * How many redirects per request to follow, and only 307/308 to the request's own origin (they
   * keep method, headers and body). Default 0: every 3xx answer is a `RedirectError` (kind
   * `redirect`), never a success, never retried; a redirect to another origin always is. At most
   * `MAX_SAME_ORIGIN_REDIRECTS` (10).
   */
  sameOriginRedirects?: number;
  /**
   * Check parameters and bodies against the spec's constraints before sending (ValidationError
   * with field errors, nothing sent). Default true. Header, path and query safety checks stay on.
   */
  validate?: boolean;
  /**
   * Check each 2xx answer against the spec's schema for its status: `"warn"` reports a mismatch
   * to `hooks.onResponseMismatch` (else `console.warn`), `"error"` also throws an
   * InvalidResponseError whose field errors are JSON pointers into the answer. Values are never
   * quoted. Default: off.
   */
  validateResponses?: ResponseValidationMode;
}

/** What a generated `create<P>Client` hands the runtime: its own options type, narrowed per provider. */
export type GeneratedClientOptions = BaseClientOptions<string, string> &
  Partial<BearerAuthOptions & BasicAuthOptions & ApiKeyAuthOptions>;

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
  /** Called as each attempt ends: status or failure, waits before it, the wait the vendor asked. */
  onAttempt?: (report: AttemptReport) => void;
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

/**
 * `client.validate(operation, init, { contentType })`: the checks a call runs before sending
 * (safety always, spec constraints unless `validate: false`), nothing sent; `[]` when it would go.
 */
export type ValidateMethod<Inits = { [operation: string]: unknown }> = <
  K extends keyof Inits & string,
>(
  operation: K,
  init: Inits[K],
  options?: { contentType?: string },
) => FieldError[];

export interface ApiClient {
  readonly definition: ApiDefinition;
  readonly baseUrl: string;
  readonly validate: ValidateMethod;
  [operation: string]: unknown;
}

/** The operation `paths[path][method]` a definition entry points at. */
type OperationAt<Paths, O> = O extends { readonly path: infer P; readonly method: infer M }
  ? P extends keyof Paths
    ? M extends keyof Paths[P]
      ? Paths[P][M]
      : never
    : never
  : never;

/** Per operation of a definition: the header names its calls do not pass (the client sets them). */
export type OmittedHeadersOf<D extends ApiDefinition> = { [K in keyof D["operations"]]: string };

/**
 * The client a definition and its spec's `paths` give: one method per operation, typed from the
 * operation the definition points at. A generated `<P>Client` interface must equal it.
 */
export type GeneratedClient<
  Paths extends object,
  D extends ApiDefinition,
  Omitted extends OmittedHeadersOf<D>,
> = {
  [K in keyof D["operations"]]: OperationMethod<OperationAt<Paths, D["operations"][K]>, Omitted[K]>;
} & {
  readonly validate: ValidateMethod<{
    [K in keyof D["operations"]]: OperationInit<OperationAt<Paths, D["operations"][K]>, Omitted[K]>;
  }>;
  readonly definition: D;
  readonly baseUrl: string;
};
