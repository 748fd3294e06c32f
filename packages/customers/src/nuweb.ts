/**
 * `@custkit/customers/nuweb`: the Nuweb provider for `createCustomers` from `@custkit/customers/core`.
 *   createCustomers({ providers: { nuweb: nuweb({ …client and mapper options }) } })
 */
import { createNuwebClient } from "@custkit/nuweb";
import {
  bindProvider,
  type ProviderBinding,
  type ProviderConfig,
  type ProviderDefinition,
} from "./provider.js";
import { nuwebMapping, readNuweb } from "./providers/nuweb.js";

export type { NuwebMapperConfig } from "./providers/nuweb.js";

/** The Nuweb mapper, client factory and reader. */
export const nuwebProvider: ProviderDefinition<"nuweb"> = {
  name: "nuweb",
  mapping: nuwebMapping,
  createClient: createNuwebClient,
  read: readNuweb,
  mapperKeys: [],
};

/** Configure Nuweb: client options (or `{ client }`) plus mapper options. */
export function nuweb(config: ProviderConfig<"nuweb">): ProviderBinding<"nuweb"> {
  return bindProvider(nuwebProvider, config);
}
