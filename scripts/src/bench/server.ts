/**
 * A minimal loopback vendor: node:http answering each vendor's documented success body, nothing
 * else (no parsing beyond draining the request), so what is measured is the client side.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** Success bodies by vendor (from each spec's 2xx example shape). */
export const SUCCESS_BODIES: Readonly<Record<string, string>> = {
  align: "{}",
  maia: JSON.stringify({
    id: "42",
    referenceId: "ref-1",
    dateOfBirth: "1990-01-31",
    gender: "female",
    addressCity: "Lisbon",
    published_at: "2024-05-01T10:00:00Z",
  }),
  nuweb: JSON.stringify({ data: { id: 7, attributes: { email: "jane@example.com" } } }),
  enfuce: JSON.stringify({ description: "Updated", id: "123" }),
  loanpro: JSON.stringify({ d: { id: 5 } }),
};

function vendorOf(url: string): string {
  if (url.startsWith("/v0/customers/")) return "align";
  if (url.startsWith("/customers/update")) return "nuweb";
  if (url.startsWith("/customers/")) return "maia";
  if (url.startsWith("/odata.svc/")) return "loanpro";
  return "enfuce";
}

export interface LoopbackServer {
  url: string;
  requests: number;
  close(): Promise<void>;
}

export async function startLoopback(): Promise<LoopbackServer> {
  const state = { requests: 0 };
  const server: Server = createServer((req, res) => {
    state.requests++;
    const body = SUCCESS_BODIES[vendorOf(req.url ?? "/")] as string;
    req.resume();
    req.on("end", () => {
      res.writeHead(200, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(body),
      });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
