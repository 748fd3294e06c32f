/**
 * One gate per client (per provider and credential): every attempt passes it before it is sent.
 * It holds two things: the configured rate (`rateLimit: { perSecond, burst }`, counted by
 * rate-limiter-flexible) and an adaptive pause, set when the vendor says its quota is spent
 * (429/503 with Retry-After, or rate-limit headers at zero), which holds every request to that
 * provider, not only the one that got the answer.
 *
 * Store-agnostic: the counting is any rate-limiter-flexible limiter (`RateLimiterMemory` here;
 * `RateLimiterRedis` shares one budget, and one pause through `block()`, between processes).
 */
import { sleep as sleepFor } from "../transport/retry.js";
import { type RedisConnection, redisLimiter } from "./redis.js";

/** The part of rate-limiter-flexible's API the gate uses (RateLimiterMemory, RateLimiterRedis…). */
export interface FlexibleLimiter {
  readonly points: number;
  /** Resolves when a point was taken; rejects with `{ msBeforeNext }` when none is left. */
  consume(key: string, points?: number): Promise<unknown>;
  /** Hold `key` spent for `secDuration` seconds: every `consume` rejects until then. */
  block(key: string, secDuration: number): Promise<unknown>;
  get(key: string): Promise<{ msBeforeNext: number; consumedPoints: number } | null>;
}

export interface RateLimitOptions {
  /** Requests per second sent to this provider. */
  perSecond: number;
  /** Requests that may go at once after a quiet spell. Default 1 (evenly spaced). */
  burst?: number;
  /**
   * A rate-limiter-flexible limiter to count with instead of an in-memory one, e.g.
   * `new RateLimiterRedis({ storeClient, points: burst, duration: burst / perSecond })` so that
   * every process using the credential shares one budget and one pause.
   */
  limiter?: FlexibleLimiter;
  /** The limiter key; default the provider's name. */
  key?: string;
  /**
   * Share this limit (and every adaptive pause) with all processes using the same credential:
   * an ioredis client or a redis:// URL. Counted in Redis per one-second window.
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
  /** Resolves when one request may be sent, with the milliseconds waited; rejects on abort. */
  acquire(options?: AcquireOptions): Promise<number>;
  /**
   * The vendor's quota is spent: hold every request through this gate for `ms`. Resolves with
   * the end of the pause (epoch ms), for the caller's `waitedUntil`.
   */
  pause(ms: number): Promise<number>;
}

/** A refusal from rate-limiter-flexible (a RateLimiterRes), not a store failure. */
function msBeforeNext(rejection: unknown): number | undefined {
  if (rejection instanceof Error || typeof rejection !== "object" || rejection === null)
    return undefined;
  const ms = (rejection as { msBeforeNext?: unknown }).msBeforeNext;
  return typeof ms === "number" ? ms : undefined;
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

async function memoryLimiter(options: RateLimitOptions): Promise<FlexibleLimiter> {
  // Loaded on first use: clients without a rate limit do not load (or bundle) the library.
  const { RateLimiterMemory } = await import("rate-limiter-flexible");
  const burst = options.burst ?? 1;
  // `burst` points per window of burst/perSecond seconds: at most perSecond in any second.
  return new RateLimiterMemory({ points: burst, duration: burst / options.perSecond });
}

/** The gate of one client: `rateLimit` set → counted; else only the adaptive pause. */
export function createRateLimitGate(
  provider: string,
  options?: RateLimitOptions,
  /** The client's options, for the credential fingerprint a shared (`redis`) limit is keyed by. */
  credentials: { readonly [name: string]: unknown } = {},
): RateLimitGate {
  const key = options?.key ?? provider;
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

  return {
    async acquire({ signal, sleep = sleepFor, waitedUntil = 0 } = {}) {
      const started = Date.now();
      const stop = signal ?? new AbortController().signal;
      // Waited once, not in a loop: an injected sleep (tests) may return at once.
      const held = pausedUntil > waitedUntil ? pausedUntil - Date.now() : 0;
      if (held > 0) await sleep(held, stop);
      const counted = limiterOf();
      for (;;) {
        if (!counted) break;
        const wait = await (await counted).consume(key).then(
          () => 0,
          (rejection: unknown) => {
            const ms = msBeforeNext(rejection);
            if (ms === undefined) throw rejection;
            return Math.max(1, ms);
          },
        );
        if (wait === 0) break;
        await sleep(wait, stop);
      }
      return Date.now() - started;
    },
    async pause(ms) {
      const until = Date.now() + ms;
      if (!(ms > 0)) return until;
      pausedUntil = Math.max(pausedUntil, until);
      const counted = limiterOf();
      if (!counted) return until;
      const shared = await counted;
      // A pause never shortens a longer one another process (or answer) already set.
      const current = await shared.get(key);
      if (current && current.consumedPoints > shared.points && current.msBeforeNext >= ms)
        return until;
      await shared.block(key, ms / 1000);
      return until;
    },
  };
}
