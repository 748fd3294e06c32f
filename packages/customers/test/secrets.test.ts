/**
 * Through the facade: LoanPro SSN (tax number) + portal password, Align tax number and id document,
 * NuWeb password, sent to a loopback server that echoes the request back in 422/500 bodies; every
 * error view, hook payload and console line is scanned for the planted secrets.
 */
import { createServer, type Server } from "node:http";
import { inspect } from "node:util";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { createCustomers } from "../src/index.js";
import { IDS } from "./helpers.js";

const SSN = "912-34-5678";
const SECRETS = {
  loanproToken: "PLANTED-facade-loanpro-tok-9Fq",
  alignKey: "PLANTED-facade-align-key-3Rw",
  nuwebToken: "PLANTED-facade-nuweb-tok-8Lp",
  ssn: SSN,
  ssnDigits: SSN.replace(/-/g, ""),
  portalPassword: "PLANTED-facade-portal-pw-2Kd",
  alignTax: "PLANTED-FACADE-TAX-61Q",
  alignId: "PLANTED-FACADE-PASSPORT-44T",
};

let server: Server;
let base = "";
let status = 422;
let received = "";
beforeAll(async () => {
  server = createServer((req, res) => {
    let data = "";
    req.on("data", (c) => (data += c));
    req.on("end", () => {
      received += JSON.stringify(req.headers) + data;
      const echo = JSON.stringify({ headers: req.headers, body: data });
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: `invalid: ${echo}`, errors: { ssn: [data] } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

it("no planted secret in errors, hooks or console through createCustomers", async () => {
  const produced: string[] = [];
  const spies = (["log", "info", "warn", "error"] as const).map((k) =>
    vi.spyOn(console, k).mockImplementation((...a: unknown[]) => {
      produced.push(inspect(a, { depth: 10 }));
    }),
  );
  const hook = (e: unknown) => produced.push(JSON.stringify(e), inspect(e, { depth: 10 }));
  const hooks = { onRequest: hook, onResponse: hook, onRetry: hook, onError: hook };
  const common = { baseUrl: base, hooks, retries: false as const };
  const customers = createCustomers({
    providers: {
      loanpro: { ...common, token: SECRETS.loanproToken, instanceId: "5200243" },
      align: { ...common, apiKey: SECRETS.alignKey },
      nuweb: { ...common, token: SECRETS.nuwebToken },
    },
  });
  const calls: [string, string | number, object][] = [
    [
      "loanpro",
      IDS.loanpro,
      { taxNumber: { type: "ssn", number: SSN }, portal: { password: SECRETS.portalPassword } },
    ],
    [
      "align",
      IDS.align,
      {
        taxNumber: { number: SECRETS.alignTax, issuingCountry: "US", type: "ssn" },
        governmentId: { type: "passport", number: SECRETS.alignId, issuingCountry: "US" },
      },
    ],
    ["nuweb", IDS.nuweb, { portal: { password: SECRETS.portalPassword } }],
  ];
  let failures = 0;
  try {
    for (status of [422, 500, 401]) {
      for (const [p, id, patch] of calls) {
        const e = await customers.update(p as never, id as never, patch as never).then(
          () => undefined,
          (err: unknown) => err,
        );
        if (e === undefined) continue;
        failures++;
        const err = e as Error & { toJSON?: () => unknown; cause?: unknown };
        produced.push(err.message, String(err), inspect(err, { depth: 10 }), JSON.stringify(err));
        if (err.toJSON) produced.push(JSON.stringify(err.toJSON()));
        for (
          let c = err.cause, i = 0;
          c !== undefined && i < 5;
          i++, c = (c as { cause?: unknown }).cause
        )
          produced.push(inspect(c, { depth: 10 }));
      }
    }
  } finally {
    for (const s of spies) s.mockRestore();
  }
  const text = produced.join("\n");
  const sent = Object.values(SECRETS).filter((s) => received.includes(s));
  const leaks = Object.entries(SECRETS).filter(([, s]) => text.includes(s));
  console.info(
    `facade: ${Object.keys(SECRETS).length} secrets planted, ${sent.length} reached the echoing vendor, ${failures} failing calls, leaks: ${leaks.length}`,
  );
  expect(failures).toBeGreaterThanOrEqual(6);
  expect(sent.length).toBeGreaterThanOrEqual(4);
  expect(leaks).toEqual([]);
});
