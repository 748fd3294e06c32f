/**
 * Planted secrets never surface. Every client runs failing calls against a loopback server that
 * echoes the whole request (Authorization and other headers, body) back in 401/422/500 bodies (as
 * JSON, as text and as an HTML page), plus network resets and timeouts. Everything produced is
 * collected — error messages, toJSON(), util.inspect, String(err), the cause chain, every hook
 * payload, console output — and scanned for each planted secret.
 */
import { inspect } from "node:util";
import { CustkitError } from "@custkit/runtime";
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import {
  CREDENTIALS,
  type Example,
  initOf,
  loadExamples,
  makeClient,
  method,
  PROVIDERS,
  type Recorder,
  startRecorder,
} from "./faults-helpers.js";

/** Personal data planted in bodies, by provider: [path in the body, value]. */
const BODY_SECRETS: Record<string, [string[], string][]> = {
  loanpro: [
    [["ssn"], "912345678"],
    [["accessPassword"], "PLANTED-portal-pw-Qa9x"],
    [["driverLicense"], "PLANTEDDL4471"],
  ],
  nuweb: [[["password"], "PLANTED-nuweb-pw-Kk2z"]],
  align: [
    [["identifying_information", "tax_number", "number"], "PLANTED-TAX-55X1"],
    [["identifying_information", "id_document", "number"], "PLANTED-IDNO-77Z2"],
  ],
};

function setAt(root: Record<string, unknown>, path: string[], value: unknown) {
  let node = root;
  for (const k of path.slice(0, -1)) {
    if (typeof node[k] !== "object" || node[k] === null) node[k] = {};
    node = node[k] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

const secrets = new Set<string>();
for (const creds of Object.values(CREDENTIALS))
  for (const [k, v] of Object.entries(creds)) {
    secrets.add(v);
    if (k === "password")
      secrets.add(Buffer.from(`${CREDENTIALS.enfuce.username}:${v}`).toString("base64"));
  }
for (const list of Object.values(BODY_SECRETS)) for (const [, v] of list) secrets.add(v);
secrets.add("PLANTED-percall-token-Vv3");

const produced: string[] = [];
let examples: Example[] = [];
let server: Recorder;
let mode = 0;
const MODES = [
  { status: 401, kind: "json" },
  { status: 422, kind: "json" },
  { status: 500, kind: "json" },
  { status: 422, kind: "text" },
  { status: 502, kind: "html" },
  { status: 400, kind: "laravel" },
] as const;

beforeAll(async () => {
  examples = await loadExamples();
  server = await startRecorder((r, res) => {
    const m = MODES[mode % MODES.length] as (typeof MODES)[number];
    const echo = JSON.stringify({ headers: r.headers, body: r.body, url: r.url });
    if (m.kind === "json") {
      res.writeHead(m.status, {
        "content-type": "application/json",
        "x-request-id": r.headers.authorization ?? "rid-1",
      });
      res.end(
        JSON.stringify({
          message: `rejected: ${echo}`,
          code: r.body.slice(0, 40),
          errors: [{ field: "x", message: r.body }],
        }),
      );
    } else if (m.kind === "laravel") {
      res.writeHead(m.status, { "content-type": "application/json" });
      let parsed: Record<string, unknown> = {};
      try {
        parsed = JSON.parse(r.body);
      } catch {}
      const errors = Object.fromEntries(
        Object.entries(parsed).map(([k, v]) => [k, [`The ${k} ${JSON.stringify(v)} is invalid`]]),
      );
      res.end(JSON.stringify({ message: "The given data was invalid.", errors }));
    } else {
      res.writeHead(m.status, { "content-type": m.kind === "html" ? "text/html" : "text/plain" });
      res.end(
        m.kind === "html" ? `<html><body><pre>${echo}</pre></body></html>` : `bad request ${echo}`,
      );
    }
  });
});
afterAll(async () => {
  await server.close();
});

function collect(value: unknown): void {
  if (value instanceof Error) {
    produced.push(value.message, String(value), inspect(value, { depth: 10 }), value.stack ?? "");
    if (value instanceof CustkitError)
      produced.push(JSON.stringify(value), JSON.stringify(value.toJSON()));
    let cause: unknown = (value as { cause?: unknown }).cause;
    for (let i = 0; cause !== undefined && i < 6; i++) {
      produced.push(inspect(cause, { depth: 10 }), String(cause));
      cause = (cause as { cause?: unknown }).cause;
    }
  } else produced.push(inspect(value, { depth: 10 }), JSON.stringify(value) ?? "");
}

test("no planted secret appears in anything a failing call produces (all five clients)", async () => {
  const consoleOut: string[] = [];
  const spies = (["log", "info", "warn", "error", "debug"] as const).map((k) =>
    vi.spyOn(console, k).mockImplementation((...args: unknown[]) => {
      consoleOut.push(args.map((a) => inspect(a, { depth: 10 })).join(" "));
    }),
  );
  let calls = 0;
  let echoed = 0;
  try {
    const hooks = {
      onRequest: (e: unknown) => produced.push(JSON.stringify(e), inspect(e, { depth: 10 })),
      onResponse: (e: unknown) => produced.push(JSON.stringify(e), inspect(e, { depth: 10 })),
      onRetry: (e: unknown) => produced.push(JSON.stringify(e), inspect(e, { depth: 10 })),
      onError: (e: unknown) => {
        produced.push(inspect(e, { depth: 10 }));
        collect((e as { error: unknown }).error);
      },
    };
    for (const ex of examples) {
      const body = structuredClone(ex.body) as Record<string, unknown> | undefined;
      for (const [path, value] of BODY_SECRETS[ex.provider] ?? [])
        if (body) setAt(body, path, value);
      for (const [i] of MODES.entries()) {
        mode = i;
        const client = makeClient(ex, server.url, {
          hooks,
          retries: { maxRetries: 1, initialDelayMs: 1, maxDelayMs: 2 },
        });
        const before = server.requests.length;
        const outcome = await method(client, ex)(initOf(ex, body), {
          headers: { "X-Api-Token": "PLANTED-percall-token-Vv3" },
        }).catch((e: unknown) => e);
        calls++;
        expect(outcome, `${ex.provider} ${MODES[i]?.kind}`).toBeInstanceOf(CustkitError);
        collect(outcome);
        const got = server.requests
          .slice(before)
          .map((r) => JSON.stringify(r))
          .join("");
        if (
          [...secrets].some((s) => got.includes(s) || got.includes(JSON.stringify(s).slice(1, -1)))
        )
          echoed++;
      }
      // Network reset and timeout: errors carry causes from undici.
      for (const extra of [{ baseUrl: "http://127.0.0.1:9" }, { timeoutMs: 1, retries: false }]) {
        const client = makeClient(ex, server.url, { hooks, retries: false, ...extra });
        const outcome = await method(client, ex)(initOf(ex, body)).catch((e: unknown) => e);
        calls++;
        expect(outcome).toBeInstanceOf(CustkitError);
        collect(outcome);
      }
    }
  } finally {
    for (const s of spies) s.mockRestore();
  }
  produced.push(...consoleOut);
  const text = produced.join("\n");
  const leaks = [...secrets].filter((s) => text.includes(s));
  console.info(
    `secrets planted: ${secrets.size}; failing calls: ${calls} (${echoed} echoed the secrets back); texts scanned: ${produced.length}; leaks: ${leaks.length}`,
  );
  expect(echoed).toBeGreaterThan(20);
  expect(leaks).toEqual([]);
});

test("providers list", () => {
  expect(PROVIDERS.length).toBe(5);
});
