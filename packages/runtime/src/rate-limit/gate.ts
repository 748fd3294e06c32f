/**
 * One gate per client (per provider and credential): every attempt passes it before it is sent.
 * It holds two things: the configured rate (`rateLimit: { perSecond, burst }`, counted by
 * rate-limiter-flexible) and an adaptive pause, set when the vendor says its quota is spent
 * (429/503 with Retry-After, or rate-limit headers at zero), which holds every request to that
 * provider, not only the one that got the answer.
 *
 * Store-agnostic: the counting is any rate-limiter-flexible limiter (`RateLimiterMemory` here;
 * `RateLimiterRedis` shares one budget, and one pause through `block()`, between processes).
 *
 * The rate is counted in windows on a fixed clock grid (`burst` points per window of
 * burst/perSecond seconds, the window's index in the key), not in windows that start at the
 * first request after the last one ended: a window that opens late (timers, a busy event loop, a
 * loaded machine) then does not push every later window back, so the long-run rate is the one set.
 */
import { sleep as sleepFor } from "../transport/retry.js";
import { type RedisConnection, redisLimiter } from "./redis.js";
import { type FlexibleLimiter, limiterShape } from "./shape.js";

export { type FlexibleLimiter, limiterShape } from "./shape.js";

export interface RateLimitOptions {
  /** Requests per second sent to this provider. */
  perSecond: number;
  /**
   * Requests that may go together: `burst` per window of burst/perSecond seconds. Default a
   * fifth of perSecond (windows of 200 ms; at least 1). 1 spaces requests evenly, for a vendor
   * that allows no bursts (windows of a few milliseconds then lose some rate to timers).
   */
  burst?: number;
  /**
   * A rate-limiter-flexible limiter to count with instead of an in-memory one, e.g.
   * `new RateLimiterRedis({ storeClient, ...limiterShape({ perSecond, burst }) })`, so that every
   * process using the credential shares one budget and one pause.
   */
  limiter?: FlexibleLimiter;
  /** The limiter key; default the provider's name. */
  key?: string;
  /**
   * Share this limit (and every adaptive pause) with all processes using the same credential:
   * an ioredis client or a redis:// URL, counted in Redis in the same windows.
   */
  redis?: RedisConnection;
}

export interface AcquireOptions {
  signal?: AbortSignal;
  /** How to wait (must reject on abort); the transport passes its retry `sleep`. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** A pause ending by then (epoch ms) was already waited for by this caller (its retry wait). */
  waitedUntil?: number;
}

export interface RateLimitGate {
  /**
   * When one request may be sent: the milliseconds waited (0 at once, without a promise, when
   * there is neither a rate nor a pause); rejects on abort.
   */
  acquire(options?: AcquireOptions): number | Promise<number>;
  /**
   * The vendor's quota is spent: hold every request through this gate for `ms`. Resolves with
   * the end of the pause (epoch ms), for the caller's `waitedUntil`.
   */
  pause(ms: number): Promise<number>;
}

export function rateLimitProblem(options: RateLimitOptions): string | undefined {
  if (typeof options !== "object" || options === null) return "must be { perSecond, burst? }";
  const { perSecond, burst } = options;
  if (!(typeof perSecond === "number" && Number.isFinite(perSecond) && perSecond > 0))
    return "perSecond must be a positive number";
  if (burst !== undefined && !(Number.isInteger(burst) && burst >= 1))
    return "burst must be a positive integer";
  const { redis } = options;
  if (redis !== undefined && typeof redis !== "object" && !/^rediss?:\/\//.test(String(redis)))
    return "redis must be an ioredis client or a redis:// URL";
  return undefined;
}

/** A refusal from rate-limiter-flexible (a RateLimiterRes), not a store failure. */
function isRefusal(rejection: unknown): boolean {
  return (
    !(rejection instanceof Error) &&
    typeof rejection === "object" &&
    rejection !== null &&
    typeof (rejection as { msBeforeNext?: unknown }).msBeforeNext === "number"
  );
}

async function memoryLimiter(options: RateLimitOptions): Promise<FlexibleLimiter> {
  // Loaded on first use: clients without a rate limit do not load (or bundle) the library.
  const { RateLimiterMemory } = await import("rate-limiter-flexible");
  return new RateLimiterMemory(limiterShape(options));
}

/** The limiter's count of the pause key says spent: ms left, else 0. */
async function sharedPauseMs(limiter: FlexibleLimiter, pauseKey: string): Promise<number> {
  const state = await limiter.get(pauseKey);
  return state && state.consumedPoints > limiter.points ? Math.max(0, state.msBeforeNext) : 0;
}

/** The gate of one client: `rateLimit` set → counted; else only the adaptive pause. */
export function createRateLimitGate(
  provider: string,
  options?: RateLimitOptions,
  /** The client's options, for the credential fingerprint a shared (`redis`) limit is keyed by. */
  credentials: { readonly [name: string]: unknown } = {},
): RateLimitGate {
  const key = options?.key ?? provider;
  const pauseKey = `${key}:pause`;
  const windowMs = options ? limiterShape(options).duration * 1000 : 0;
  // Other processes count with this limiter too: their pauses are read, ours are written.
  const shared = Boolean(options?.limiter || options?.redis);
  let pausedUntil = 0;
  let limiter: Promise<FlexibleLimiter> | undefined;
  const limiterOf = () => {
    if (!options) return undefined;
    limiter ??= options.limiter
      ? Promise.resolve(options.limiter)
      : options.redis
        ? redisLimiter(provider, { ...options, redis: options.redis }, credentials)
        : memoryLimiter(options);
    return limiter;
  };

  /** Takes a point in the current window; else the ms until the next window opens. */
  async function take(counted: FlexibleLimiter): Promise<number> {
    // Another process's pause (a shared store): this process has not seen that answer.
    if (shared) {
      const held = await sharedPauseMs(counted, pauseKey);
      if (held > 0) return held;
    }
    const window = Math.floor(Date.now() / windowMs);
    return counted.consume(`${key}:${window}`).then(
      () => 0,
      (rejection: unknown) => {
        if (!isRefusal(rejection)) throw rejection;
        return Math.max(1, Math.ceil((window + 1) * windowMs - Date.now()));
      },
    );
  }

  async function waitForTurn({ signal, sleep = sleepFor, waitedUntil = 0 }: AcquireOptions) {
    const started = Date.now();
    const stop = signal ?? new AbortController().signal;
    // Waited once, not in a loop: an injected sleep (tests) may return at once.
    const held = pausedUntil > waitedUntil ? pausedUntil - Date.now() : 0;
    if (held > 0) await sleep(held, stop);
    const counted = limiterOf();
    if (counted) {
      const resolved = await counted;
      for (let wait = await take(resolved); wait > 0; wait = await take(resolved))
        await sleep(wait, stop);
    }
    return Date.now() - started;
  }

  return {
    acquire(call = {}) {
      // The common case (no rate, no pause) costs no promise on the call path.
      if (!options && pausedUntil <= Math.max(call.waitedUntil ?? 0, Date.now())) return 0;
      return waitForTurn(call);
    },
    async pause(ms) {
      const until = Date.now() + ms;
      if (!(ms > 0)) return until;
      pausedUntil = Math.max(pausedUntil, until);
      const counted = shared ? limiterOf() : undefined;
      if (!counted) return until;
      // Shared with the other processes, unless a longer pause is already set there.
      const store = await counted;
      if ((await sharedPauseMs(store, pauseKey)) >= ms) return until;
      await store.block(pauseKey, ms / 1000);
      return until;
    },
  };
}
