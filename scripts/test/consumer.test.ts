/**
 * The real consumer view: pack every public @custkit package, install the tarballs with plain npm
 * into a fresh project outside the workspace, type-check an ESM consumer (moduleResolution node16
 * and bundler) and a CommonJS one (node16, .cts), then run both against a loopback server and
 * check what the server received and what the facade returned.
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { packAll, run } from "./fixtures/consumer/pack.js";
import {
  type ConsumerServer,
  expectConsumerRun,
  startConsumerServer,
} from "./fixtures/consumer/server.js";

const fixtures = path.join(import.meta.dirname, "fixtures/consumer");
const TYPESCRIPT = "5.9.3";
const TYPES_NODE = "20.19.43";

let work: string;
let consumer: string;
let server: ConsumerServer;

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
  server = await startConsumerServer();
}, 600_000);

afterAll(async () => {
  await server?.close();
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
  ] as const)("the %s consumer makes real calls through the facade", async (_label, file, kind) => {
    server.received.length = 0;
    const { stdout } = await run(process.execPath, [path.join(consumer, file)], {
      cwd: consumer,
      env: { ...process.env, CUSTKIT_BASE_URL: server.baseUrl },
      timeout: 60_000,
    });
    expectConsumerRun(stdout, server.received, kind);
  });
});
