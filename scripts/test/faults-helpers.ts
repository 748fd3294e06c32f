/**
 * Shared by the hostile-input, secrets and fault suites: the five generated clients, a valid
 * example request per operation (from the effective spec), and a loopback server that records
 * exactly what arrived (raw URL, headers, raw header list, body).
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { createAlignClient } from "../../packages/align/src/index.js";
import { createEnfuceClient } from "../../packages/enfuce/src/index.js";
import { createLoanproClient } from "../../packages/loanpro/src/index.js";
import { createMaiaClient } from "../../packages/maia/src/index.js";
import { createNuwebClient } from "../../packages/nuweb/src/index.js";
import { type ExampleRequest, exampleRequest } from "../src/generate/examples.js";
import { loadProvider } from "../src/generate/load.js";
import { PROVIDERS, repoRoot } from "./helpers.js";

export { PROVIDERS };
export type Provider = (typeof PROVIDERS)[number];
export type AnyClient = Record<string, unknown>;
export type Method = (
  init?: unknown,
  options?: unknown,
) => Promise<{ data: unknown; response: Response }>;

/** Distinct planted credentials per provider (every one of them must stay out of all output). */
export const CREDENTIALS: Record<Provider, Record<string, string>> = {
  align: { apiKey: "PLANTED-align-apikey-7Qx9Lm2Vb" },
  enfuce: { username: "planted-basic-user-K3j8", password: "PLANTED-basic-pw-Zr5Tq1Wn" },
  loanpro: { token: "PLANTED-loanpro-bearer-Hc4Yp8Ud" },
  maia: { token: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJQTEFOVEVELW1haWEifQ.PLANTEDsig6Gf2Ks" },
  nuweb: { token: "PLANTED-nuweb-bearer-Nw7Ea3Ro" },
};

const CREATORS: Record<Provider, (o: never) => unknown> = {
  align: createAlignClient,
  enfuce: createEnfuceClient,
  loanpro: createLoanproClient,
  maia: createMaiaClient,
  nuweb: createNuwebClient,
};

export interface Example extends ExampleRequest {
  provider: Provider;
  operation: string;
}

/** One valid example per provider operation. */
export async function loadExamples(): Promise<Example[]> {
  const out: Example[] = [];
  for (const provider of PROVIDERS) {
    const loaded = await loadProvider(repoRoot, provider);
    for (const operation of Object.keys(loaded.config.operations))
      out.push({ provider, operation, ...exampleRequest(loaded, operation) });
  }
  return out;
}

export function makeClient(
  ex: Example,
  baseUrl: string,
  extra: Record<string, unknown> = {},
): AnyClient {
  return (CREATORS[ex.provider] as (o: unknown) => AnyClient)({
    ...CREDENTIALS[ex.provider],
    ...ex.clientHeaders,
    baseUrl,
    ...extra,
  });
}

export function method(client: AnyClient, ex: Example): Method {
  return client[ex.operation] as Method;
}

/** The example's first argument (JSON body, or the first media type's). */
export function initOf(ex: Example, body: unknown = ex.body): Record<string, unknown> {
  const init: Record<string, unknown> = {};
  if (Object.keys(ex.params).length) init.params = structuredClone(ex.params);
  if (body !== undefined) init.body = structuredClone(body);
  return init;
}

export interface Received {
  method: string;
  /** Exactly as on the request line. */
  url: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: string;
}

export interface Recorder {
  url: string;
  requests: Received[];
  close(): Promise<void>;
}

/** Loopback server recording every request; `reply` answers (default 200 `{}`). */
export async function startRecorder(
  reply: (r: Received, res: ServerResponse) => void = (_r, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end("{}");
  },
): Promise<Recorder> {
  const requests: Received[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r: Received = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(r);
      reply(r, res);
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The literal path of an operation with its parameters' slots, e.g. `/customers/{id}`. */
export function pathTemplate(
  ex: Example,
  definition: { operations: Record<string, { path: string }> },
) {
  return (definition.operations[ex.operation] as { path: string }).path;
}
