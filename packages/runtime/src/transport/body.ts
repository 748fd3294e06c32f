/**
 * Response bodies, read once and bounded. The transport buffers the final response while the
 * attempt's timeout still runs: a body that stalls or is cut off mid-way then fails (and may be
 * retried) like any other network failure, instead of hanging in the caller's `.json()`, and the
 * socket is free when the transport returns.
 */
import { InvalidResponseError } from "../errors.js";
import { requestIdOf } from "./request-id.js";

export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

interface Where {
  provider?: string;
  operation?: string;
}

/** The body's bytes; InvalidResponseError as soon as it passes `maxBytes` (the rest is not read). */
export async function readBodyLimited(
  response: Response,
  maxBytes: number = DEFAULT_MAX_RESPONSE_BYTES,
  where: Where = {},
): Promise<Uint8Array<ArrayBuffer>> {
  const tooLarge = (size: string) =>
    new InvalidResponseError({
      provider: where.provider ?? "unknown",
      operation: where.operation,
      status: response.status,
      requestId: requestIdOf(response.headers),
      message: `response body of ${size} exceeds the ${maxBytes}-byte limit`,
    });

  const length = response.headers.get("content-length");
  const declared = Number(length);
  if (declared > maxBytes) {
    await discardBody(response);
    throw tooLarge(`${declared} bytes`);
  }
  if (!response.body) return new Uint8Array(0);
  // Fast path: a declared length within the limit, not compressed (a decoded body may be larger
  // than its Content-Length): fetch enforces the length, so one read of the whole body is safe.
  const encoding = response.headers.get("content-encoding");
  if (length !== null && (encoding === null || encoding === "identity")) {
    return new Uint8Array(await response.arrayBuffer());
  }

  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(`more than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** Statuses whose Response may not carry a body (the constructor throws otherwise). */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/**
 * The same response with its body read into memory. The Response fetch returned is kept (status,
 * headers and url as they were) and its body readers answer from the bytes read: `text()`,
 * `json()`, `arrayBuffer()`, `bytes()`, `blob()` (any number of times), `body` (a fresh stream)
 * and `clone()`. Cheaper than building a second Response and reading it through a stream again.
 */
export async function bufferResponse(
  response: Response,
  maxBytes: number,
  where: Where,
): Promise<Response> {
  const nullBody = NULL_BODY_STATUSES.has(response.status);
  const bytes = nullBody ? null : await readBodyLimited(response, maxBytes, where);
  if (nullBody) await discardBody(response);
  return holdBody(response, bytes);
}

const BYTES = Symbol("custkit.bytes");
type Held = Response & { [BYTES]: Uint8Array<ArrayBuffer> | null };
let decoder: TextDecoder | undefined;
const textOf = (r: Held) => {
  decoder ??= new TextDecoder();
  return r[BYTES] === null ? "" : decoder.decode(r[BYTES]);
};
/** The text of a response the transport returned (body held), without the async readers. */
export function heldText(response: Response): string {
  return textOf(response as Held);
}
const bufferOf = (r: Held) => (r[BYTES] === null ? new ArrayBuffer(0) : r[BYTES].slice().buffer);
function copyOf(r: Held): Response {
  const fresh = new Response(r[BYTES] === null ? null : r[BYTES].slice(), {
    status: r.status,
    statusText: r.statusText,
    headers: r.headers,
  });
  Object.defineProperty(fresh, "url", { value: r.url });
  return fresh;
}
/**
 * Body readers answering from the held bytes, on a prototype between the response and
 * `Response.prototype`: holding a body is one prototype switch (status, headers, url and the
 * rest still come from the Response itself), not a set of properties defined per response.
 */
const method = (fn: (this: Held) => unknown) => ({ value: fn, configurable: true });
const HELD_BODY: object = /* @__PURE__ */ Object.create(Response.prototype, {
  text: method(async function () {
    return textOf(this);
  }),
  json: method(async function () {
    return JSON.parse(textOf(this));
  }),
  arrayBuffer: method(async function () {
    return bufferOf(this);
  }),
  bytes: method(async function () {
    return new Uint8Array(bufferOf(this));
  }),
  blob: method(async function () {
    return new Blob(this[BYTES] === null ? [] : [this[BYTES]]);
  }),
  formData: method(function () {
    return copyOf(this).formData();
  }),
  clone: method(function () {
    return copyOf(this);
  }),
  body: {
    get(this: Held) {
      return this[BYTES] === null ? null : copyOf(this).body;
    },
    configurable: true,
  },
  bodyUsed: {
    get() {
      return false;
    },
    configurable: true,
  },
});

function holdBody(response: Response, bytes: Uint8Array<ArrayBuffer> | null): Response {
  (response as Held)[BYTES] = bytes;
  return Object.setPrototypeOf(response, HELD_BODY);
}

/** Let go of a body we will not read, so its socket is closed or reused rather than left open. */
export async function discardBody(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => {});
}
