/** Prism mock servers started from the generated packages' effective specs, on free loopback ports. */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const PRISM = fileURLToPath(new URL("../node_modules/.bin/prism", import.meta.url));

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

export interface Mock {
  url: string;
  stop(): Promise<void>;
}

export async function startPrism(provider: string): Promise<Mock> {
  const port = await freePort();
  const spec = fileURLToPath(new URL(`../../${provider}/openapi.json`, import.meta.url));
  const child: ChildProcess = spawn(
    PRISM,
    ["mock", "--errors", "-h", "127.0.0.1", "-p", String(port), spec],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let log = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`prism ${provider} did not start:\n${log}`)),
      45_000,
    );
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes("Prism is listening")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`prism ${provider} exited with ${code}:\n${log}`));
    });
  });
  child.stdout?.removeAllListeners("data");
  child.stderr?.removeAllListeners("data");
  child.removeAllListeners("exit");
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
