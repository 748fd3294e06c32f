/**
 * Hostile input, property-tested over all five clients against a loopback server that records the
 * raw request line and raw header list: path parameters, query values and header values drawn
 * from arbitrary strings rich in `../`, `%2e%2e`, `?`, `#`, `/`, `\`, `@`, `//evil.example`,
 * CR/LF, NUL and unicode can never change the target, add a header or leave their slot. Each
 * input ends either in a request that arrived intact or in a ValidationError with nothing sent.
 */
import { ValidationError } from "@custkit/runtime";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  type Example,
  initOf,
  loadExamples,
  makeClient,
  method,
  PROVIDERS,
  type Recorder,
  startRecorder,
} from "./faults-helpers.js";

const RUNS = 150;
let inputs = 0;
let refused = 0;
let arrived = 0;

const SPECIALS = [
  "../",
  "..",
  ".",
  "%2e%2e",
  "%2E%2E%2F",
  "?",
  "#",
  "/",
  "\\",
  "@",
  "//evil.example",
  "http://evil.example/",
  "\r\n",
  "\r\nX-Injected: 1",
  "\n",
  "\0",
  "%0d%0a",
  "&",
  "=",
  "%",
  ";",
  " ",
  "é",
  "ÿ",
  "😀",
  "\u2028",
  "\uD800",
  "(",
  ")",
  "'",
  "*",
];
const piece = fc.oneof(fc.constantFrom(...SPECIALS), fc.string({ unit: "binary", maxLength: 4 }));
const hostile = fc.oneof(
  fc.constantFrom(...SPECIALS),
  fc.array(piece, { minLength: 0, maxLength: 6 }).map((a) => a.join("")),
);

let examples: Example[] = [];
let server: Recorder;
let host: string;

beforeAll(async () => {
  examples = await loadExamples();
  server = await startRecorder();
  host = new URL(server.url).host;
});
afterAll(async () => {
  await server.close();
  console.info(
    `hostile inputs tried: ${inputs} (fast-check numRuns ${RUNS} per property); path/query/per-call: ${arrived} arrived intact, ${refused} refused unsent`,
  );
  expect(arrived).toBeGreaterThan(100);
});

/** Header names a baseline call sends; a hostile call may send no other. */
async function baselineHeaderNames(ex: Example, client: Record<string, unknown>) {
  const before = server.requests.length;
  await method(client, ex)(initOf(ex));
  const r = server.requests[before];
  if (!r) throw new Error("baseline not received");
  return new Set(Object.keys(r.headers));
}

function expectNoInjection(
  r: { headers: Record<string, unknown>; rawHeaders: string[] },
  names: Set<string>,
) {
  expect(r.headers.host).toBe(host);
  for (const name of Object.keys(r.headers))
    expect(names.has(name), `extra header ${name}`).toBe(true);
  for (let i = 0; i < r.rawHeaders.length; i += 2)
    expect(r.rawHeaders[i]?.toLowerCase()).not.toBe("x-injected");
}

/** `/a/{x}/b` with the other parameters filled in, split around parameter `name`. */
function slot(template: string, name: string, others: Record<string, unknown>) {
  const fill = (s: string) =>
    s.replace(/\{([^{}]+)\}/g, (_m, n: string) => encodeURIComponent(String(others[n])));
  const [before, after] = template.split(`{${name}}`) as [string, string];
  return { prefix: fill(before), suffix: fill(after) };
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

async function refusedOrIntact(
  send: () => Promise<unknown>,
  check: (r: (typeof server.requests)[number]) => void,
): Promise<void> {
  inputs++;
  const before = server.requests.length;
  const outcome = await send().catch((e: unknown) => e);
  if (outcome instanceof Error) {
    expect(outcome, String(outcome)).toBeInstanceOf(ValidationError);
    expect(server.requests.length).toBe(before);
    refused++;
    return;
  }
  arrived++;
  expect(server.requests.length).toBe(before + 1);
  check(server.requests[before] as (typeof server.requests)[number]);
}

describe.each(PROVIDERS)("%s: hostile input", (provider) => {
  test("path parameters stay in their segment and decode back", async () => {
    for (const ex of examples.filter((e) => e.provider === provider)) {
      for (const validate of [true, false]) {
        const client = makeClient(ex, server.url, { retries: false, validate });
        const names = await baselineHeaderNames(ex, client);
        const template = (client.definition as { operations: Record<string, { path: string }> })
          .operations[ex.operation]?.path as string;
        const pathParams = (ex.params.path ?? {}) as Record<string, unknown>;
        for (const name of Object.keys(pathParams)) {
          const { prefix, suffix } = slot(template, name, pathParams);
          const shape = new RegExp(`^${escapeRe(prefix)}([^/?#]*)${escapeRe(suffix)}(\\?[^#]*)?$`);
          await fc.assert(
            fc.asyncProperty(hostile, async (value) => {
              const init = initOf(ex);
              (init.params as { path: Record<string, unknown> }).path[name] = value;
              await refusedOrIntact(
                () => method(client, ex)(init),
                (r) => {
                  expectNoInjection(r, names);
                  const m = shape.exec(r.url);
                  expect(m, `${r.url} for ${JSON.stringify(value)}`).not.toBeNull();
                  expect(decodeURIComponent(m?.[1] ?? "")).toBe(value);
                  expect([".", "..", ""]).not.toContain(value);
                },
              );
            }),
            { numRuns: RUNS },
          );
        }
      }
    }
  });

  test("query values stay one parameter", async () => {
    for (const ex of examples.filter((e) => e.provider === provider)) {
      const query = (ex.params.query ?? {}) as Record<string, unknown>;
      if (Object.keys(query).length === 0) continue;
      const client = makeClient(ex, server.url, { retries: false });
      const names = await baselineHeaderNames(ex, client);
      for (const name of Object.keys(query)) {
        await fc.assert(
          fc.asyncProperty(hostile, async (value) => {
            const init = initOf(ex);
            (init.params as { query: Record<string, unknown> }).query[name] = value;
            await refusedOrIntact(
              () => method(client, ex)(init),
              (r) => {
                expectNoInjection(r, names);
                expect(r.url).not.toContain("#");
                const params = new URLSearchParams(r.url.split("?")[1] ?? "");
                expect(params.getAll(name)).toEqual([value]);
                expect([...params.keys()].sort()).toEqual(Object.keys(query).sort());
              },
            );
          }),
          { numRuns: RUNS },
        );
      }
    }
  });

  test("header values (client headers, per-call headers) never add a header", async () => {
    const ex = examples.find((e) => e.provider === provider) as Example;
    const base = makeClient(ex, server.url, { retries: false });
    const names = await baselineHeaderNames(ex, base);
    const options = [
      ...Object.keys(ex.clientHeaders),
      ...Object.keys((base.definition as { clientHeaders: object }).clientHeaders),
    ];
    const clientHeaderOptions = [...new Set(options)];
    await fc.assert(
      fc.asyncProperty(hostile, async (value) => {
        // Per-call header.
        await refusedOrIntact(
          () => method(base, ex)(initOf(ex), { headers: { "X-Custkit-Test": value } }),
          (r) => {
            expectNoInjection(r, new Set([...names, "x-custkit-test"]));
            expect(r.headers["x-custkit-test"] ?? "").toBe(value.replace(/^[\t ]+|[\t ]+$/g, ""));
          },
        );
        // Client headers (LoanPro instanceId, NuWeb companyId / acceptLanguage).
        for (const option of clientHeaderOptions) {
          inputs++;
          const before = server.requests.length;
          let client: Record<string, unknown>;
          try {
            client = makeClient(ex, server.url, { retries: false, [option]: value });
          } catch (error) {
            expect(error, String(error)).toBeInstanceOf(ValidationError);
            continue;
          }
          const outcome = await method(client, ex)(initOf(ex)).catch((e: unknown) => e);
          if (outcome instanceof Error) {
            expect(outcome).toBeInstanceOf(ValidationError);
            expect(server.requests.length).toBe(before);
            continue;
          }
          const r = server.requests[before] as (typeof server.requests)[number];
          expectNoInjection(r, new Set([...names]));
        }
      }),
      { numRuns: RUNS },
    );
  });
});
