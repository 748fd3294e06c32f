/** Prism mock servers for the demo: one per provider, on free loopback ports, from packages/<p>/openapi.json. */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const PRISM = path.join(repoRoot, "scripts/node_modules/.bin/prism");

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface MockServer {
  provider: string;
  url: string;
  /** Everything Prism printed (request validation findings included). */
  log(): string;
  stop(): Promise<void>;
}

/**
 * Start `prism mock` on the provider's effective spec and wait until it answers HTTP. With
 * `--errors`, a request that breaks the spec gets a 4xx instead of an example, so the demo's
 * success means every request was valid; a valid request still gets the spec's example body.
 */
export async function startMock(
  provider: string,
  options: { timeoutMs?: number } = {},
): Promise<MockServer> {
  const spec = path.join(repoRoot, "packages", provider, "openapi.json");
  return { provider, ...(await startPrism(spec, { ...options, name: provider })) };
}

/**
 * Start `prism mock --errors` on any spec file and wait until it answers HTTP. The one Prism
 * launcher of the repository's tooling (the demo above, scripts/test).
 */
export async function startPrism(
  spec: string,
  options: { timeoutMs?: number; name?: string } = {},
): Promise<Omit<MockServer, "provider">> {
  const provider = options.name ?? path.basename(spec);
  const port = await freePort();
  const child: ChildProcess = spawn(
    PRISM,
    ["mock", "--errors", "-h", "127.0.0.1", "-p", String(port), spec],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let log = "";
  child.stdout?.on("data", (d: Buffer) => {
    log += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    log += d.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill("SIGTERM");
    });
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  // Readiness: poll until Prism answers any HTTP request.
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`prism for ${provider} exited with ${child.exitCode}:\n${log}`);
    try {
      await fetch(`${url}/__custkit_ready`, { signal: AbortSignal.timeout(1000) });
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(
          `prism for ${provider} did not start within ${options.timeoutMs ?? 60_000} ms:\n${log}`,
        );
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return { url, log: () => log, stop };
}
