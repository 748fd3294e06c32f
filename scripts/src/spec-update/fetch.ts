/** Download a vendor spec over http(s) with a timeout and a size cap. Nothing is written here. */

export interface FetchOptions {
  timeoutMs?: number;
  maxBytes?: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

export class DownloadError extends Error {
  override name = "DownloadError";
}

export async function downloadSpec(url: string, options: FetchOptions = {}): Promise<Buffer> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DownloadError(`not a URL: ${url}`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new DownloadError(
      `only http and https URLs are allowed, got ${parsed.protocol.replace(/:$/, "")}: ${url}`,
    );
  }
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetch(parsed, {
      signal,
      redirect: "follow",
      headers: { accept: "application/yaml, application/json;q=0.9, */*;q=0.5" },
    });
  } catch (error) {
    if (signal.aborted) throw new DownloadError(`timed out after ${timeoutMs} ms: ${url}`);
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    throw new DownloadError(`cannot download ${url}: ${cause ?? (error as Error).message}`);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    throw new DownloadError(
      `download failed: HTTP ${response.status} ${response.statusText} from ${url}`,
    );
  }
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw new DownloadError(
      `response too large: ${declared} bytes declared, limit ${maxBytes} bytes (${url})`,
    );
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (response.body) {
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > maxBytes) {
          await reader.cancel().catch(() => {});
          throw new DownloadError(`response too large: more than ${maxBytes} bytes (${url})`);
        }
        chunks.push(value);
      }
    } catch (error) {
      if (error instanceof DownloadError) throw error;
      if (signal.aborted) throw new DownloadError(`timed out after ${timeoutMs} ms: ${url}`);
      throw new DownloadError(`download interrupted: ${(error as Error).message} (${url})`);
    }
  }
  return Buffer.concat(chunks);
}
