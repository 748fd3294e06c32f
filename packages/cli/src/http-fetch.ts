/**
 * A lean fetch over node:http(s) with a keep-alive agent, for `sync`'s many small requests. Node's
 * built-in fetch spends most of its time on web-stream plumbing per call; this one reads the
 * request body once, sends it with `http.request`, and builds the `Response` from the buffered
 * answer. It honours `request.signal` (timeouts and aborts reach the client as AbortErrors).
 */
import http from "node:http";
import https from "node:https";

export function createHttpFetch(maxSockets: number): (request: Request) => Promise<Response> {
  const agents = {
    "http:": new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets }),
    "https:": new https.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets }),
  };
  return async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const body = request.body === null ? undefined : Buffer.from(await request.arrayBuffer());
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    if (body !== undefined) headers["content-length"] = String(body.length);
    const signal = request.signal;
    return new Promise<Response>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason ?? new DOMException("aborted", "AbortError"));
      const lib = url.protocol === "https:" ? https : http;
      const req = lib.request(
        url,
        { method: request.method, headers, agent: agents[url.protocol as "http:" | "https:"] },
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
            const noBody = status === 204 || status === 304 || request.method === "HEAD";
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
