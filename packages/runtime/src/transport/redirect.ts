/**
 * Redirects. fetch is always asked not to follow them (`redirect: "manual"`): whoever answers at
 * the vendor's address must not be able to steer the request — its credential headers (undici
 * drops only `Authorization` across origins, not `Api-Key` or client headers) and its body
 * (customer data) — to another origin, nor turn a POST into a GET that "succeeds" elsewhere.
 * Every 3xx answer is a RedirectError, never a success and never retried. The one exception is
 * opted in per client (`sameOriginRedirects`): a 307 or 308 (which keep method and body by
 * definition) to the request's own origin, re-sent here a bounded number of times.
 */
import { RedirectError } from "../errors.js";
import { redactText } from "../redact.js";
import { discardBody } from "./body.js";
import { requestIdOf } from "./request-id.js";
import type { Fetch, FetchInit } from "./types.js";

/** The most same-origin redirects a client may allow per request. */
export const MAX_SAME_ORIGIN_REDIRECTS = 10;

/** Statuses that keep the method and body when followed (RFC 9110 §15.4.8, §15.4.9). */
const PRESERVING = new Set([307, 308]);

/**
 * `send(url, init)` with redirects handled: the final non-redirect response, or a RedirectError
 * (the redirect's body discarded).
 */
export async function sendWithoutLeaving(
  send: Fetch,
  url: string,
  init: FetchInit,
  sameOriginRedirects: number,
  where: { provider: string; operation: string },
): Promise<Response> {
  let current = url;
  for (let followed = 0; ; followed++) {
    const response = await send(current, init);
    const error = redirectError(response, current, { followed, limit: sameOriginRedirects }, where);
    if (error === undefined) return response;
    await discardBody(response);
    if (error === "follow") {
      const target = new URL(response.headers.get("location") as string, current);
      // Userinfo in a Location is a credential the client was not configured with: not sent.
      target.username = "";
      target.password = "";
      current = target.href;
      continue;
    }
    throw error;
  }
}

/** Why `response` is not an answer to return: undefined when it is one, "follow" when allowed. */
function redirectError(
  response: Response,
  requestUrl: string,
  redirects: { followed: number; limit: number },
  where: { provider: string; operation: string },
): RedirectError | "follow" | undefined {
  const name = `${where.provider} ${where.operation}`;
  const base = { ...where, retryable: false, requestId: requestIdOf(response.headers) };
  // A browser-style fetch hides a manual redirect behind an opaque response (status 0).
  if (response.type === "opaqueredirect") {
    return new RedirectError({
      ...base,
      message: `${name}: the answer was a redirect (its target is hidden by fetch); custkit follows no redirect, and a redirect is not a success`,
    });
  }
  // A caller's fetch that follows redirects despite `redirect: "manual"` has already sent the
  // request on; the answer it got there is not the vendor's.
  if (response.redirected) {
    const target = response.url ? originOf(response.url, requestUrl) : undefined;
    return new RedirectError({
      ...base,
      status: response.status,
      targetOrigin: target?.origin,
      sameOrigin: target?.same,
      message: `${name}: the fetch option followed a redirect${target ? ` to ${describeTarget(target)}` : ""} although custkit asks for redirect: "manual"; its answer is not taken as the vendor's`,
    });
  }
  const { status } = response;
  if (status < 300 || status > 399) return undefined;
  const location = response.headers.get("location");
  const target = location === null ? undefined : originOf(location, requestUrl);
  const allowed = target?.same === true && PRESERVING.has(status) && redirects.limit > 0;
  if (allowed && redirects.followed < redirects.limit) return "follow";
  const why = !target
    ? "custkit follows no redirect"
    : !target.same
      ? "custkit never sends a request to an origin the client was not configured with"
      : !PRESERVING.has(status)
        ? `a ${status} may change the method and drop the body, so custkit never follows it`
        : allowed
          ? `more than the ${redirects.limit} same-origin redirects the client's sameOriginRedirects allows`
          : "same-origin 307/308 redirects are followed only with the client option sameOriginRedirects";
  return new RedirectError({
    ...base,
    status,
    targetOrigin: target?.origin,
    sameOrigin: target?.same,
    message: `${name}: HTTP ${status} redirect ${target ? `to ${describeTarget(target)}` : "without a Location"}; ${why}. Nothing was sent there, and a redirect is not a success`,
  });
}

interface Target {
  /** `scheme://host[:port]` only: no userinfo, path or query, which may carry credentials or ids. */
  origin: string | undefined;
  same: boolean;
}

function originOf(location: string, requestUrl: string): Target {
  let url: URL;
  try {
    url = new URL(location, requestUrl);
  } catch {
    return { origin: undefined, same: false };
  }
  const origin = url.origin === "null" ? undefined : redactText(url.origin);
  return { origin, same: url.origin === new URL(requestUrl).origin };
}

function describeTarget(target: Target): string {
  if (target.origin === undefined) return "an unreadable or non-http(s) location";
  return target.same ? `the same origin (${target.origin})` : `another origin (${target.origin})`;
}
