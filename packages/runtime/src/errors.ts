/**
 * One error family for every custkit call. Errors are values with a stable, serialisable shape
 * (`toJSON`) so callers can log them, branch on `kind` and decide on retries without parsing
 * messages. Every error states its kind: each class below fixes one, and a bare `CustkitError`
 * must be given one. Messages never carry request bodies, credentials or personal data: what a
 * client knows to be secret is redacted where the error is made (`response.ts`, the transport),
 * and every text passes through `redactText` here.
 */
import { redactText } from "./redact.js";
import { retryAfterMs } from "./transport/retry-after.js";

export type ErrorKind =
  | "validation"
  | "configuration"
  | "unsupported"
  | "auth"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "rate_limited"
  | "vendor_rejected"
  | "server"
  | "network"
  | "timeout"
  | "aborted"
  | "invalid_response"
  | "internal"
  | "redirect";

/** One problem with one field, named by its path in the caller's input (`address.country`). */
export interface FieldError {
  field: string;
  reason: string;
  /** Vendor's or validator's code for the problem, when there is one. */
  code?: string;
  /** The value refused, as JSON text, when it may be shown (never a secret field's). */
  value?: string;
  /** The likely fix (`did you mean "GB"?`), when there is one. */
  suggestion?: string;
}

export interface CustkitErrorInit {
  provider: string;
  message: string;
  status?: number;
  vendorCode?: string;
  vendorMessage?: string;
  fieldErrors?: FieldError[];
  requestId?: string;
  retryable?: boolean;
  /** The operation (client method name) that failed, when known. */
  operation?: string;
  cause?: unknown;
}

export class CustkitError extends Error {
  readonly kind: ErrorKind;
  readonly provider: string;
  readonly status: number | undefined;
  readonly vendorCode: string | undefined;
  readonly vendorMessage: string | undefined;
  readonly fieldErrors: FieldError[];
  readonly requestId: string | undefined;
  readonly retryable: boolean;
  readonly operation: string | undefined;

  constructor(init: CustkitErrorInit & { kind: ErrorKind }) {
    super(redactText(init.message), init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.kind = init.kind;
    this.provider = init.provider;
    this.status = init.status;
    this.vendorCode = init.vendorCode === undefined ? undefined : redactText(init.vendorCode);
    this.vendorMessage =
      init.vendorMessage === undefined ? undefined : redactText(init.vendorMessage);
    this.fieldErrors = (init.fieldErrors ?? []).map((e) => ({
      ...e,
      reason: redactText(e.reason),
      ...(e.value === undefined ? {} : { value: redactText(e.value) }),
    }));
    this.requestId = init.requestId === undefined ? undefined : redactText(init.requestId);
    this.retryable = init.retryable ?? false;
    this.operation = init.operation;
  }

  /** The error as plain data, for logs and `--json`: fields that are not set are left out. */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = {
      name: this.name,
      kind: this.kind,
      provider: this.provider,
      operation: this.operation,
      message: this.message,
      status: this.status,
      vendorCode: this.vendorCode,
      vendorMessage: this.vendorMessage,
      fieldErrors: this.fieldErrors,
      requestId: this.requestId,
      retryable: this.retryable,
    };
    for (const key of Object.keys(json)) if (json[key] === undefined) delete json[key];
    return json;
  }
}

/** A `CustkitError` class whose every instance has `kind`. */
function ofKind<K extends ErrorKind>(kind: K) {
  return class extends CustkitError {
    declare readonly kind: K;
    constructor(init: CustkitErrorInit) {
      super({ ...init, kind });
    }
  };
}

/** The input was refused before any request was sent. */
export class ValidationError extends CustkitError {
  declare readonly kind: "validation" | "configuration";
  constructor(init: CustkitErrorInit) {
    const configuration =
      new.target === ConfigurationError || new.target.prototype instanceof ConfigurationError;
    super({ ...init, kind: configuration ? "configuration" : "validation" });
  }
}
/**
 * The client or facade was set up wrongly (missing or unknown option, bad base URL or
 * environment): nothing can be sent until the configuration changes, and retrying with other
 * input will not help. A `ValidationError` too (refused before sending), so code that catches
 * those keeps working. The CLI exits 2.
 */
export class ConfigurationError extends ValidationError {
  declare readonly kind: "configuration";
}
/** The provider cannot take a field the caller gave. Raised before any request is sent. */
export class UnsupportedFieldError extends ofKind("unsupported") {}
/** 401: credentials missing, wrong or expired. */
export class AuthError extends ofKind("auth") {}
/** 403: the credentials are valid but may not do this. */
export class ForbiddenError extends ofKind("forbidden") {}
/** 404: the customer (or the route) does not exist at the vendor. */
export class NotFoundError extends ofKind("not_found") {}
/** 409: the vendor refused because of the record's state (duplicates, warnings). */
export class ConflictError extends ofKind("conflict") {}
/** 429: slow down; `retryAfterMs` says how long the vendor asked for, when it did. */
export class RateLimitError extends ofKind("rate_limited") {
  readonly retryAfterMs: number | undefined;
  constructor(init: CustkitErrorInit & { retryAfterMs?: number }) {
    super({ retryable: true, ...init });
    this.retryAfterMs = init.retryAfterMs;
  }
  override toJSON(): Record<string, unknown> {
    const json = super.toJSON();
    if (this.retryAfterMs !== undefined) json.retryAfterMs = this.retryAfterMs;
    return json;
  }
}
/** 400/422 and other 4xx: the vendor refused the request's content. */
export class VendorRejectedError extends ofKind("vendor_rejected") {}
/** 5xx: the vendor failed. */
export class ServerError extends ofKind("server") {}
/** The request never got an HTTP answer (DNS, refused, reset). */
export class NetworkError extends ofKind("network") {}
/** No answer within the configured time. */
export class TimeoutError extends ofKind("timeout") {}
/** The caller's AbortSignal ended the call. */
export class AbortedError extends ofKind("aborted") {}
/** The vendor answered 2xx, but not with what its contract promises (bad JSON, wrong type). */
export class InvalidResponseError extends ofKind("invalid_response") {}
/** A fault in custkit or in code it was handed (a thrown non-error, a missing operation). */
export class InternalError extends ofKind("internal") {}

/** A class of `errorClassForStatus`: made from the init alone, its kind fixed by the class. */
export type StatusErrorClass = new (
  init: CustkitErrorInit & { retryAfterMs?: number },
) => CustkitError;

/** The one table from an HTTP status to its error class; other 4xx and 5xx below. */
const STATUS_ERRORS: Readonly<Record<number, StatusErrorClass>> = {
  401: AuthError,
  403: ForbiddenError,
  404: NotFoundError,
  409: ConflictError,
  429: RateLimitError,
};

/**
 * A 3xx answer. No redirect is followed (except, when a client opts in, a 307/308 to the same
 * origin), so a redirect is never a success and is not retried. `targetOrigin` is where it
 * pointed, `scheme://host[:port]` only (no path, query or userinfo, which may carry credentials).
 */
export class RedirectError extends ofKind("redirect") {
  readonly targetOrigin: string | undefined;
  /** Whether the target is the request's own origin; undefined when there is no readable target. */
  readonly sameOrigin: boolean | undefined;
  constructor(init: CustkitErrorInit & { targetOrigin?: string; sameOrigin?: boolean }) {
    super(init);
    this.targetOrigin = init.targetOrigin === undefined ? undefined : redactText(init.targetOrigin);
    this.sameOrigin = init.sameOrigin;
  }
  override toJSON(): Record<string, unknown> {
    const json = super.toJSON();
    if (this.targetOrigin !== undefined) json.targetOrigin = this.targetOrigin;
    if (this.sameOrigin !== undefined) json.sameOrigin = this.sameOrigin;
    return json;
  }
}

/** The error class for an HTTP status that is not a success. */
export function errorClassForStatus(status: number): StatusErrorClass {
  if (status >= 300 && status < 400) return RedirectError;
  return STATUS_ERRORS[status] ?? (status >= 500 ? ServerError : VendorRejectedError);
}

/**
 * The error for a non-2xx answer, of its status's class (openai-node's `APIError.generate`);
 * the wait the vendor asked for (`Retry-After`) is kept on every class that can use it.
 */
export function errorForStatus(
  status: number,
  init: CustkitErrorInit,
  headers?: Headers,
): CustkitError {
  const ErrorClass = errorClassForStatus(status);
  return new ErrorClass({
    ...init,
    status,
    retryAfterMs: headers === undefined ? undefined : retryAfterMs(headers),
  });
}

/** Statuses worth another attempt of an operation that is safe to repeat. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}
