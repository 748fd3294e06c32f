/**
 * Retry-After (RFC 9110 §10.2.3): either delay-seconds or an HTTP-date. Vendors also send
 * `retry-after-ms` (Azure, OpenAI), which is more precise, so it wins when present.
 */

/** Milliseconds to wait from `now`, or undefined when the value is missing or unreadable. */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  // Digits first: Date.parse("120") would read a year, not seconds.
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // An HTTP-date always names a month; this keeps "-5" or "soon" from parsing as dates.
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The wait a response asks for, from `retry-after-ms` or `retry-after`. */
export function retryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = headers.get("retry-after-ms");
  if (ms !== null && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return Math.round(Number(ms));
  return parseRetryAfter(headers.get("retry-after"), now);
}
