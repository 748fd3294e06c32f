/**
 * One error family for every custkit call. Errors are values with a stable, serialisable shape
 * (`toJSON`) so callers can log them, branch on `kind` and decide on retries without parsing
 * messages. Messages never carry request bodies, credentials or personal data: vendor messages
 * pass through `redactText` before they are stored.
 */
import { redactText } from "./redact.js";

export type ErrorKind =
  | "validation"
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
  | "redirect";

/** One problem with one field, named by its path in the caller's input (`address.country`). */
export interface FieldError {
  field: string;
  reason: string;
  /** Vendor's or validator's code for the problem, when there is one. */
  code?: string;
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
  readonly kind: ErrorKind = "server";
  readonly provider: string;
  readonly status: number | undefined;
  readonly vendorCode: string | undefined;
  readonly vendorMessage: string | undefined;
  readonly fieldErrors: FieldError[];
  readonly requestId: string | undefined;
  readonly retryable: boolean;
  readonly operation: string | undefined;

  constructor(init: CustkitErrorInit) {
    super(redactText(init.message), init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.provider = init.provider;
    this.status = init.status;
    this.vendorCode = init.vendorCode === undefined ? undefined : redactText(init.vendorCode);
    this.vendorMessage =
      init.vendorMessage === undefined ? undefined : redactText(init.vendorMessage);
    this.fieldErrors = (init.fieldErrors ?? []).map((e) => ({
      ...e,
      reason: redactText(e.reason),
    }));
    this.requestId = init.requestId === undefined ? undefined : redactText(init.requestId);
    this.retryable = init.retryable ?? false;
    this.operation = init.operation;
  }

  toJSON(): Record<string, unknown> {
    return {
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
  }
}

/** The input was refused before any request was sent. */
export class ValidationError extends CustkitError {
  override readonly kind = "validation";
}
/** The provider cannot take a field the caller gave. Raised before any request is sent. */
export class UnsupportedFieldError extends CustkitError {
  override readonly kind = "unsupported";
}
/** 401: credentials missing, wrong or expired. */
export class AuthError extends CustkitError {
  override readonly kind = "auth";
}
/** 403: the credentials are valid but may not do this. */
export class ForbiddenError extends CustkitError {
  override readonly kind = "forbidden";
}
/** 404: the customer (or the route) does not exist at the vendor. */
export class NotFoundError extends CustkitError {
  override readonly kind = "not_found";
}
/** 409: the vendor refused because of the record's state (duplicates, warnings). */
export class ConflictError extends CustkitError {
  override readonly kind = "conflict";
}
/** 429: slow down; `retryAfterMs` says how long the vendor asked for, when it did. */
export class RateLimitError extends CustkitError {
  override readonly kind = "rate_limited";
  readonly retryAfterMs: number | undefined;
  constructor(init: CustkitErrorInit & { retryAfterMs?: number }) {
    super({ retryable: true, ...init });
    this.retryAfterMs = init.retryAfterMs;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), retryAfterMs: this.retryAfterMs };
  }
}
/** 400/422 and other 4xx: the vendor refused the request's content. */
export class VendorRejectedError extends CustkitError {
  override readonly kind = "vendor_rejected";
}
/** 5xx: the vendor failed. */
export class ServerError extends CustkitError {
  override readonly kind = "server";
}
/** The request never got an HTTP answer (DNS, refused, reset). */
export class NetworkError extends CustkitError {
  override readonly kind = "network";
}
/** No answer within the configured time. */
export class TimeoutError extends CustkitError {
  override readonly kind = "timeout";
}
/** The caller's AbortSignal ended the call. */
export class AbortedError extends CustkitError {
  override readonly kind = "aborted";
}
/** The vendor answered 2xx, but not with what its contract promises (bad JSON, wrong type). */
export class InvalidResponseError extends CustkitError {
  override readonly kind = "invalid_response";
}

/**
 * A 3xx answer. No redirect is followed (except, when a client opts in, a 307/308 to the same
 * origin), so a redirect is never a success and is not retried. `targetOrigin` is where it
 * pointed, `scheme://host[:port]` only (no path, query or userinfo, which may carry credentials).
 */
export class RedirectError extends CustkitError {
  override readonly kind = "redirect";
  readonly targetOrigin: string | undefined;
  /** Whether the target is the request's own origin; undefined when there is no readable target. */
  readonly sameOrigin: boolean | undefined;
  constructor(init: CustkitErrorInit & { targetOrigin?: string; sameOrigin?: boolean }) {
    super(init);
    this.targetOrigin = init.targetOrigin === undefined ? undefined : redactText(init.targetOrigin);
    this.sameOrigin = init.sameOrigin;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), targetOrigin: this.targetOrigin, sameOrigin: this.sameOrigin };
  }
}

/** The error class for an HTTP status that is not a success. */
export function errorClassForStatus(status: number): typeof CustkitError {
  if (status >= 300 && status < 400) return RedirectError;
  if (status === 401) return AuthError;
  if (status === 403) return ForbiddenError;
  if (status === 404) return NotFoundError;
  if (status === 409) return ConflictError;
  if (status === 429) return RateLimitError;
  if (status >= 500) return ServerError;
  return VendorRejectedError;
}

/** Statuses worth another attempt of an operation that is safe to repeat. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}
