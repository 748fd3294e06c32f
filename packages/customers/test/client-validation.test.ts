/**
 * What the generated client refuses before sending (its spec constraints) comes back naming the
 * caller's fields: model paths through the provider's table, `passthrough.<key>` for passthrough.
 */
import { describe, expect, it } from "vitest";
import { bindProvider, type Customers, createCustomers as createCore } from "../src/core.js";
import { enfuceProvider } from "../src/enfuce.js";
import { createCustomers } from "../src/index.js";
import { IDS } from "./helpers.js";

function setup() {
  const sent: string[] = [];
  const fetch = async (url: string) => {
    sent.push(url);
    return new Response("{}", { status: 200, headers: { "content-type": "application/json" } });
  };
  const customers = createCustomers({
    providers: {
      enfuce: {
        baseUrl: "http://127.0.0.1:9",
        username: "api-user",
        password: "api-password-1",
        auditUser: "ops",
        fetch,
      },
      align: { baseUrl: "http://127.0.0.1:9", apiKey: "align-key-123", fetch },
    },
  });
  return { customers, sent };
}

/** An Align update whose passthrough document lacks the `file_id` Align's spec requires. */
const documentWithoutFile = (customers: Pick<Customers<"align">, "update">) =>
  customers
    .update(
      "align",
      IDS.align,
      { occupation: "Engineer" },
      { passthrough: { documents: [{ purpose: "other" }] } as never },
    )
    .catch((e: unknown) => e);

const FILE_ID_REQUIRED = {
  kind: "validation",
  fieldErrors: [{ field: "passthrough.documents[0].file_id", code: "required" }],
};

describe("client-side validation errors name model fields", () => {
  it("a vendor format the model check lets through → the model field, nothing sent", async () => {
    const { customers, sent } = setup();
    // An e-mail the facade's shape check accepts and the spec's `format: email` does not.
    const error = await customers
      .update("enfuce", IDS.enfuce, { kind: "individual", email: 'a"b@example.com' })
      .catch((e: unknown) => e);
    expect(sent).toEqual([]);
    expect(error).toMatchObject({
      kind: "validation",
      provider: "enfuce",
      operation: "patchCustomer",
      fieldErrors: [
        { field: "email", reason: "enfuce email must be a valid email", code: "invalid" },
      ],
    });
    expect(JSON.stringify(error)).not.toContain('a"b@example.com');
  });

  it("every request of a two-request patch is refused before the first is sent", async () => {
    const { customers, sent } = setup();
    const error = await customers
      .update("enfuce", IDS.enfuce, {
        kind: "individual",
        email: 'a"b@example.com',
        temporaryAddress: null,
      })
      .catch((e: unknown) => e);
    expect(sent).toEqual([]);
    expect(error).toMatchObject({ kind: "validation", fieldErrors: [{ field: "email" }] });
  });

  it("a passthrough field → passthrough.<vendor path>", async () => {
    const { customers, sent } = setup();
    const error = await documentWithoutFile(customers);
    expect(sent).toEqual([]);
    expect(error).toMatchObject(FILE_ID_REQUIRED);
  });

  it("plan() runs the same checks synchronously; a client with validate: false skips the spec part", () => {
    const { customers } = setup();
    const patch = { kind: "individual", email: 'a"b@example.com' } as const;
    expect(() => customers.plan("enfuce", IDS.enfuce, patch)).toThrow(
      expect.objectContaining({
        kind: "validation",
        fieldErrors: [expect.objectContaining({ field: "email" })],
      }),
    );
    const lax = createCustomers({
      providers: {
        enfuce: {
          username: "api-user",
          password: "api-password-1",
          auditUser: "ops",
          validate: false,
        },
      },
    });
    expect(lax.plan("enfuce", IDS.enfuce, patch).requests).toHaveLength(1);
  });

  it("an id the client would refuse in its path is refused as `id`, nothing sent", async () => {
    const { customers, sent } = setup();
    for (const id of ["..", ".", " ", "a\uD800"]) {
      const error = await customers
        .update("enfuce", id, { kind: "individual", email: "a@b.co" })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: "validation", fieldErrors: [{ field: "id" }] });
    }
    expect(sent).toEqual([]);
  });

  it("a ready client without validate(): the provider's constraint trees, before sending", async () => {
    const sent: unknown[] = [];
    const client = {
      updateCustomer: async (init: unknown) => {
        sent.push(init);
        return { data: {}, response: new Response("{}") };
      },
    };
    const customers = createCustomers({ providers: { align: { client: client as never } } });
    const error = await documentWithoutFile(customers);
    expect(error).toMatchObject(FILE_ID_REQUIRED);
    expect(sent).toEqual([]);
    await customers.update("align", IDS.align, { occupation: "Engineer" });
    expect(sent).toHaveLength(1);
  });

  it("a patch of several requests goes only to a provider that can report a partial update", async () => {
    const { sent } = setup();
    const fetch = async (input: Request | string | URL) => {
      sent.push(String(input));
      return new Response("{}", { status: 200, headers: { "content-type": "application/json" } });
    };
    const { partialUpdate: _, ...withoutPartial } = enfuceProvider;
    const customers = createCore({
      providers: {
        enfuce: bindProvider(withoutPartial, {
          baseUrl: "http://127.0.0.1:9",
          token: "t",
          auditUser: "ops",
          fetch,
        }),
      },
    });
    const twoRequests = { kind: "individual", email: "a@b.co", temporaryAddress: null } as const;
    await expect(customers.update("enfuce", IDS.enfuce, twoRequests)).rejects.toMatchObject({
      provider: "enfuce",
      message: expect.stringContaining("partialUpdate"),
    });
    expect(sent).toEqual([]);
  });
});
