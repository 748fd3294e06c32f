/**
 * When to try again and how long to wait. Stainless-generated SDKs (openai-node) set the bar:
 * 2 retries, exponential backoff from 0.5 s to 8 s with jitter, Retry-After honoured. We use
 * full jitter (a uniform wait in [0, backoff)) so clients rate-limited together spread out.
 */
import { retryAfterMs } from "./retry-after.js";

export interface RetryOptions {
  /** Retries after the first attempt. Default 2, so at most 3 attempts. */
  maxRetries?: number;
  /** Backoff ceiling before the first retry; it doubles for every retry after. Default 500. */
  initialDelayMs?: number;
  /** Largest backoff ceiling. Default 8000. */
  maxDelayMs?: number;
  /**
   * Longest Retry-After we wait for. Default 60_000. A vendor asking for longer ends the
   * retries: the response goes back to the caller (who sees `retryAfterMs` on the
   * RateLimitError) instead of the call sleeping for minutes.
   */
  maxRetryAfterMs?: number;
  /** Source of jitter in [0, 1). Injectable so tests assert delays instead of timing them. */
  random?: () => number;
  /** How to wait between attempts; must reject when `signal` aborts. Injectable for tests. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Clock for Retry-After HTTP-dates (epoch ms). */
  now?: () => number;
}

export type ResolvedRetryOptions = Required<RetryOptions>;

export const DEFAULT_RETRY: ResolvedRetryOptions = {
  maxRetries: 2,
  initialDelayMs: 500,
  maxDelayMs: 8000,
  maxRetryAfterMs: 60_000,
  random: Math.random,
  sleep,
  now: Date.now,
};

/** Per-call options win over the transport's; `false` at either level turns retries off. */
export function resolveRetryOptions(
  transport: RetryOptions | false | undefined,
  call: RetryOptions | false | undefined,
): ResolvedRetryOptions {
  if (call === false || (transport === false && call === undefined)) {
    return { ...DEFAULT_RETRY, maxRetries: 0 };
  }
  return { ...DEFAULT_RETRY, ...(transport || {}), ...(call ?? {}) };
}

/** Full-jitter backoff before retry number `retry` (1-based): uniform in [0, min(max, initial·2^(retry-1))). */
export function backoffDelayMs(retry: number, options: ResolvedRetryOptions): number {
  const ceiling = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** (retry - 1));
  return Math.floor(options.random() * ceiling);
}

/**
 * The wait before retrying after an HTTP answer: the vendor's Retry-After when it gave one,
 * else backoff. Undefined means "do not retry": the vendor asked for more than we will wait.
 */
export function retryDelayAfterResponse(
  retry: number,
  headers: Headers,
  options: ResolvedRetryOptions,
): number | undefined {
  const asked = retryAfterMs(headers, options.now());
  if (asked === undefined) return backoffDelayMs(retry, options);
  return asked <= options.maxRetryAfterMs ? asked : undefined;
}

/**
 * Failures that happen before a single byte reaches the server (refused, DNS, connect
 * timeout). Only these are safe to resend for a request that is not idempotent.
 */
const BEFORE_SENDING = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_CONNECT_TIMEOUT",
]);

export function failedBeforeSending(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && BEFORE_SENDING.has(code);
}

/** The first `code` along the cause chain (undici puts it on `error.cause`). */
export function errorCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A timer-backed wait that is cleared, not left behind, when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
