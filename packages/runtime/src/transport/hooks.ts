/**
 * Observation points for logging and metrics. Hooks see redacted copies only (headers through
 * redactHeaders, URL through redactUrl), so wiring one to a logger cannot leak credentials.
 * They observe, never steer: a hook that throws is ignored rather than failing the call.
 * (Changing requests is openapi-fetch middleware's job.)
 */
import type { CustkitError } from "../errors.js";
import { redactHeaders, redactUrl } from "../redact.js";
import type { OutgoingRequest } from "../request.js";
import { requestIdOf } from "./request-id.js";

export interface RequestEvent {
  provider: string;
  operation: string;
  method: string;
  /** The URL with credentials in userinfo or query redacted. */
  url: string;
  /** Request headers, redacted. */
  headers: Record<string, string>;
  /** 1 for the first attempt. */
  attempt: number;
  maxAttempts: number;
}

export interface ResponseEvent extends RequestEvent {
  status: number;
  /** From sending to response headers. */
  durationMs: number;
  requestId: string | undefined;
  /** Response headers, redacted. */
  responseHeaders: Record<string, string>;
}

export interface ErrorEvent extends RequestEvent {
  /** The attempt ended without an HTTP answer (network, timeout, abort) or with an unreadable one. */
  error: CustkitError;
  durationMs: number;
}

export interface RetryEvent extends RequestEvent {
  /** Why: `status 503`, `network`, `timeout`. */
  reason: string;
  status: number | undefined;
  /** Wait before the next attempt. */
  delayMs: number;
}

/** Every attempt emits onRequest, then onResponse or onError; onRetry precedes each wait. */
export interface TransportHooks {
  onRequest?(event: RequestEvent): void;
  onResponse?(event: ResponseEvent): void;
  onError?(event: ErrorEvent): void;
  onRetry?(event: RetryEvent): void;
}

export function emit<E>(hook: ((event: E) => void) | undefined, event: E): void {
  if (!hook) return;
  try {
    hook(event);
  } catch {
    // An observer's bug must not turn a successful vendor call into a failure.
  }
}

export function requestEvent(
  request: OutgoingRequest,
  where: { provider: string; operation: string },
  attempt: number,
  maxAttempts: number,
  secrets: readonly string[],
): RequestEvent {
  return {
    provider: where.provider,
    operation: where.operation,
    method: request.method,
    url: redactUrl(request.url, secrets),
    headers: redactHeaders(request.headers, secrets),
    attempt,
    maxAttempts,
  };
}

export function responseEvent(
  base: RequestEvent,
  response: Response,
  durationMs: number,
  secrets: readonly string[],
): ResponseEvent {
  return {
    ...base,
    status: response.status,
    durationMs,
    requestId: requestIdOf(response.headers, secrets),
    responseHeaders: redactHeaders(response.headers, secrets),
  };
}
