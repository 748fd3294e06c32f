/**
 * A loopback vendor that enforces a rate limit, as Align would: a token bucket of `perSecond`
 * refilled continuously (`burst` deep, default a quarter second of it); a request without a token gets 429 with Retry-After.
 * It records what it accepted (per customer path, with times), so tests and benchmarks measure
 * the rate and the duplicates on the vendor's side, not the client's.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface RateMock {
  url: string;
  /** Accept times (ms, performance.now()) in order. */
  accepted: number[];
  /** Accepted updates per request path. */
  acceptedByPath: Map<string, number>;
  /** Requests answered 429. */
  refused(): number;
  /** Accepted per second between the first and the last acceptance. */
  rate(): number;
  /**
   * Requests received per second (refused ones too: the load the vendor saw) beyond a first
   * burst: a client limited to N/s that lets `burst` go together sends at most burst + N·t in any
   * t, so (received − burst) / span is what must stay within N.
   */
  rateBeyondBurst(burst: number): number;
  close(): Promise<void>;
}

export async function startRateMock(options: {
  perSecond: number;
  burst?: number;
  latencyMs?: number;
}): Promise<RateMock> {
  const burst = options.burst ?? Math.max(1, Math.ceil(options.perSecond / 4));
  let tokens = burst;
  let refilledAt = performance.now();
  let refused = 0;
  const accepted: number[] = [];
  const received: number[] = [];
  const acceptedByPath = new Map<string, number>();
  const take = (now: number) => {
    tokens = Math.min(burst, tokens + ((now - refilledAt) * options.perSecond) / 1000);
    refilledAt = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const now = performance.now();
      received.push(now);
      if (!take(now)) {
        refused++;
        res.writeHead(429, { "content-type": "application/json", "retry-after": "1" });
        res.end('{"message":"slow down"}');
        return;
      }
      accepted.push(now);
      const path = req.url ?? "";
      acceptedByPath.set(path, (acceptedByPath.get(path) ?? 0) + 1);
      const answer = () => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end("{}");
      };
      if (options.latencyMs) setTimeout(answer, options.latencyMs);
      else answer();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    accepted,
    acceptedByPath,
    refused: () => refused,
    rate: () => {
      const n = accepted.length;
      if (n < 2) return 0;
      return ((n - 1) * 1000) / ((accepted[n - 1] as number) - (accepted[0] as number));
    },
    rateBeyondBurst: (b) => {
      const n = received.length;
      if (n <= b) return 0;
      return ((n - b) * 1000) / ((received[n - 1] as number) - (received[0] as number));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
