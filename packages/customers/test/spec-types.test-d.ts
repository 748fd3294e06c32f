/**
 * Types from the spec to the mapper: a rule's vendor targets are checked against the generated
 * request body, and `update` / `plan` type the patch for a provider known statically only.
 */
import type { UpdateCustomerBody as AlignBody } from "@custkit/align";
import type { PatchCustomerBody as EnfuceBody } from "@custkit/enfuce";
import { describe, expectTypeOf, it } from "vitest";
import {
  type CustomerPatch,
  createCustomers,
  type PatchArgument,
  type PatchFor,
  type ProviderName,
} from "../src/index.js";
import type { Rule, VendorPath } from "../src/mapping.js";

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
