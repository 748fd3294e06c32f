/**
 * `@custkit/customers/loanpro`: the Loanpro provider for `createCustomers` from `@custkit/customers/core`.
 *   createCustomers({ providers: { loanpro: loanpro({ …client and mapper options }) } })
 */
import { createLoanproClient } from "@custkit/loanpro";
import {
  bindProvider,
  type ProviderBinding,
  type ProviderConfig,
  type ProviderDefinition,
} from "./provider.js";
import { loanproMapping, readLoanpro } from "./providers/loanpro.js";

export type { LoanproMapperConfig } from "./providers/loanpro.js";

/** The Loanpro mapper, client factory and reader. */
export const loanproProvider: ProviderDefinition<"loanpro"> = {
  name: "loanpro",
  mapping: loanproMapping,
  createClient: createLoanproClient,
  read: readLoanpro,
  mapperKeys: [],
};

/** Configure Loanpro: client options (or `{ client }`) plus mapper options. */
export function loanpro(config: ProviderConfig<"loanpro">): ProviderBinding<"loanpro"> {
  return bindProvider(loanproProvider, config);
}
