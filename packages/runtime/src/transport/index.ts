/**
 * The transport: the fetch beneath every client (operation methods and raw clients). It owns
 * everything between "send this request" and "here is the Response": retries with backoff,
 * per-attempt and whole-call timeouts, the caller's AbortSignal, a bounded body, and redacted
 * hooks. It returns the response whatever its status (turning statuses into errors is the client's job) and throws
 * NetworkError / TimeoutError / AbortedError when there is no HTTP answer to return.
 */
import {
  AbortedError,
  CustkitError,
  isRetryableStatus,
  NetworkError,
  TimeoutError,
} from "../errors.js";
import { redactText } from "../redact.js";
import type { OutgoingRequest } from "../request.js";
import { bufferResponse, DEFAULT_MAX_RESPONSE_BYTES, discardBody } from "./body.js";
import {
  emit,
  type RequestEvent,
  requestEvent,
  responseEvent,
  type TransportHooks,
} from "./hooks.js";
import {
  backoffDelayMs,
  errorCode,
  failedBeforeSending,
  type ResolvedRetryOptions,
  type RetryOptions,
  resolveRetryOptions,
  retryDelayAfterResponse,
} from "./retry.js";
import { openScope, type StopReason } from "./timeout.js";

export { DEFAULT_MAX_RESPONSE_BYTES, readBodyLimited } from "./body.js";
export type {
  ErrorEvent,
  RequestEvent,
  ResponseEvent,
  RetryEvent,
  TransportHooks,
} from "./hooks.js";
export { requestIdOf } from "./request-id.js";
export { backoffDelayMs, DEFAULT_RETRY, type RetryOptions } from "./retry.js";
export { parseRetryAfter, retryAfterMs } from "./retry-after.js";

export const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * What a caller's fetch receives on every attempt: exactly what the global fetch is given.
 * `body` is the serialized value (string, URLSearchParams, FormData, bytes…), the same one on
 * every retry; `signal` ends the attempt (timeout, total timeout or the caller's abort).
 */
export interface FetchInit extends RequestInit {
  method: string;
  headers: Record<string, string>;
  body: Exclude<BodyInit, ReadableStream> | null;
  redirect: RequestRedirect;
  signal: AbortSignal;
}

/**
 * A fetch called like the global one, `fetch(url, init)`, so `globalThis.fetch`, undici's fetch
 * and msw/nock-style fetches fit as they are. No web Request is built per attempt: it would cost
 * a Headers, a GC-registered signal link and a body stream the callee has to read back.
 */
export type Fetch = (url: string, init: FetchInit) => Promise<Response>;

export interface TransportOptions {
  /** The caller's fetch; default globalThis.fetch (looked up per call, so test stubs apply). */
  fetch?: Fetch;
  /** Default: 2 retries, 500 ms → 8 s full-jitter backoff, Retry-After honoured up to 60 s. */
  retries?: RetryOptions | false;
  /** Per attempt, from sending until the body is read. Default 60_000. */
  timeoutMs?: number;
  /** The whole call, retries and waits included. Default: none. */
  totalTimeoutMs?: number;
  /** Largest response body read; beyond it the call fails with InvalidResponseError. Default 10 MiB. */
  maxResponseBytes?: number;
  hooks?: TransportHooks;
  /** Values to redact from hook payloads and errors besides the patterns (a client's credentials). */
  secrets?: readonly string[];
}

export interface CallContext {
  provider: string;
  operation: string;
  /**
   * The operation may be repeated without changing the outcome (GET, PUT, DELETE, or a POST the
   * vendor documents as idempotent). Only then are answered or possibly-sent attempts retried.
   */
  idempotent: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
  retries?: RetryOptions | false;
}

/**
 * Sends what an operation method builds, a `PlainRequest` (raw clients) or a web `Request`;
 * returns the response with its body read (bounded) and held.
 */
export type Transport = (request: OutgoingRequest, ctx: CallContext) => Promise<Response>;

/** One attempt's result: a response to return, an error to throw, or a wait before the next try. */
type Outcome =
  | { response: Response }
  | { error: CustkitError }
  | { retry: { delayMs: number; reason: string; status?: number } };

export function createTransport(options: TransportOptions = {}): Transport {
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const hooks = options.hooks ?? {};
  const secrets = options.secrets ?? [];
  const clientRetry = resolveRetryOptions(options.retries, undefined);

  return async function transport(request, ctx) {
    const retry =
      ctx.retries === undefined ? clientRetry : resolveRetryOptions(options.retries, ctx.retries);
    const maxAttempts = retry.maxRetries + 1;
    const timeoutMs = ctx.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const totalTimeoutMs = options.totalTimeoutMs;
    const started = performance.now();
    // request.signal (where a raw client's openapi-fetch puts init.signal) is followed too, but undici may
    // lose that link after GC (nodejs/undici#3644): ctx.signal is the reliable way in.
    const { signal } = request;
    // One scope per attempt; a whole-call scope above it only when there is a total deadline or
    // two signals to join. Otherwise the attempt follows the caller's signal directly.
    const call =
      totalTimeoutMs !== undefined || (ctx.signal && signal)
        ? openScope([ctx.signal, signal], "aborted", totalTimeoutMs, "total_timeout")
        : undefined;
    const callSignal = call ? call.signal : (ctx.signal ?? signal ?? undefined);
    const stoppedCall = (): StopReason | undefined =>
      call ? call.stopped : callSignal?.aborted ? "aborted" : undefined;
    const fail = (cause: unknown, why: StopReason | undefined) =>
      toError(cause, why, ctx, { timeoutMs, totalTimeoutMs }, secrets);
    try {
      if (callSignal?.aborted) throw fail(ctx.signal?.reason ?? signal?.reason, stoppedCall());
      // A PlainRequest's body is already the serialized value and is sent as is on every attempt;
      // a web Request's body (a stream, sendable once) is read once into bytes.
      const body =
        request.body === null || request.body === undefined
          ? null
          : request instanceof Request || request.body instanceof ReadableStream
            ? await new Response(request.body).arrayBuffer()
            : request.body;
      // Operation methods build a plain object already; a raw client's Headers is copied once.
      const headers =
        request.headers instanceof Headers
          ? Object.fromEntries(request.headers)
          : (request.headers as Record<string, string>);
      const send = options.fetch ?? globalThis.fetch;
      // A retry must fit in what is left of the total budget; else we return what we have.
      const fits = (delayMs: number) =>
        totalTimeoutMs === undefined || performance.now() - started + delayMs < totalTimeoutMs;

      const attemptOnce = async (attempt: number): Promise<Outcome> => {
        // Events (redacted copies of the URL and headers) are built only when a hook observes.
        let event: RequestEvent | undefined;
        const eventOf = () => {
          event ??= requestEvent(request, ctx, attempt, maxAttempts, secrets);
          return event;
        };
        const scope = openScope([callSignal], "aborted", timeoutMs, "attempt_timeout");
        const sentAt = performance.now();
        try {
          if (hooks.onRequest) emit(hooks.onRequest, eventOf());
          // The signal goes in init, never on a Request: undici loses the abort of a copied
          // Request's signal after GC (nodejs/undici#4068).
          const init: FetchInit = {
            method: request.method,
            headers,
            body: body as FetchInit["body"],
            redirect: request.redirect ?? "follow",
            signal: scope.signal,
          };
          const response = await scope.race(send(request.url, init), discardBody);
          if (hooks.onResponse)
            emit(
              hooks.onResponse,
              responseEvent(eventOf(), response, performance.now() - sentAt, secrets),
            );
          const canRetry =
            attempt < maxAttempts && ctx.idempotent && isRetryableStatus(response.status);
          const delayMs = canRetry
            ? retryDelayAfterResponse(attempt, response.headers, retry)
            : undefined;
          if (delayMs !== undefined && fits(delayMs)) {
            await discardBody(response);
            return {
              retry: { delayMs, reason: `status ${response.status}`, status: response.status },
            };
          }
          // Read the body inside the attempt's timeout: a stalled or cut body fails this attempt.
          return {
            response: await scope.race(bufferResponse(response, maxBytes, ctx)),
          };
        } catch (cause) {
          const error = fail(cause, stoppedCall() ?? scope.stopped);
          if (hooks.onError)
            emit(hooks.onError, { ...eventOf(), error, durationMs: performance.now() - sentAt });
          const delayMs =
            attempt < maxAttempts && error.retryable ? backoffDelayMs(attempt, retry) : undefined;
          return delayMs !== undefined && fits(delayMs)
            ? { retry: { delayMs, reason: error.kind } }
            : { error };
        } finally {
          scope.dispose();
        }
      };

      for (let attempt = 1; ; attempt++) {
        const outcome = await attemptOnce(attempt);
        if ("response" in outcome) return outcome.response;
        if ("error" in outcome) throw outcome.error;
        const { delayMs, reason, status } = outcome.retry;
        if (hooks.onRetry)
          emit(hooks.onRetry, {
            ...requestEvent(request, ctx, attempt, maxAttempts, secrets),
            reason,
            status,
            delayMs,
          });
        await wait(retry, delayMs, callSignal).catch((cause: unknown) => {
          throw fail(cause, stoppedCall());
        });
      }
    } finally {
      call?.dispose();
    }
  };
}

async function wait(
  retry: ResolvedRetryOptions,
  delayMs: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  await retry.sleep(delayMs, signal ?? new AbortController().signal);
  // An injected sleep may ignore the signal; do not start another attempt after an abort.
  if (signal?.aborted) throw signal.reason;
}

/** The error for an attempt that got no usable HTTP answer, named by what stopped it. */
function toError(
  cause: unknown,
  why: StopReason | undefined,
  ctx: CallContext,
  limits: { timeoutMs: number; totalTimeoutMs: number | undefined },
  secrets: readonly string[],
): CustkitError {
  const where = { provider: ctx.provider, operation: ctx.operation };
  const name = `${ctx.provider} ${ctx.operation}`;
  // Already ours (the body-size limit): pass it on unchanged.
  if (cause instanceof CustkitError) return cause;
  if (why === "aborted") {
    return new AbortedError({
      ...where,
      message: `${name} was aborted by the caller`,
      cause: ctx.signal?.reason ?? cause,
    });
  }
  if (why === "total_timeout") {
    return new TimeoutError({
      ...where,
      message: `${name} did not complete within its total timeout of ${limits.totalTimeoutMs} ms`,
      cause,
    });
  }
  if (why === "attempt_timeout") {
    return new TimeoutError({
      ...where,
      message: `${name} got no answer within ${limits.timeoutMs} ms`,
      retryable: ctx.idempotent,
      cause,
    });
  }
  const code = errorCode(cause);
  const detail = code ?? (cause instanceof Error ? cause.message : String(cause));
  return new NetworkError({
    ...where,
    message: `${name} failed without an HTTP answer (${redactText(detail, secrets)})`,
    // A request that may have reached the server is resent only when repeating it is harmless.
    retryable: ctx.idempotent || failedBeforeSending(cause),
    cause,
  });
}
