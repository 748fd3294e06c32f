/** The Redis connection of `sync --queue` and `worker`: a URL checked before anything connects. */
import { Redis } from "ioredis";
import { UsageError } from "../errors.js";

/** The URL with any password hidden, for messages. */
export function safeRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unreadable URL)";
  }
}

export function checkRedisUrl(flag: string, url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(`${flag} must be a redis:// or rediss:// URL`);
  }
  if (u.protocol !== "redis:" && u.protocol !== "rediss:")
    throw new UsageError(`${flag} must be a redis:// or rediss:// URL, not ${u.protocol}`);
  return url;
}

/** BullMQ needs `maxRetriesPerRequest: null`: a command waits for a reconnect instead of failing. */
export function connectRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
}
