/**
 * The request class raw clients give openapi-fetch (`createClient({ Request: PlainRequest })`,
 * see raw.ts). A web `Request` turns the serialized body into a stream that the transport would
 * have to read back (and copy again for every retry); this one keeps plain fields, so the
 * transport sends `fetch(url, { method, headers, body, signal })` with the very string
 * openapi-fetch serialized, and re-sends it as is on a retry.
 *
 * What raw client middleware sees in `onRequest` / `onResponse` / `onError`: a `PlainRequest` with
 * `url`, `method`, `headers` (a real `Headers`, mutable), `body` (the serialized string,
 * `URLSearchParams`, `FormData`… or `null`), `signal` and `redirect` (kept for middleware, not
 * obeyed: the transport never lets fetch follow a redirect, see transport/redirect.ts). It has no `text()` /
 * `json()` / `clone()`: read `body` directly. Middleware may return a new `PlainRequest` or a
 * web `Request` (both pass openapi-fetch's `instanceof Request` check); the transport reads a web
 * Request's body once and sends it like any other.
 */
export class PlainRequest {
  readonly url: string;
  method: string;
  headers: Headers;
  body: BodyInit | null;
  signal: AbortSignal | null;
  redirect: RequestRedirect;
  constructor(url: string | URL, init: RequestInit = {}) {
    this.url = String(url);
    this.method = init.method ?? "GET";
    this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
    this.body = init.body ?? null;
    this.signal = init.signal ?? null;
    this.redirect = init.redirect ?? "manual";
  }
  /** A web Request counts too (openapi-fetch checks what middleware returns with `instanceof`). */
  static [Symbol.hasInstance](value: unknown): boolean {
    return (
      value instanceof Request ||
      (typeof value === "object" &&
        value !== null &&
        Object.prototype.isPrototypeOf.call(PlainRequest.prototype, value))
    );
  }
}

/**
 * What the transport sends: what an operation method builds (headers as a plain object), a
 * `PlainRequest` or a web `Request`.
 */
export interface OutgoingRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers | Readonly<Record<string, string>>;
  readonly body: BodyInit | ReadableStream | null;
  readonly signal: AbortSignal | null;
}
