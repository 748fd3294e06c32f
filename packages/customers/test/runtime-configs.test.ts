/**
 * Configurations known only at run time (`RuntimeProviderConfigs`) are checked when the facade is
 * made: a wrong one is the typed `ConfigurationError` naming the provider and the option, and
 * never echoes a credential.
 */
import { ConfigurationError } from "@custkit/runtime";
import { describe, expect, it } from "vitest";
import { createCustomers, type ProviderName, type RuntimeProviderConfigs } from "../src/index.js";

/** As a config file gives it: the provider and its options are known only at run time. */
const parsed = (text: string): RuntimeProviderConfigs => JSON.parse(text);

function refusal(configs: RuntimeProviderConfigs): ConfigurationError {
  try {
    createCustomers({ providers: configs }).plan("align", "1", { name: { given: "Ana" } });
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error("the configuration was accepted");
}

describe("createCustomers with configurations known only at run time", () => {
  it("refuses a wrong option with a ConfigurationError naming the provider and the option", () => {
    const wrongType = refusal(parsed('{"align":{"apiKey":42}}'));
    expect(wrongType.provider).toBe("align");
    expect(wrongType.message).toMatch(/"apiKey"/);
    const missing = refusal(parsed('{"align":{"token":"s3cret-token"}}'));
    expect(missing.provider).toBe("align");
    expect(missing.message).toMatch(/"apiKey"/);
    expect(missing.message).not.toContain("s3cret-token");
  });

  it("refuses an unknown provider by name", () => {
    const error = refusal(parsed('{"alin":{"apiKey":"k"}}'));
    expect(error.message).toMatch(/unknown provider alin.*did you mean align/);
  });

  it("plans with a valid one, for a provider named at run time", () => {
    const provider = JSON.parse('"align"') as ProviderName;
    const customers = createCustomers({ providers: { [provider]: { apiKey: "k" } } });
    const plan = customers.plan(provider, "0b3e5c1a-8f0e-4c1e-9a51-7d2f3b6c9e10", {
      kind: "individual",
      name: { given: "Ana" },
    });
    expect(plan.requests.map((r) => r.operation)).toEqual(["updateCustomer"]);
  });
});
