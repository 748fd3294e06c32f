/**
 * A loopback HTTP server that misbehaves on cue, for testing clients against real sockets.
 * Script one behaviour per request (`server.script(status(503), status(503), json(200, {}))`);
 * when the script runs out, `fallback` answers. Every request is recorded (method, url,
 * headers, body) before its behaviour runs, so "the server saw N attempts" is assertable.
 *
 *   const server = await startFaultServer();
 *   server.script(retryAfter(2), json(200, { ok: true }));
 *   await fetch(`${server.url}/customers/1`);
 *   await server.close();
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type Behaviour =
  /** An answer, optionally slow before the headers and/or between the two halves of the body. */
  | {
      kind: "respond";
      status: number;
      headers?: Record<string, string>;
      body?: string | Buffer;
      headersDelayMs?: number;
      bodyDelayMs?: number;
    }
  /** Destroy the connection after reading the request, without answering. */
  | { kind: "reset" }
  /** Announce the full body length, send only `sendBytes` of it, then destroy the connection. */
  | {
      kind: "truncate";
      status: number;
      headers?: Record<string, string>;
      body: string;
      sendBytes: number;
    }
  /** Never answer (until the client gives up or the server closes). */
  | { kind: "hang" }
  /** Stream `bytes` bytes chunked (no content-length), so a size limit must be enforced while reading. */
  | { kind: "stream"; status: number; bytes: number; chunkBytes?: number };

export type Script = Behaviour | ((request: RecordedRequest) => Behaviour);

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Becomes true when the connection this request came on closes (e.g. the client gave up). */
  connectionClosed: boolean;
}

const JSON_TYPE = { "content-type": "application/json" };

export const json = (
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): Behaviour => ({
  kind: "respond",
  status,
  headers: { ...JSON_TYPE, ...headers },
  body: JSON.stringify(value),
});
/** A status with a small JSON error body. */
export const status = (code: number, headers: Record<string, string> = {}): Behaviour =>
  json(code, { error: `status ${code}` }, headers);
/** 429 (or `code`) with Retry-After as delay-seconds or as an HTTP-date. */
export const retryAfter = (after: number | Date, code = 429): Behaviour =>
  status(code, { "retry-after": after instanceof Date ? after.toUTCString() : String(after) });
export const slowHeaders = (ms: number, then: Behaviour = json(200, { ok: true })): Behaviour =>
  then.kind === "respond" ? { ...then, headersDelayMs: ms } : then;
export const slowBody = (ms: number, value: unknown = { ok: true }): Behaviour => ({
  ...(json(200, value) as Extract<Behaviour, { kind: "respond" }>),
  bodyDelayMs: ms,
});
export const reset = (): Behaviour => ({ kind: "reset" });
export const hang = (): Behaviour => ({ kind: "hang" });
export const truncatedJson = (code = 200): Behaviour => {
  const body = JSON.stringify({ id: "c_1", name: "Ada Lovelace", email: "ada@example.com" });
  return {
    kind: "truncate",
    status: code,
    headers: JSON_TYPE,
    body,
    sendBytes: Math.floor(body.length / 2),
  };
};
/** Complete, well-framed, but not JSON. */
export const invalidJson = (code = 200): Behaviour => ({
  kind: "respond",
  status: code,
  headers: JSON_TYPE,
  body: '{"id": "c_1", "name": ',
});
export const htmlError = (code = 502): Behaviour => ({
  kind: "respond",
  status: code,
  headers: { "content-type": "text/html; charset=utf-8" },
  body: `<!DOCTYPE html><html><head><title>${code} Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>`,
});
export const empty = (code = 200): Behaviour => ({
  kind: "respond",
  status: code,
  headers: JSON_TYPE,
  body: "",
});
export const oversized = (bytes: number, code = 200): Behaviour => ({
  kind: "stream",
  status: code,
  bytes,
});
/** JSON content served as text/plain. */
export const wrongContentType = (code = 200): Behaviour => ({
  kind: "respond",
  status: code,
  headers: { "content-type": "text/plain" },
  body: JSON.stringify({ ok: true }),
});

export interface FaultServer {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Behaviour when the script is empty. Default json(200, { ok: true }). */
  fallback: Script;
  /** Queue behaviours, one per upcoming request. */
  script(...behaviours: Script[]): FaultServer;
  /** Connections currently open, idle keep-alive ones included. */
  openConnections(): number;
  /** Stops listening, cancels pending delays and destroys every open connection. */
  close(): Promise<void>;
}

/** Waits for the socket buffer to empty, or for the client to go away. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done).off("close", done);
      resolve();
    };
    res.on("drain", done).on("close", done);
  });
}

export async function startFaultServer(options: { fallback?: Script } = {}): Promise<FaultServer> {
  const queue: Script[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const bySocket = new WeakMap<Socket, RecordedRequest[]>();
  const timers = new Set<ReturnType<typeof setTimeout>>();

  /** A delay that is cancelled when the response closes early, so no timer outlives its request. */
  const delay = (ms: number, res: ServerResponse) =>
    new Promise<boolean>((resolve) => {
      if (res.destroyed) return resolve(false);
      const timer = setTimeout(() => done(true), ms);
      const onClose = () => done(false);
      const done = (ok: boolean) => {
        clearTimeout(timer);
        timers.delete(timer);
        res.off("close", onClose);
        resolve(ok);
      };
      timers.add(timer);
      res.on("close", onClose);
    });

  const behave = async (b: Behaviour, req: IncomingMessage, res: ServerResponse) => {
    switch (b.kind) {
      case "reset":
        req.socket.destroy();
        return;
      case "hang":
        return;
      case "truncate":
        res.writeHead(b.status, {
          ...b.headers,
          "content-length": String(Buffer.byteLength(b.body)),
        });
        res.write(b.body.slice(0, b.sendBytes));
        // Let the partial body reach the client before the connection dies.
        if (await delay(10, res)) req.socket.destroy();
        return;
      case "stream": {
        res.writeHead(b.status, { "content-type": "application/json" });
        const chunk = Buffer.alloc(b.chunkBytes ?? 64 * 1024, "a");
        for (let sent = 0; sent < b.bytes && !res.destroyed; sent += chunk.length) {
          const ok = res.write(chunk.subarray(0, Math.min(chunk.length, b.bytes - sent)));
          if (!ok) await drained(res);
        }
        if (!res.destroyed) res.end();
        return;
      }
      case "respond": {
        if (b.headersDelayMs && !(await delay(b.headersDelayMs, res))) return;
        const body = b.body === undefined ? Buffer.alloc(0) : Buffer.from(b.body);
        res.writeHead(b.status, { ...b.headers, "content-length": String(body.length) });
        if (b.bodyDelayMs) {
          const half = Math.floor(body.length / 2);
          res.write(body.subarray(0, half));
          if (!(await delay(b.bodyDelayMs, res))) return;
          res.end(body.subarray(half));
        } else {
          res.end(body);
        }
      }
    }
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const recorded: RecordedRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: { ...req.headers },
        body: Buffer.concat(chunks).toString("utf8"),
        connectionClosed: req.socket.destroyed,
      };
      // One close listener per socket (keep-alive sockets carry many requests).
      const onSocket = bySocket.get(req.socket);
      if (onSocket) onSocket.push(recorded);
      else {
        const list = [recorded];
        bySocket.set(req.socket, list);
        req.socket.once("close", () => {
          for (const r of list) r.connectionClosed = true;
        });
      }
      requests.push(recorded);
      const next = queue.shift() ?? fault.fallback;
      const behaviour = typeof next === "function" ? next(recorded) : next;
      behave(behaviour, req, res).catch(() => req.socket.destroy());
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const fault: FaultServer = {
    url: `http://127.0.0.1:${port}`,
    requests,
    fallback: options.fallback ?? json(200, { ok: true }),
    script(...behaviours) {
      queue.push(...behaviours);
      return fault;
    },
    openConnections: () => sockets.size,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return fault;
}

/** A loopback port nothing listens on (bound, then released), for "connection refused". */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
