/**
 * Credentials and customer data never leave the vendor's origin, through the facade, for every
 * provider: the vendor's address answers 301/302/303/307/308 pointing at a second loopback server
 * (another origin) or at itself; each update ends in a RedirectError, the second server receives
 * nothing, and neither the error nor its toJSON() holds a credential. A plain-http base URL to a
 * non-loopback host is refused before anything is sent.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { inspect } from "node:util";
import { type Fetch, RedirectError, ValidationError } from "@custkit/runtime";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createCustomers } from "../src/index.js";
import type { ProviderName } from "../src/providers/index.js";
import { IDS } from "./helpers.js";

const SSN = "912-34-5678";
const CREDENTIALS = {
  enfuce: { username: "PLANTED-redir-enfuce-user", password: "PLANTED-redir-enfuce-pw-5Tz" },
  nuweb: { token: "PLANTED-redir-nuweb-tok-8Lp" },
  loanpro: { token: "PLANTED-redir-loanpro-tok-9Fq", instanceId: "5200243" },
  align: { apiKey: "PLANTED-redir-align-key-3Rw" },
  maia: { token: "PLANTED-redir-maia-tok-6Yb" },
};
const MAPPER = { enfuce: { auditUser: "ops" } } as Record<string, object>;
const SECRETS = [
  ...Object.values(CREDENTIALS).flatMap((c) => Object.values(c).filter((v) => v.length > 8)),
  Buffer.from(`${CREDENTIALS.enfuce.username}:${CREDENTIALS.enfuce.password}`).toString("base64"),
  SSN,
];
const PATCHES: Record<ProviderName, object> = {
  enfuce: { kind: "individual", email: "a@b.co" },
  nuweb: { email: "a@b.co" },
  loanpro: { email: "a@b.co", taxNumber: { type: "ssn", number: SSN } },
  align: { occupation: "Engineer" },
  maia: { gender: "male" },
};
const PROVIDERS = Object.keys(PATCHES) as ProviderName[];
const STATUSES = [301, 302, 303, 307, 308];

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}
/** A loopback server that records every request and answers what `answer` says. */
async function recordingServer(answer: (seen: Seen) => { status: number; location?: string }) {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const request = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
      seen.push(request);
      const { status, location } = answer(request);
      res.writeHead(status, {
        "content-type": "application/json",
        ...(location ? { location } : {}),
      });
      res.end("{}");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const close = () => new Promise<void>((r) => server.close(() => r()));
  return { seen, url, close };
}

/** What the vendor's address answers next: a redirect to `target` ("other" or "same"), or 200. */
let next: { status: number; target: "other" | "same" } | undefined;
let vendor: Awaited<ReturnType<typeof recordingServer>>;
let other: Awaited<ReturnType<typeof recordingServer>>;
beforeAll(async () => {
  other = await recordingServer(() => ({ status: 200 }));
  vendor = await recordingServer((request) => {
    if (!next || request.url.startsWith("/moved")) return { status: 200 };
    const base = next.target === "other" ? other.url : vendor.url;
    return { status: next.status, location: `${base}/moved${request.url}?token=x` };
  });
});
afterAll(async () => {
  await vendor.close();
  await other.close();
});
beforeEach(() => {
  vendor.seen.length = 0;
  next = undefined;
});

function facade(options: Record<string, unknown>) {
  const providers = Object.fromEntries(
    PROVIDERS.map((p) => [p, { ...CREDENTIALS[p], ...MAPPER[p], ...options }]),
  );
  return createCustomers({ providers } as never);
}
const update = (customers: ReturnType<typeof facade>, p: ProviderName) =>
  customers.update(p, IDS[p] as never, PATCHES[p] as never);

function expectNoSecret(error: RedirectError) {
  const views = [error.message, JSON.stringify(error.toJSON()), inspect(error, { depth: 5 })];
  for (const view of views) for (const secret of SECRETS) expect(view).not.toContain(secret);
}

describe("a redirect from the vendor's address", () => {
  it("to another origin or to the same origin: a RedirectError for every provider and status, nothing sent to the target", async () => {
    // Default retries on: a redirect must not be retried either.
    const customers = facade({ baseUrl: vendor.url });
    let calls = 0;
    for (const p of PROVIDERS) {
      for (const status of STATUSES) {
        for (const target of ["other", "same"] as const) {
          next = { status, target };
          calls++;
          const error = await update(customers, p).then(
            () => expect.fail(`${p} ${status} ${target}: resolved as a success`),
            (e: unknown) => e as RedirectError,
          );
          const where = `${p} ${status} ${target}`;
          expect(error, where).toBeInstanceOf(RedirectError);
          expect(error.kind, where).toBe("redirect");
          expect(error.provider, where).toBe(p);
          expect(error.status, where).toBe(status);
          expect(error.retryable, where).toBe(false);
          expect(error.sameOrigin, where).toBe(target === "same");
          expect(error.targetOrigin, where).toBe(target === "same" ? vendor.url : other.url);
          expect(error.toJSON(), where).toMatchObject({ kind: "redirect", status });
          expect(JSON.stringify(error.toJSON()), where).not.toContain("token=x");
          expectNoSecret(error);
        }
      }
    }
    expect(vendor.seen).toHaveLength(calls);
    expect(vendor.seen.some((r) => r.url.startsWith("/moved"))).toBe(false);
    expect(other.seen).toEqual([]);
  });

  it("with sameOriginRedirects: only a same-origin 307/308 is followed, re-sent as it was", async () => {
    const customers = facade({ baseUrl: vendor.url, sameOriginRedirects: 1 });
    for (const p of PROVIDERS) {
      for (const status of STATUSES) {
        for (const target of ["other", "same"] as const) {
          next = { status, target };
          vendor.seen.length = 0;
          const outcome = await update(customers, p).catch((e: unknown) => e);
          const where = `${p} ${status} ${target}`;
          if (target === "same" && status >= 307) {
            expect(outcome, where).not.toBeInstanceOf(Error);
            const [first, second] = vendor.seen;
            expect(second?.url, where).toBe(`/moved${first?.url}?token=x`);
            expect(second?.method, where).toBe(first?.method);
            expect(second?.body, where).toBe(first?.body);
            expect(second?.headers.authorization, where).toBe(first?.headers.authorization);
          } else {
            expect(outcome, where).toBeInstanceOf(RedirectError);
            expect(vendor.seen, where).toHaveLength(1);
          }
        }
      }
    }
    expect(other.seen).toEqual([]);
  });
});

describe("a plain-http base URL", () => {
  function recording() {
    const calls: string[] = [];
    const fetch: Fetch = async (url) => {
      calls.push(url);
      return Response.json({});
    };
    return { calls, fetch };
  }

  it("to a non-loopback host is refused before anything is sent, for every provider", async () => {
    const { calls, fetch } = recording();
    for (const p of PROVIDERS) {
      const error = await (async () =>
        update(facade({ baseUrl: "http://vendor.example", fetch }), p))().then(
        () => expect.fail(`${p}: sent over plain http`),
        (e: unknown) => e as ValidationError,
      );
      expect(error, p).toBeInstanceOf(ValidationError);
      expect(error.provider, p).toBe(p);
      expect(error.message, p).toContain("plain http:// to vendor.example, which is not loopback");
      expect(error.message, p).toContain("allowInsecureHttp: true");
      for (const secret of SECRETS) expect(error.message).not.toContain(secret);
    }
    expect(calls).toEqual([]);
  });

  it("is sent when the caller opts in with allowInsecureHttp", async () => {
    const { calls, fetch } = recording();
    const customers = facade({ baseUrl: "http://vendor.example", fetch, allowInsecureHttp: true });
    for (const p of PROVIDERS) await update(customers, p);
    expect(calls.length).toBeGreaterThanOrEqual(PROVIDERS.length);
    for (const url of calls) expect(url.startsWith("http://vendor.example/")).toBe(true);
  });
});
