/**
 * Every operation of all five generated clients, on loopback: the vendor's address answers
 * 301/302/303/307/308 pointing at a second server (another origin) or at itself. Each call ends in
 * a RedirectError, the second server receives nothing, and neither the error nor its toJSON()
 * holds a credential; with `sameOriginRedirects` only a same-origin 307/308 is re-sent, as it was.
 * A plain-http base URL to a non-loopback host is refused before anything is sent.
 */
import { inspect } from "node:util";
import { type Fetch, RedirectError, ValidationError } from "@custkit/runtime";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
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

const STATUSES = [301, 302, 303, 307, 308];
const { username, password } = CREDENTIALS.enfuce as { username: string; password: string };
const SECRETS = [
  ...Object.values(CREDENTIALS).flatMap((c) => Object.values(c)),
  Buffer.from(`${username}:${password}`).toString("base64"),
];

let examples: Example[] = [];
let vendor: Recorder;
let other: Recorder;
/** Where the vendor's address sends the next request: a redirect status and target, or nothing. */
let next: { status: number; target: "other" | "same" } | undefined;

beforeAll(async () => {
  examples = await loadExamples();
  other = await startRecorder();
  vendor = await startRecorder((r, res) => {
    if (!next || r.url.startsWith("/moved")) {
      res.writeHead(200, { "content-type": "application/json" });
      return res.end("{}");
    }
    const base = next.target === "other" ? other.url : vendor.url;
    res.writeHead(next.status, { location: `${base}/moved${r.url}` });
    res.end();
  });
});
afterAll(async () => {
  await vendor.close();
  await other.close();
});

describe.each(PROVIDERS)("%s", (provider) => {
  test("every operation: each redirect status, to another origin or its own, is a RedirectError", async () => {
    let calls = 0;
    const before = vendor.requests.length;
    for (const ex of examples.filter((e) => e.provider === provider)) {
      // Default retries: a redirect must not be retried.
      const client = makeClient(ex, vendor.url);
      for (const status of STATUSES) {
        for (const target of ["other", "same"] as const) {
          next = { status, target };
          calls++;
          const label = `${provider}.${ex.operation} ${status} ${target}`;
          const error = (await method(
            client,
            ex,
          )(initOf(ex)).then(
            () => expect.fail(`${label}: resolved as a success`),
            (e: unknown) => e,
          )) as RedirectError;
          expect(error, label).toBeInstanceOf(RedirectError);
          expect(error.toJSON(), label).toMatchObject({
            kind: "redirect",
            provider,
            operation: ex.operation,
            status,
            retryable: false,
            sameOrigin: target === "same",
            targetOrigin: target === "same" ? vendor.url : other.url,
          });
          const views = [error.message, JSON.stringify(error.toJSON()), inspect(error)];
          for (const view of views)
            for (const secret of SECRETS) expect(view).not.toContain(secret);
        }
      }
    }
    next = undefined;
    expect(vendor.requests.length - before).toBe(calls);
    expect(vendor.requests.slice(before).some((r) => r.url.startsWith("/moved"))).toBe(false);
    expect(other.requests).toEqual([]);
  });

  test("sameOriginRedirects: a same-origin 307/308 is re-sent as it was; nothing else is followed", async () => {
    for (const ex of examples.filter((e) => e.provider === provider)) {
      const client = makeClient(ex, vendor.url, { sameOriginRedirects: 1 });
      for (const status of STATUSES) {
        for (const target of ["other", "same"] as const) {
          next = { status, target };
          const label = `${provider}.${ex.operation} ${status} ${target}`;
          const before = vendor.requests.length;
          const outcome = await method(client, ex)(initOf(ex)).catch((e: unknown) => e);
          const sent = vendor.requests.slice(before);
          if (target === "same" && status >= 307) {
            expect(outcome, label).not.toBeInstanceOf(Error);
            const [first, second] = sent;
            expect(second?.url, label).toBe(`/moved${first?.url}`);
            expect(second?.method, label).toBe(first?.method);
            expect(second?.body, label).toBe(first?.body);
            expect(second?.headers.authorization, label).toBe(first?.headers.authorization);
            expect(second?.headers["api-key"], label).toBe(first?.headers["api-key"]);
          } else {
            expect(outcome, label).toBeInstanceOf(RedirectError);
            expect(sent, label).toHaveLength(1);
          }
        }
      }
    }
    next = undefined;
    expect(other.requests).toEqual([]);
  });

  test("a plain-http base URL to a non-loopback host is refused before anything is sent", async () => {
    const calls: string[] = [];
    const fetch: Fetch = async (url) => {
      calls.push(url);
      return Response.json({});
    };
    for (const ex of examples.filter((e) => e.provider === provider)) {
      const refused = (() => {
        try {
          makeClient(ex, "http://vendor.example", { fetch });
        } catch (e) {
          return e as ValidationError;
        }
      })();
      expect(refused).toBeInstanceOf(ValidationError);
      expect(refused?.message).toContain("allowInsecureHttp: true");
      const optedIn = makeClient(ex, "http://vendor.example", { fetch, allowInsecureHttp: true });
      await method(optedIn, ex)(initOf(ex));
    }
    // Only the opted-in calls went out.
    expect(calls.length).toBe(examples.filter((e) => e.provider === provider).length);
  });
});
