/**
 * Types from the spec to the mapper: a rule's vendor targets are checked against the generated
 * request body, and `update` / `plan` type the patch for a provider known statically only.
 */
import type { UpdateCustomerBody as AlignBody, AlignClient } from "@custkit/align";
import type { PatchCustomerBody as EnfuceBody } from "@custkit/enfuce";
import { describe, expectTypeOf, it } from "vitest";
import {
  type CustomerPatch,
  createCustomers,
  type PatchArgument,
  type PatchFor,
  type ProviderName,
} from "../src/index.js";
import type { RequestOf, Rule, VendorPath } from "../src/mapping.js";

describe("VendorPath: a mapper's targets come from the spec", () => {
  it("accepts the body's fields, nested ones, and every oneOf branch's", () => {
    const ok = [
      { field: "name.given", to: ["first_name"] },
      { field: "address.city", to: ["residential_address.city"] },
      { field: "business.legalName", to: ["business_legal_name"] },
    ] as const satisfies readonly Rule<object, VendorPath<AlignBody>>[];
    void ok;
    expectTypeOf<"temporaryAddress.zipCode">().toMatchTypeOf<VendorPath<EnfuceBody>>();
  });

  it("refuses a vendor field the spec does not declare", () => {
    const misspelt = [
      // @ts-expect-error Align's body has first_name, not first_nme
      { field: "name.given", to: ["first_nme"] },
    ] as const satisfies readonly Rule<object, VendorPath<AlignBody>>[];
    const tooDeep = [
      // @ts-expect-error residential_address has no line1 (street_line_1)
      { field: "address.lines", to: ["residential_address.line1"] },
    ] as const satisfies readonly Rule<object, VendorPath<AlignBody>>[];
    void [misspelt, tooDeep];
    expectTypeOf<"zip_code">().not.toMatchTypeOf<VendorPath<EnfuceBody>>();
  });
});

describe("RequestOf: a mapper's requests are the client's operations, with their parameters", () => {
  it("accepts what the spec declares", () => {
    const ok: RequestOf<AlignClient> = {
      operation: "updateCustomer",
      params: { path: { customer_id: "3fa85f64-5717-4562-b3fc-2c963f66afa6" } },
      body: {},
    };
    void ok;
  });
  it("refuses an operation or a parameter the spec does not declare", () => {
    const wrongOperation: RequestOf<AlignClient> = {
      // @ts-expect-error Align's client has no deleteCustomer
      operation: "deleteCustomer",
      params: { path: { customer_id: "x" } },
    };
    const wrongParameter: RequestOf<AlignClient> = {
      operation: "updateCustomer",
      // @ts-expect-error the path parameter is customer_id
      params: { path: { id: "x" } },
    };
    void [wrongOperation, wrongParameter];
  });
});

describe("update / plan: typed when the provider is known, checked at run time otherwise", () => {
  const customers = createCustomers({ providers: { nuweb: { token: "t" } } });
  it("a provider known statically takes its own patch only", () => {
    expectTypeOf<PatchArgument<"nuweb">>().toEqualTypeOf<PatchFor<"nuweb">>();
    // @ts-expect-error NuWeb has no gender field
    void (() => customers.plan("nuweb", "1", { gender: "male" }));
  });
  it("a provider known at run time takes any CustomerPatch, no cast", () => {
    expectTypeOf<PatchArgument<ProviderName>>().toEqualTypeOf<CustomerPatch>();
    const provider = "nuweb" as ProviderName;
    const patch: CustomerPatch = { gender: "male" };
    void (() => createCustomers({ providers: {} }).plan(provider, "1", patch));
  });
});
