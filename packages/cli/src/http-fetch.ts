/**
 * A lean fetch over node:http(s) with a keep-alive agent, for `sync`'s many small requests. Node's
 * built-in fetch spends most of its time on web-stream plumbing per call; this one is called like
 * it, `fetch(url, init)`, sends the serialized body as it is with `http.request`, and builds the
 * `Response` from the buffered answer. It honours `init.signal` (timeouts and aborts reach the
 * client as AbortErrors).
 */
import http from "node:http";
import https from "node:https";
import type { Fetch, FetchInit } from "@custkit/runtime";

export function createHttpFetch(maxSockets: number): Fetch {
  const agents = {
    "http:": new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets }),
    "https:": new https.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets }),
  };
  return async (url: string, init: FetchInit): Promise<Response> => {
    const target = new URL(url);
    const { signal, method } = init;
    const headers: Record<string, string> = { ...init.headers };
    const body = await bytesOf(init.body, headers);
    if (body !== undefined) headers["content-length"] = String(body.length);
    return new Promise<Response>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason ?? new DOMException("aborted", "AbortError"));
      const lib = target.protocol === "https:" ? https : http;
      const req = lib.request(
        target,
        { method, headers, agent: agents[target.protocol as "http:" | "https:"] },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("error", reject);
          res.on("end", () => {
            signal.removeEventListener("abort", onAbort);
            const h = new Headers();
            for (let i = 0; i < res.rawHeaders.length; i += 2)
              h.append(res.rawHeaders[i] as string, res.rawHeaders[i + 1] as string);
            const status = res.statusCode ?? 0;
            const noBody = status === 204 || status === 304 || method === "HEAD";
            resolve(
              new Response(noBody ? null : Buffer.concat(chunks), {
                status,
                statusText: res.statusMessage ?? "",
                headers: h,
              }),
            );
          });
        },
      );
      const onAbort = () => {
        const reason = signal.reason ?? new DOMException("aborted", "AbortError");
        req.destroy(reason instanceof Error ? reason : new Error(String(reason)));
        reject(reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      req.on("error", (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      });
      req.end(body);
    });
  };
}

/**
 * The bytes to send. Strings and bytes (what the clients serialize) go as they are; other bodies
 * (URLSearchParams, FormData, Blob) are encoded the way fetch would, content type included.
 */
async function bytesOf(
  body: FetchInit["body"],
  headers: Record<string, string>,
): Promise<Buffer | undefined> {
  if (body === null || body === undefined) return undefined;
  if (typeof body === "string") return Buffer.from(body);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const encoded = new Response(body);
  const type = encoded.headers.get("content-type");
  if (type && !Object.keys(headers).some((name) => name.toLowerCase() === "content-type"))
    headers["content-type"] = type;
  return Buffer.from(await encoded.arrayBuffer());
}
