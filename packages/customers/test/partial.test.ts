/**
 * A patch that needs two Enfuce requests (PATCH, then DELETE_TEMPORARY_ADDRESS) whose second fails
 * after the first went through: the error says what the vendor now holds. Real HTTP on loopback.
 */
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createCustomers, PartialUpdateError } from "../src/index.js";
import { IDS } from "./helpers.js";

const seen: { method: string; url: string }[] = [];
let server: Server;
let base = "";

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "" });
      const second = (req.url ?? "").includes("/update/DELETE_TEMPORARY_ADDRESS");
      res.writeHead(second ? 500 : 200, {
        "content-type": "application/json",
        "x-request-id": "req-2",
      });
      res.end(
        JSON.stringify(
          second
            ? { code: "500", message: "temporary failure", errorCode: "SYS-1" }
            : { id: IDS.enfuce, description: "updated" },
        ),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  seen.length = 0;
});

const customers = () =>
  createCustomers({
    providers: {
      enfuce: {
        baseUrl: base,
        username: "api-user",
        password: "api-password-1",
        auditUser: "ops",
        retries: false,
      },
    },
  });

describe("enfuce: PATCH applied, DELETE_TEMPORARY_ADDRESS failed", () => {
  const patch = {
    kind: "individual",
    email: "a@b.co",
    name: { given: "Ada" },
    temporaryAddress: null,
  } as const;

  it("throws a PartialUpdateError naming what was and was not written", async () => {
    const error = await customers()
      .update("enfuce", IDS.enfuce, patch)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(seen.map((r) => r.method)).toEqual(["PATCH", "POST"]);
    expect(error).toBeInstanceOf(PartialUpdateError);
    const e = error as PartialUpdateError;
    expect(e.kind).toBe("server");
    expect(e.status).toBe(500);
    expect(e.provider).toBe("enfuce");
    expect(e.partial).toBe(true);
    expect(e.failedOperation).toBe("updateCustomer");
    expect(e.applied).toEqual([
      { operation: "patchCustomer", status: 200, fields: ["kind", "email", "name.given"] },
    ]);
    expect(e.written).toEqual(["kind", "email", "name.given"]);
    expect(e.notWritten).toEqual(["temporaryAddress"]);
    expect(e.cause).toMatchObject({ kind: "server", status: 500 });
    expect(e.message).toMatch(/patchCustomer applied \(kind, email, name\.given\)/);
    expect(e.message).toMatch(/updateCustomer failed \(temporaryAddress not written\)/);
    const json = JSON.stringify(e);
    expect(JSON.parse(json)).toMatchObject({
      partial: true,
      written: ["kind", "email", "name.given"],
    });
    for (const secret of ["api-password-1", "a@b.co", "Ada"]) expect(json).not.toContain(secret);
  });

  it("updateEverywhere reports it as the provider's outcome", async () => {
    const result = await customers().updateEverywhere({ enfuce: IDS.enfuce }, patch);
    expect(result.ok).toBe(false);
    const outcome = result.results.enfuce;
    expect(outcome?.ok).toBe(false);
    if (outcome && !outcome.ok) {
      expect(outcome.error).toBeInstanceOf(PartialUpdateError);
      expect((outcome.error as PartialUpdateError).written).toEqual([
        "kind",
        "email",
        "name.given",
      ]);
    }
  });

  it("a failure of the only request stays the plain error", async () => {
    const error = await customers()
      .update("enfuce", IDS.enfuce, { kind: "individual", temporaryAddress: null })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).not.toBeInstanceOf(PartialUpdateError);
    expect(error).toMatchObject({ kind: "server", status: 500 });
  });
});
