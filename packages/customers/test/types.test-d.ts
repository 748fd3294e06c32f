/** Compile-time capability checks: a field a provider cannot take is a type error. */
import { describe, expectTypeOf, it } from "vitest";
import {
  createCustomers,
  type PassthroughFor,
  type PatchFor,
  type SupportedField,
} from "../src/index.js";

const customers = createCustomers({ providers: { nuweb: { token: "t" }, maia: { token: "t" } } });

describe("PatchFor<P>", () => {
  it("accepts supported fields", () => {
    const nuweb: PatchFor<"nuweb"> = {
      email: "a@b.co",
      name: { full: "Jane Doe" },
      address: { country: "GB" },
    };
    const maia: PatchFor<"maia"> = { gender: "male", address: { neighbourhood: "Centro" } };
    const alignBusiness: PatchFor<"align"> = { kind: "business", business: { legalName: "Acme" } };
    const alignPerson: PatchFor<"align"> = { kind: "individual", name: { given: "Ana" } };
    const enfuce: PatchFor<"enfuce"> = {
      kind: "individual",
      temporaryAddress: null,
      nationality: "FI",
    };
    void [nuweb, maia, alignBusiness, alignPerson, enfuce];
    expectTypeOf<"gender">().toMatchTypeOf<SupportedField<"loanpro">>();
  });
  it("rejects unsupported fields", () => {
    // @ts-expect-error nuweb has no gender
    const a: PatchFor<"nuweb"> = { gender: "male" };
    // @ts-expect-error maia has no phone
    const b: PatchFor<"maia"> = { phone: "+14155550123" };
    // @ts-expect-error loanpro has no address in this operation
    const c: PatchFor<"loanpro"> = { address: { city: "Austin" } };
    // @ts-expect-error align takes names only for individuals
    const d: PatchFor<"align"> = { kind: "business", name: { given: "Ana" } };
    // @ts-expect-error maia has no kind
    const e: PatchFor<"maia"> = { kind: "individual" };
    // @ts-expect-error enfuce has no neighbourhood
    const f: PatchFor<"enfuce"> = { address: { neighbourhood: "Kallio" } };
    void [a, b, c, d, e, f];
  });
  it("update() checks the patch against the provider statically", () => {
    void customers.update("nuweb", "1", { email: "a@b.co" });
    // @ts-expect-error maia has no email
    void customers.update("maia", "1", { email: "a@b.co" });
    // @ts-expect-error nuweb has no gender
    void customers.update("nuweb", "1", { gender: "male" });
  });
  it("passthrough is typed from the generated body and excludes mapped fields", () => {
    const ok: PassthroughFor<"enfuce"> = { locale: "fi_FI" };
    const lp: PassthroughFor<"loanpro"> = {
      __ignoreWarnings: true,
      generationCode: "customer.generationCode.jr",
    };
    // @ts-expect-error email is mapped from the model
    const bad: PassthroughFor<"nuweb"> = { email: "x@y.z" };
    // @ts-expect-error not a field of the vendor body
    const unknown: PassthroughFor<"maia"> = { shoeSize: 42 };
    void [ok, lp, bad, unknown];
  });
});
