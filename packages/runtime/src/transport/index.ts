/**
 * The transport: the fetch beneath every client (operation methods and raw clients). It owns
 * everything between "send this request" and "here is the Response": retries with backoff,
 * per-attempt and whole-call timeouts, the caller's AbortSignal, a bounded body, and redacted
 * hooks. It returns the response whatever its status (turning statuses into errors is the client's job) and throws
 * NetworkError / TimeoutError / AbortedError when there is no HTTP answer to return, and
 * RedirectError for a 3xx: no request leaves for an origin the client was not configured with.
 */
import {
  AbortedError,
  CustkitError,
  isRetryableStatus,
  NetworkError,
  TimeoutError,
} from "../errors.js";
import { createRateLimitGate, type RateLimitGate, requestedPauseMs } from "../rate-limit/index.js";
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
import { sendWithoutLeaving } from "./redirect.js";
import {
  backoffDelayMs,
  errorCode,
  failedBeforeSending,
  type ResolvedRetryOptions,
  type RetryOptions,
  resolveRetryOptions,
  retryDelayAfterResponse,
} from "./retry.js";
import { openScope, type Scope, type StopReason } from "./timeout.js";
import { traced } from "./tracing.js";
import type { AttemptReport, CallContext, Fetch, FetchInit } from "./types.js";

export { DEFAULT_MAX_RESPONSE_BYTES, readBodyLimited } from "./body.js";
export type {
  ErrorEvent,
  RequestEvent,
  ResponseEvent,
  RetryEvent,
  TransportHooks,
} from "./hooks.js";
export { MAX_SAME_ORIGIN_REDIRECTS } from "./redirect.js";
export { requestIdOf } from "./request-id.js";
export { backoffDelayMs, DEFAULT_RETRY, type RetryOptions } from "./retry.js";
export { parseRetryAfter, retryAfterMs } from "./retry-after.js";
export type { AttemptReport, CallContext, Fetch, FetchInit } from "./types.js";

export const DEFAULT_TIMEOUT_MS = 60_000;

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
  /** Same-origin 307/308 redirects followed per request; default 0 (every 3xx is a RedirectError). */
  sameOriginRedirects?: number;
  /**
   * What every attempt passes before it is sent: the provider's rate limit and the pause a
   * vendor asks for. Default: a gate that only pauses (one per transport).
   */
  gate?: RateLimitGate;
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

/** What every call of one transport shares. */
interface TransportSettings {
  options: TransportOptions;
  maxBytes: number;
  hooks: TransportHooks;
  secrets: readonly string[];
  clientRetry: ResolvedRetryOptions;
  gate: RateLimitGate;
}

/** One call, resolved once before its first attempt and shared by all of them. */
interface Call {
  settings: TransportSettings;
  request: OutgoingRequest;
  ctx: CallContext;
  retry: ResolvedRetryOptions;
  maxAttempts: number;
  timeoutMs: number;
  totalTimeoutMs: number | undefined;
  started: number;
  /** The whole-call scope: only with a total deadline or two signals to join. */
  scope: Scope | undefined;
  signal: AbortSignal | undefined;
  body: FetchInit["body"];
  headers: Record<string, string>;
  send: Fetch;
  /** The end of the last pause this call set and waited for itself (epoch ms). */
  waitedUntil: number;
}

export function createTransport(options: TransportOptions = {}): Transport {
  const settings: TransportSettings = {
    options,
    maxBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    hooks: options.hooks ?? {},
    secrets: options.secrets ?? [],
    clientRetry: resolveRetryOptions(options.retries, undefined),
    gate: options.gate ?? createRateLimitGate("transport"),
  };
  return (request, ctx) => traced(ctx, (traceCtx) => sendCall(settings, request, traceCtx));
}

async function sendCall(
  settings: TransportSettings,
  request: OutgoingRequest,
  ctx: CallContext,
): Promise<Response> {
  const call = openCall(settings, request, ctx);
  try {
    if (call.signal?.aborted)
      throw callError(call, ctx.signal?.reason ?? request.signal?.reason, stoppedCall(call));
    // A PlainRequest's body is already the serialized value and is sent as is on every attempt;
    // a web Request's body (a stream, sendable once) is read once into bytes.
    if (request.body !== null && request.body !== undefined)
      call.body =
        request instanceof Request || request.body instanceof ReadableStream
          ? await new Response(request.body).arrayBuffer()
          : (request.body as FetchInit["body"]);
    let waitedMs = 0;
    for (let attempt = 1; ; attempt++) {
      const waited = passGate(call);
      waitedMs += typeof waited === "number" ? waited : await waited;
      const outcome = await attemptOnce(call, attempt, waitedMs);
      if ("response" in outcome) return outcome.response;
      if ("error" in outcome) throw outcome.error;
      waitedMs = await waitBeforeRetry(call, attempt, outcome.retry);
    }
  } finally {
    call.scope?.dispose();
  }
}

function openCall(settings: TransportSettings, request: OutgoingRequest, ctx: CallContext): Call {
  const { options } = settings;
  const retry =
    ctx.retries === undefined
      ? settings.clientRetry
      : resolveRetryOptions(options.retries, ctx.retries);
  const totalTimeoutMs = options.totalTimeoutMs;
  // request.signal (where a raw client's openapi-fetch puts init.signal) is followed too, but undici may
  // lose that link after GC (nodejs/undici#3644): ctx.signal is the reliable way in.
  const { signal } = request;
  // One scope per attempt; a whole-call scope above it only when there is a total deadline or
  // two signals to join. Otherwise the attempt follows the caller's signal directly.
  const scope =
    totalTimeoutMs !== undefined || (ctx.signal && signal)
      ? openScope([ctx.signal, signal], "aborted", totalTimeoutMs, "total_timeout")
      : undefined;
  return {
    settings,
    request,
    ctx,
    retry,
    maxAttempts: retry.maxRetries + 1,
    timeoutMs: ctx.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    totalTimeoutMs,
    started: performance.now(),
    scope,
    signal: scope ? scope.signal : (ctx.signal ?? signal ?? undefined),
    body: null,
    // Operation methods build a plain object already; a raw client's Headers is copied once.
    headers:
      request.headers instanceof Headers
        ? Object.fromEntries(request.headers)
        : (request.headers as Record<string, string>),
    send: options.fetch ?? globalThis.fetch,
    waitedUntil: 0,
  };
}

function stoppedCall(call: Call): StopReason | undefined {
  return call.scope ? call.scope.stopped : call.signal?.aborted ? "aborted" : undefined;
}

function callError(call: Call, cause: unknown, why: StopReason | undefined): CustkitError {
  return toError(
    cause,
    why,
    call.ctx,
    { timeoutMs: call.timeoutMs, totalTimeoutMs: call.totalTimeoutMs },
    call.settings.secrets,
  );
}

/** A retry must fit in what is left of the total budget; else we return what we have. */
function fits(call: Call, delayMs: number): boolean {
  return (
    call.totalTimeoutMs === undefined ||
    performance.now() - call.started + delayMs < call.totalTimeoutMs
  );
}

/** Waits for the provider's rate limit and any pause the vendor asked for; returns ms waited. */
function passGate(call: Call): number | Promise<number> {
  try {
    const waited = call.settings.gate.acquire({
      signal: call.signal,
      sleep: call.retry.sleep,
      waitedUntil: call.waitedUntil,
    });
    if (typeof waited === "number") return waited;
    return waited.catch((cause: unknown) => {
      throw callError(call, cause, stoppedCall(call));
    });
  } catch (cause) {
    throw callError(call, cause, stoppedCall(call));
  }
}

async function attemptOnce(call: Call, attempt: number, waitedMs: number): Promise<Outcome> {
  const { request, ctx, settings, retry, maxAttempts } = call;
  const { hooks } = settings;
  // Events (redacted copies of the URL and headers) are built only when a hook observes.
  let event: RequestEvent | undefined;
  const eventOf = () => {
    event ??= requestEvent(request, ctx, attempt, maxAttempts, settings.secrets);
    return event;
  };
  const scope = openScope([call.signal], "aborted", call.timeoutMs, "attempt_timeout");
  const sentAt = performance.now();
  let reported = false;
  const report = (fields: Partial<AttemptReport>) => {
    reported = true;
    emit(ctx.onAttempt, {
      provider: ctx.provider,
      operation: ctx.operation,
      attempt,
      maxAttempts,
      waitedMs,
      durationMs: performance.now() - sentAt,
      ...fields,
    });
  };
  try {
    if (hooks.onRequest) emit(hooks.onRequest, eventOf());
    // The signal goes in init, never on a Request: undici loses the abort of a copied
    // Request's signal after GC (nodejs/undici#4068).
    const init: FetchInit = {
      method: request.method,
      headers: call.headers,
      body: call.body,
      redirect: "manual",
      signal: scope.signal,
    };
    const response = await scope.race(
      sendWithoutLeaving(
        call.send,
        request.url,
        init,
        settings.options.sameOriginRedirects ?? 0,
        ctx,
      ),
      discardBody,
    );
    if (hooks.onResponse)
      emit(
        hooks.onResponse,
        responseEvent(eventOf(), response, performance.now() - sentAt, settings.secrets),
      );
    // The vendor said its quota is spent: every request through this client's gate waits.
    const askedMs = requestedPauseMs(response.status, response.headers, retry.now());
    if (askedMs !== undefined && askedMs > 0)
      await settings.gate.pause(Math.min(askedMs, retry.maxRetryAfterMs));
    report({ status: response.status, ...(askedMs !== undefined ? { askedMs } : {}) });
    const canRetry = attempt < maxAttempts && ctx.idempotent && isRetryableStatus(response.status);
    const delayMs = canRetry
      ? retryDelayAfterResponse(attempt, response.headers, retry)
      : undefined;
    if (delayMs !== undefined && fits(call, delayMs)) {
      await discardBody(response);
      return { retry: { delayMs, reason: `status ${response.status}`, status: response.status } };
    }
    // Read the body inside the attempt's timeout: a stalled or cut body fails this attempt.
    return { response: await scope.race(bufferResponse(response, settings.maxBytes, ctx)) };
  } catch (cause) {
    const error = callError(call, cause, stoppedCall(call) ?? scope.stopped);
    if (hooks.onError)
      emit(hooks.onError, { ...eventOf(), error, durationMs: performance.now() - sentAt });
    if (!reported) report({ errorKind: error.kind });
    const delayMs =
      attempt < maxAttempts && error.retryable ? backoffDelayMs(attempt, retry) : undefined;
    return delayMs !== undefined && fits(call, delayMs)
      ? { retry: { delayMs, reason: error.kind } }
      : { error };
  } finally {
    scope.dispose();
  }
}

/** Announces the retry and sleeps its delay; returns the ms slept. */
async function waitBeforeRetry(
  call: Call,
  attempt: number,
  { delayMs, reason, status }: { delayMs: number; reason: string; status?: number },
): Promise<number> {
  const { hooks } = call.settings;
  if (hooks.onRetry)
    emit(hooks.onRetry, {
      ...requestEvent(call.request, call.ctx, attempt, call.maxAttempts, call.settings.secrets),
      reason,
      status,
      delayMs,
    });
  const startedAt = Date.now();
  await wait(call.retry, delayMs, call.signal).catch((cause: unknown) => {
    throw callError(call, cause, stoppedCall(call));
  });
  // This call waited out the pause its own answer set: its next pass through the gate does not.
  call.waitedUntil = Math.max(call.waitedUntil, startedAt + delayMs);
  return Date.now() - startedAt;
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
