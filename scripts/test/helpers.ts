import { cp, mkdtemp } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startPrism as startMockOn } from "../src/demo/mocks.js";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const scriptsDir = path.join(repoRoot, "scripts");
export const PROVIDERS = ["align", "enfuce", "loanpro", "maia", "nuweb"] as const;

export { freePort } from "../src/demo/mocks.js";

export interface Prism {
  url: string;
  stop: () => Promise<void>;
  output: () => string;
}

/** Start `prism mock --errors` on a spec; resolves when it answers HTTP (the demo's launcher). */
export async function startPrism(spec: string): Promise<Prism> {
  const mock = await startMockOn(spec, { timeoutMs: 45_000 });
  return { url: mock.url, stop: mock.stop, output: mock.log };
}

export interface Captured {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A loopback server that records requests and answers 200 `{}` (or what `reply` says). */
export async function startCapture(
  reply?: (c: Captured) => { status: number; body?: string; headers?: Record<string, string> },
) {
  const requests: Captured[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => {
      body += d;
    });
    req.on("end", () => {
      const captured = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
      requests.push(captured);
      const r = reply?.(captured) ?? { status: 200, body: "{}" };
      res.writeHead(r.status, { "content-type": "application/json", ...(r.headers ?? {}) });
      res.end(r.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** A temp copy of the repo's specs/ and generated packages/ (sources only), for generator runs. */
export async function tempRepo(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "custkit-gen-"));
  await cp(path.join(repoRoot, "specs"), path.join(dir, "specs"), { recursive: true });
  for (const p of PROVIDERS) {
    await cp(path.join(repoRoot, "packages", p), path.join(dir, "packages", p), {
      recursive: true,
      filter: (src) => !/[/\\](node_modules|dist|\.turbo)$/.test(src),
    });
  }
  return dir;
}
