/**
 * The real consumer view: pack every public @custkit package, install the tarballs with plain npm
 * into a fresh project outside the workspace, type-check an ESM consumer (moduleResolution node16
 * and bundler) and a CommonJS one (node16, .cts), then run both against a loopback server and
 * check what the server received and what the facade returned.
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { packAll, run } from "./fixtures/consumer/pack.js";

const fixtures = path.join(import.meta.dirname, "fixtures/consumer");
const TYPESCRIPT = "5.9.3";
const TYPES_NODE = "20.19.43";

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

let work: string;
let consumer: string;
let server: Server;
let baseUrl: string;
const received: Received[] = [];

function startServer(): Promise<void> {
  server = createServer((req, res) => {
    let text = "";
    req.on("data", (c) => {
      text += c;
    });
    req.on("end", () => {
      const body = text ? JSON.parse(text) : undefined;
      received.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { "content-type": "application/json", "x-request-id": "req-1" });
        res.end(JSON.stringify(value));
      };
      if (req.method === "PUT" && req.url?.startsWith("/v0/customers/")) return json(200, {});
      if (req.method === "POST" && req.url === "/customers/update") {
        const { id, ...attributes } = body as { id: string };
        if (id === "404") return json(404, { message: "No query results for model [Customer]." });
        return json(200, {
          data: {
            type: "customers",
            id: Number(id),
            attributes: { name: "Jane Doe", ...attributes },
          },
        });
      }
      json(418, { message: `unexpected ${req.method} ${req.url}` });
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve();
    }),
  );
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "custkit-consumer-"));
  const tarballs = await packAll(path.join(work, "tarballs"));
  consumer = path.join(work, "consumer");
  await mkdir(path.join(consumer, "src"), { recursive: true });
  const dependencies = Object.fromEntries(
    [...tarballs].map(([name, file]) => [name, `file:${path.relative(consumer, file)}`]),
  );
  await writeFile(
    path.join(consumer, "package.json"),
    JSON.stringify(
      {
        name: "custkit-consumer",
        private: true,
        type: "module",
        dependencies,
        devDependencies: { typescript: TYPESCRIPT, "@types/node": TYPES_NODE },
      },
      null,
      2,
    ),
  );
  await copyFile(path.join(fixtures, "esm.ts.txt"), path.join(consumer, "src/esm.ts"));
  await copyFile(path.join(fixtures, "cjs.cts.txt"), path.join(consumer, "src/cjs.cts"));
  await copyFile(
    path.join(fixtures, "type-errors.ts.txt"),
    path.join(consumer, "src/type-errors.ts"),
  );
  const base = { strict: true, skipLibCheck: false, types: ["node"], target: "ES2022" };
  const tsconfig = (name: string, compilerOptions: object, files: string[]) =>
    writeFile(
      path.join(consumer, name),
      JSON.stringify({ compilerOptions: { ...base, ...compilerOptions }, files }, null, 2),
    );
  await tsconfig(
    "tsconfig.node16.json",
    { module: "node16", moduleResolution: "node16", outDir: "out" },
    ["src/esm.ts", "src/cjs.cts", "src/type-errors.ts"],
  );
  await tsconfig(
    "tsconfig.bundler.json",
    { module: "preserve", moduleResolution: "bundler", noEmit: true },
    ["src/esm.ts", "src/type-errors.ts"],
  );
  // Plain npm, outside the workspace; third-party deps come from the registry (or npm's cache).
  await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: consumer,
    timeout: 420_000,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, npm_config_workspaces: "false" },
  });
  await startServer();
}, 600_000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  if (work) await rm(work, { recursive: true, force: true });
});

const tsc = (project: string) =>
  run(process.execPath, [path.join(consumer, "node_modules/typescript/bin/tsc"), "-p", project], {
    cwd: consumer,
    timeout: 180_000,
  }).catch((e: { stdout: string; stderr: string }) => {
    throw new Error(`tsc -p ${project} failed:\n${e.stdout}${e.stderr}`);
  });

describe("a fresh npm project using the packed tarballs", () => {
  test("installs only registry packages besides the tarballs, with no workspace: specifiers", async () => {
    const { stdout } = await run("npm", ["ls", "--all", "--json"], { cwd: consumer });
    const tree = JSON.stringify(JSON.parse(stdout));
    expect(tree).not.toMatch(/workspace:|catalog:/);
    for (const name of [
      "@custkit/runtime",
      "@custkit/customers",
      "@custkit/align",
      "@custkit/nuweb",
    ])
      expect(tree).toContain(name);
  });

  test("type-checks: ESM with moduleResolution node16 and bundler, CommonJS with node16", async () => {
    await tsc("tsconfig.bundler.json");
    await tsc("tsconfig.node16.json"); // emits out/esm.js (ESM) and out/cjs.cjs (CommonJS)
  });

  test.each([
    ["ESM", "out/esm.js", "esm"],
    ["CommonJS", "out/cjs.cjs", "cjs"],
  ])("the %s consumer makes real calls through the facade", async (_label, file, kind) => {
    received.length = 0;
    const { stdout } = await run(process.execPath, [path.join(consumer, file)], {
      cwd: consumer,
      env: { ...process.env, CUSTKIT_BASE_URL: baseUrl },
      timeout: 60_000,
    });
    const out = JSON.parse(stdout.trim().split("\n").pop() ?? "{}");
    expect(out.module).toBe(kind);
    expect(out.providers).toEqual(["align"]);

    // What the server got.
    const [alignReq, nuwebReq, directReq, missingReq] = received;
    expect(alignReq).toMatchObject({
      method: "PUT",
      url: "/v0/customers/3fa85f64-5717-4562-b3fc-2c963f66afa6",
      body: { first_name: "Jane", last_name: "Doe", birth_date: "1990-01-31" },
    });
    expect(alignReq?.headers["api-key"]).toBe("align-key-123");
    expect(alignReq?.headers.authorization).toBeUndefined();
    expect(nuwebReq).toMatchObject({
      method: "POST",
      url: "/customers/update",
      body: { id: "42", email: "jane@example.com" },
    });
    expect(nuwebReq?.headers.authorization).toBe("Bearer nuweb-token-123");
    expect(nuwebReq?.headers["x-nu-company-id"]).toBe("7");
    expect(directReq).toMatchObject({
      method: "POST",
      body: { id: "43", email: "direct@example.com" },
    });
    expect(missingReq?.body).toMatchObject({ id: "404" });

    // The normalised results.
    expect(out.align).toMatchObject({ provider: "align", requests: 1 });
    expect(out.align.written).toEqual(
      expect.arrayContaining(["name.given", "name.family", "birthDate"]),
    );
    expect(out.nuweb).toMatchObject({
      provider: "nuweb",
      id: "42",
      written: ["email"],
      requests: 1,
      customer: { id: "42", email: "jane@example.com", name: { full: "Jane Doe" } },
    });
    expect(out.direct).toEqual({
      status: 200,
      data: {
        data: {
          type: "customers",
          id: 43,
          attributes: { name: "Jane Doe", email: "direct@example.com" },
        },
      },
    });
    expect(out.error).toEqual({ name: "NotFoundError", kind: "not_found", status: 404 });
  });
});
