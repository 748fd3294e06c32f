/**
 * The transport's shared shapes, in a module of their own so the transport's parts (redirect,
 * tracing) can name them without importing the transport back.
 */
import type { RetryOptions } from "./retry.js";

/**
 * What a caller's fetch receives on every attempt: exactly what the global fetch is given.
 * `body` is the serialized value (string, URLSearchParams, FormData, bytes…), the same one on
 * every retry; `signal` ends the attempt (timeout, total timeout or the caller's abort);
 * `redirect` is always "manual": the transport decides about redirects (see redirect.ts).
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

/** One attempt as it ended, for a caller that reports attempts and waits. */
export interface AttemptReport {
  provider: string;
  operation: string;
  /** 1 for the first attempt. */
  attempt: number;
  maxAttempts: number;
  /** Waited before this attempt: rate limit, vendor pause and retry backoff. */
  waitedMs: number;
  /** From sending to the answer's headers (or the failure). */
  durationMs: number;
  /** The HTTP status, when there was an answer. */
  status?: number;
  /** The failure's kind when there was no HTTP answer (network, timeout, aborted). */
  errorKind?: string;
  /** The wait the vendor asked for (Retry-After or spent-quota headers), even beyond the cap. */
  askedMs?: number;
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
  /** Called as each attempt ends (observes only; a throw is ignored). */
  onAttempt?: (report: AttemptReport) => void;
}
