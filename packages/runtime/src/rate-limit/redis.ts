/**
 * The shared store of a rate limit: rate-limiter-flexible's RateLimiterRedis, keyed by provider
 * and credential fingerprint (never the credential), so every process using that credential
 * draws on one budget and sees one pause. Redis expires keys in whole seconds (its EX): a
 * window's key lives at least a second (the gate names each window by its index, so that is
 * harmless), and a pause is rounded up to the next second (shorter, rate-limiter-flexible would
 * set the block without an expiry).
 */
import type { Redis } from "ioredis";
import { credentialFingerprint } from "../fingerprint.js";
import { type FlexibleLimiter, limiterShape } from "./shape.js";

/**
 * An ioredis client, or a redis:// URL custkit connects to itself (on first use). Typed as any
 * object so that ioredis's declarations stay out of ours (they need types a consumer may lack).
 */
export type RedisConnection = string | object;

export async function redisLimiter(
  provider: string,
  rate: { perSecond: number; burst?: number; redis: RedisConnection },
  credentials: { readonly [name: string]: unknown },
): Promise<FlexibleLimiter> {
  const [{ RateLimiterRedis }, storeClient, fingerprint] = await Promise.all([
    import("rate-limiter-flexible"),
    typeof rate.redis === "string" ? connect(rate.redis) : (rate.redis as Redis),
    credentialFingerprint(provider, credentials),
  ]);
  const { points, duration } = limiterShape(rate);
  const limiter = new RateLimiterRedis({
    storeClient,
    keyPrefix: `custkit-rate:${provider}:${fingerprint}`,
    points,
    duration: Math.max(1, Math.ceil(duration)),
  });
  return {
    points: limiter.points,
    consume: (key, points) => limiter.consume(key, points),
    block: (key, secDuration) => limiter.block(key, Math.max(1, Math.ceil(secDuration))),
    get: (key) => limiter.get(key),
  };
}

async function connect(url: string): Promise<Redis> {
  const { Redis } = await import("ioredis");
  // Not kept alive by this connection: a process that is otherwise done may exit.
  const client = new Redis(url, { enableOfflineQueue: true, lazyConnect: false });
  (client as unknown as { stream?: { unref?: () => void } }).stream?.unref?.();
  return client;
}
