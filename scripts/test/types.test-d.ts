/**
 * Compile-time contract of the generated clients (vitest typecheck mode): correct calls compile;
 * a wrong body field, a wrong enum value, a missing path parameter or a wrong content type do not.
 */
import { describe, expectTypeOf, test } from "vitest";
import { createAlignClient } from "../../packages/align/src/index.js";
import { createEnfuceClient } from "../../packages/enfuce/src/index.js";
import {
  createLoanproClient,
  type UpdateCustomerBody as LoanproBody,
} from "../../packages/loanpro/src/index.js";
import { createMaiaClient } from "../../packages/maia/src/index.js";
import { createNuwebClient } from "../../packages/nuweb/src/index.js";

const align = createAlignClient({ apiKey: "k" });
const loanpro = createLoanproClient({ token: "t", instanceId: "5200243" });
const nuweb = createNuwebClient({ token: "t" });
const maia = createMaiaClient({ token: "t" });
const enfuce = createEnfuceClient({ username: "u", password: "p" });
const id = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

describe("generated client types", () => {
  test("correct calls compile", () => {
    align.updateCustomer({ params: { path: { customer_id: id } }, body: { first_name: "Ada" } });
    loanpro.updateCustomer({
      params: { path: { id: 7 } },
      body: { firstName: "Ada", gender: "customer.gender.female" },
    });
    nuweb.updateCustomer({ body: { id: "123", name: "Ada" } });
    maia.updateCustomer(
      { params: { path: { id: "c1" } }, body: { gender: "female" } },
      { contentType: "application/xml" },
    );
    enfuce.updateCustomer({
      params: {
        path: { role: "PRIVATE", id: "1", propertyToUpdate: "DELETE_TEMPORARY_ADDRESS" },
        query: { auditUser: "a" },
      },
      body: {},
    });
    createEnfuceClient({ token: "t", environment: "test", serverVariables: { realm: "nonprod" } });
  });

  test("a wrong body field does not compile", () => {
    // @ts-expect-error first_nme is not a field
    align.updateCustomer({ params: { path: { customer_id: id } }, body: { first_nme: "Ada" } });
    // @ts-expect-error surname is not a LoanPro field
    loanpro.updateCustomer({ params: { path: { id: 7 } }, body: { surname: "Ada" } });
  });

  test("a wrong enum value does not compile", () => {
    // @ts-expect-error not a LoanPro gender
    loanpro.updateCustomer({ params: { path: { id: 7 } }, body: { gender: "male" } });
    // @ts-expect-error not a Maia gender
    maia.updateCustomer({ params: { path: { id: "c1" } }, body: { gender: "x" } });
    enfuce.updateCustomer({
      params: {
        // @ts-expect-error role is CORPORATE | PRIVATE
        path: { role: "ADMIN", id: "1", propertyToUpdate: "DELETE_TEMPORARY_ADDRESS" },
        query: { auditUser: "a" },
      },
      body: {},
    });
  });

  test("a missing path parameter does not compile", () => {
    // @ts-expect-error customer_id is missing
    align.updateCustomer({ params: { path: {} }, body: { first_name: "Ada" } });
    // @ts-expect-error params are required
    maia.updateCustomer({ body: { gender: "male" } });
    // @ts-expect-error the path parameter has the wrong type
    loanpro.updateCustomer({ params: { path: { id: "7" } }, body: {} });
  });

  test("client headers and auth headers are set on the client, not per call", () => {
    // LoanPro's required Autopal-Instance-ID header is not required (nor accepted) per call.
    loanpro.updateCustomer({ params: { path: { id: 7 } }, body: {} });
    // @ts-expect-error instanceId is required on the client
    createLoanproClient({ token: "t" });
    // @ts-expect-error credentials are required
    createAlignClient({});
    // @ts-expect-error not an environment of Align
    createAlignClient({ apiKey: "k", environment: "staging" });
    align.updateCustomer(
      { params: { path: { customer_id: id } }, body: {} },
      // @ts-expect-error Align takes no application/xml
      { contentType: "application/xml" },
    );
  });

  test("Body and Response aliases", () => {
    expectTypeOf<LoanproBody>().toHaveProperty("firstName");
    expectTypeOf(maia.updateCustomer).returns.resolves.toHaveProperty("data");
  });
});
