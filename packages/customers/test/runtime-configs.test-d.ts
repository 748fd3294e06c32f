/**
 * `createCustomers` takes provider configurations typed per provider, and ones known only at run
 * time (`RuntimeProviderConfigs`, checked when the facade is made) without a cast; a configuration
 * written statically stays typed.
 */
import { describe, expectTypeOf, it } from "vitest";
import {
  type Customers,
  createCustomers,
  type ProviderName,
  type RuntimeProviderConfigs,
} from "../src/index.js";

declare const provider: ProviderName;
declare const parsed: Record<string, unknown>;
declare const fromFile: Record<string, Record<string, unknown>>;
declare const fetch: typeof globalThis.fetch;
declare const id: string | number;

describe("createCustomers: the typed form", () => {
  it("accepts a provider's own options", () => {
    expectTypeOf(
      createCustomers({ providers: { align: { apiKey: "k" }, nuweb: { token: "t" } } }),
    ).toEqualTypeOf<Customers>();
  });

  it("still rejects a wrong configuration written statically", () => {
    // @ts-expect-error align's apiKey is a string
    createCustomers({ providers: { align: { apiKey: 42 } } });
    // @ts-expect-error nuweb takes a token, not an apiKey
    createCustomers({ providers: { nuweb: { apiKey: "k" } } });
    // @ts-expect-error no provider is called alin
    createCustomers({ providers: { alin: { apiKey: "k" } } });
  });
});

describe("createCustomers: configurations known only at run time", () => {
  it("accepts them without a cast (checked at run time)", () => {
    const byName: RuntimeProviderConfigs = { align: parsed };
    expectTypeOf(createCustomers({ providers: byName })).toEqualTypeOf<Customers>();
    expectTypeOf(createCustomers({ providers: { [provider]: parsed } })).toEqualTypeOf<Customers>();
    expectTypeOf(
      createCustomers({ providers: { [provider]: { ...parsed, fetch, retries: false } } }),
    ).toEqualTypeOf<Customers>();
    expectTypeOf(createCustomers({ providers: fromFile })).toEqualTypeOf<Customers>();
  });

  it("lets a provider known at run time update with any patch", () => {
    const customers = createCustomers({ providers: { [provider]: parsed } });
    expectTypeOf(customers.update(provider, id, { email: "a@b.co" })).toBeObject();
  });
});
