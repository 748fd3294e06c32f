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

/** The same response with its body read into memory (status, headers and url kept). */
export async function bufferResponse(
  response: Response,
  maxBytes: number,
  where: Where,
): Promise<Response> {
  const nullBody = NULL_BODY_STATUSES.has(response.status);
  const bytes = nullBody ? null : await readBodyLimited(response, maxBytes, where);
  if (nullBody) await discardBody(response);
  const copy = new Response(bytes, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  // Response.url is read-only and empty on constructed responses; keep the real one for errors.
  Object.defineProperty(copy, "url", { value: response.url });
  return copy;
}

/** Let go of a body we will not read, so its socket is closed or reused rather than left open. */
export async function discardBody(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => {});
}
