/** Vendor faults through the facade: retried to success, or a typed error — never a raw TypeError. */
import { createServer, type Server } from "node:http";
import { CustkitError, InvalidResponseError, NetworkError, ServerError } from "@custkit/runtime";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createCustomers } from "../src/index.js";
import type { ProviderName } from "../src/providers/index.js";
import { IDS } from "./helpers.js";

type Fault = "503" | "reset" | "html" | "badjson" | "ok";
let queue: Fault[] = [];
let server: Server;
let base = "";
let seen = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      seen++;
      const f = queue.shift() ?? "ok";
      if (f === "reset") return req.socket.destroy();
      if (f === "503")
        return res.writeHead(503, { "content-type": "application/json" }).end('{"message":"down"}');
      if (f === "html")
        return res.writeHead(502, { "content-type": "text/html" }).end("<html>Bad Gateway</html>");
      if (f === "badjson")
        return res.writeHead(200, { "content-type": "application/json" }).end('{"id":');
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
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

it("every provider through the facade: 5xx/reset then success; html, bad JSON → typed errors", async () => {
  const retries = { maxRetries: 2, initialDelayMs: 1, maxDelayMs: 5 };
  const common = { baseUrl: base, retries, timeoutMs: 2000 };
  const customers = createCustomers({
    providers: {
      enfuce: { ...common, username: "api-user", password: "api-password-1", auditUser: "ops" },
      nuweb: { ...common, token: "nuweb-token-123" },
      loanpro: { ...common, token: "loanpro-token-123", instanceId: "5200243" },
      align: { ...common, apiKey: "align-key-123" },
      maia: { ...common, token: "maia-token-123" },
    },
  });
  let faults = 0;
  const cases: [Fault[], unknown][] = [
    [["503", "reset"], "ok"],
    [["html", "html", "html"], ServerError],
    [["badjson"], InvalidResponseError],
    [["reset", "reset", "reset"], NetworkError],
  ];
  for (const p of Object.keys(patches) as ProviderName[]) {
    for (const [script, expected] of cases) {
      queue = [...script];
      faults += script.length;
      const outcome = await customers
        .update(p, IDS[p] as never, patches[p] as never)
        .catch((e: unknown) => e);
      if (expected === "ok") expect(outcome, `${p} ${script}`).not.toBeInstanceOf(Error);
      else {
        expect(outcome, `${p} ${script}`).toBeInstanceOf(CustkitError);
        expect(outcome, `${p} ${script}`).toBeInstanceOf(expected as typeof CustkitError);
      }
      queue = [];
    }
  }
  console.info(`facade faults injected: ${faults}; requests seen: ${seen}`);
});
