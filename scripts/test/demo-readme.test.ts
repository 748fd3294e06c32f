/** The root README's facade example runs as written (against a stubbed fetch). */
import { readFileSync } from "node:fs";
import path from "node:path";
import * as customersModule from "@custkit/customers";
import ts from "typescript";
import { afterEach, expect, it, vi } from "vitest";
import { repoRoot } from "../src/demo/mocks.js";

afterEach(() => {
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
});

it("README facade example", async () => {
  const readme = readFileSync(path.join(repoRoot, "README.md"), "utf8");
  const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block).toBeDefined();
  const source = (block as string).replace(
    /^import \{ createCustomers \} from "@custkit\/customers";$/m,
    "",
  );
  expect(source).not.toMatch(/^import /m);
  const js = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  }).outputText;

  const sent: { method: string; url: string; body: unknown }[] = [];
  // The fetch signature: the runtime may call fetch(request) or fetch(url, init).
  vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    sent.push({ method: request.method, url: request.url, body: JSON.parse(await request.text()) });
    return new Response("{}", { status: 200, headers: { "content-type": "application/json" } });
  });
  vi.stubEnv("CUSTKIT_ALIGN_API_KEY", "readme-align-key");
  vi.stubEnv("CUSTKIT_NUWEB_TOKEN", "readme-nuweb-token");
  const logs: unknown[][] = [];
  const errors: unknown[][] = [];
  const console = {
    log: (...a: unknown[]) => logs.push(a),
    error: (...a: unknown[]) => errors.push(a),
  };
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
    ...args: string[]
  ) => (...a: unknown[]) => Promise<void>;
  await new AsyncFunction("createCustomers", "console", "process", js)(
    customersModule.createCustomers,
    console,
    process,
  );

  expect(errors).toEqual([]);
  expect(logs[0]).toEqual([["kind", "name.given", "name.family", "birthDate"]]);
  expect(logs.slice(1)).toEqual(
    expect.arrayContaining([
      ["align", "ok", ["email"]],
      ["nuweb", "ok", []],
    ]),
  );
  expect(sent.map((s) => `${s.method} ${new URL(s.url).pathname}`)).toEqual([
    "PUT /v0/customers/3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "POST /v1/customers/update",
  ]);
});
