/**
 * How long a vendor says its quota stays spent, from its answer: Retry-After on 429/503, or
 * rate-limit headers with nothing remaining — `RateLimit-Remaining`/`RateLimit-Reset` (IETF
 * draft, also the combined `RateLimit: remaining=0, reset=30`) and `X-RateLimit-Remaining`/
 * `X-RateLimit-Reset` (GitHub, Twitter: epoch seconds; others: seconds to wait).
 */
import { retryAfterMs } from "../transport/retry-after.js";

/** A reset value: seconds to wait, or an epoch time (seconds, or milliseconds) when it is one. */
function resetMs(value: string | null, now: number): number | undefined {
  if (value === null || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  const n = Number(value);
  if (n > 1e12) return Math.max(0, n - now);
  if (n > 1e9) return Math.max(0, n * 1000 - now);
  return Math.round(n * 1000);
}

function combinedField(value: string | null, name: string): string | null {
  if (value === null) return null;
  const match = new RegExp(`(?:^|[;,\\s])${name}\\s*=\\s*(\\d+(?:\\.\\d+)?)`, "i").exec(value);
  return match ? (match[1] as string) : null;
}

/** The wait the rate-limit headers ask for when they say nothing is left, else undefined. */
export function spentQuotaMs(headers: Headers, now: number = Date.now()): number | undefined {
  const combined = headers.get("ratelimit");
  for (const [remaining, reset] of [
    [headers.get("ratelimit-remaining"), headers.get("ratelimit-reset")],
    [headers.get("x-ratelimit-remaining"), headers.get("x-ratelimit-reset")],
    [combinedField(combined, "remaining"), combinedField(combined, "reset")],
  ] as const) {
    if (remaining !== null && Number(remaining) === 0 && remaining.trim() !== "") {
      const ms = resetMs(reset, now);
      if (ms !== undefined) return ms;
    }
  }
  return undefined;
}

/** The pause an answer asks for: Retry-After on 429/503, else spent-quota headers on any status. */
export function requestedPauseMs(
  status: number,
  headers: Headers,
  now: number = Date.now(),
): number | undefined {
  const asked = status === 429 || status === 503 ? retryAfterMs(headers, now) : undefined;
  return asked ?? spentQuotaMs(headers, now);
}
