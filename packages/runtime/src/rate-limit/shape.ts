/**
 * What every limiter store shares: the part of rate-limiter-flexible's API the gate uses and the
 * window shape a rate is counted in (a module of its own, so the stores need not import the gate).
 */

/** The part of rate-limiter-flexible's API the gate uses (RateLimiterMemory, RateLimiterRedis…). */
export interface FlexibleLimiter {
  readonly points: number;
  /** Resolves when a point was taken; rejects with `{ msBeforeNext }` when none is left. */
  consume(key: string, points?: number): Promise<unknown>;
  /** Hold `key` spent for `secDuration` seconds: every `consume` rejects until then. */
  block(key: string, secDuration: number): Promise<unknown>;
  get(key: string): Promise<{ msBeforeNext: number; consumedPoints: number } | null>;
}

/**
 * The `points` and `duration` (seconds) of the rate-limiter-flexible limiter a rate needs: a
 * shared limiter (`rateLimit.limiter`, e.g. RateLimiterRedis) is built with these.
 */
export function limiterShape(options: { perSecond: number; burst?: number }): {
  points: number;
  duration: number;
} {
  const points = options.burst ?? Math.max(1, Math.ceil(options.perSecond / 5));
  return { points, duration: points / options.perSecond };
}
