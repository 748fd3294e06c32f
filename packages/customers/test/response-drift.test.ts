/** `validateResponses` through the facade's provider options: a vendor answer that drifted from the spec. */
import { createServer, type Server } from "node:http";
import { InvalidResponseError, type ResponseMismatchEvent } from "@custkit/runtime";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createCustomers } from "../src/index.js";
import type { ProviderName } from "../src/providers/index.js";
import { IDS } from "./helpers.js";

let answer = "{}";
let server: Server;
let base = "";
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end(answer));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const patches: Record<ProviderName, object> = {
  enfuce: { kind: "individual", email: "a@b.co" },
  nuweb: { email: "a@b.co" },
  loanpro: { email: "a@b.co" },
  align: { occupation: "Engineer" },
  maia: { gender: "male" },
};

function customersWith(options: object) {
  const common = { baseUrl: base, retries: false as const, ...options };
  return createCustomers({
    providers: {
      enfuce: { ...common, username: "api-user", password: "api-password-1", auditUser: "ops" },
      nuweb: { ...common, token: "nuweb-token-123" },
      loanpro: { ...common, token: "loanpro-token-123", instanceId: "5200243" },
      align: { ...common, apiKey: "align-key-123" },
      maia: { ...common, token: "maia-token-123" },
    },
  });
}

it('"error" on every provider: a 200 answer that is not the declared object → InvalidResponseError at "/"', async () => {
  answer = "[1]";
  const customers = customersWith({ validateResponses: "error" });
  for (const p of Object.keys(patches) as ProviderName[]) {
    const outcome = await customers
      .update(p, IDS[p] as never, patches[p] as never)
      .catch((e: unknown) => e);
    expect(outcome, p).toBeInstanceOf(InvalidResponseError);
    expect((outcome as InvalidResponseError).fieldErrors, p).toEqual([
      { field: "", reason: "must be an object", code: "type" },
    ]);
  }
  // Off (the default), the same answer goes through.
  await expect(
    customersWith({}).update("align", IDS.align, patches.align as never),
  ).resolves.toBeDefined();
});

it('"warn" on maia: a new enum value in the answer reaches the hook by pointer, the update succeeds', async () => {
  answer = JSON.stringify({ id: "abc", gender: "nonbinary", referenceId: "ref-1" });
  const events: ResponseMismatchEvent[] = [];
  const customers = customersWith({
    validateResponses: "warn",
    hooks: { onResponseMismatch: (e: ResponseMismatchEvent) => events.push(e) },
  });
  await customers.update("maia", IDS.maia, patches.maia as never);
  expect(events.map((e) => [e.provider, e.operation, e.problems])).toEqual([
    [
      "maia",
      "updateCustomer",
      [{ field: "/gender", reason: "must be one of the allowed values", code: "enum" }],
    ],
  ]);
  expect(JSON.stringify(events)).not.toContain("nonbinary");
});
