/**
 * `@custkit/customers/maia`: the Maia provider for `createCustomers` from `@custkit/customers/core`.
 *   createCustomers({ providers: { maia: maia({ …client and mapper options }) } })
 */
import { createMaiaClient } from "@custkit/maia";
import {
  bindProvider,
  type ProviderBinding,
  type ProviderConfig,
  type ProviderDefinition,
} from "./provider.js";
import { maiaMapping, readMaia } from "./providers/maia.js";

export type { MaiaMapperConfig } from "./providers/maia.js";

/** The Maia mapper, client factory and reader. */
export const maiaProvider: ProviderDefinition<"maia"> = {
  name: "maia",
  mapping: maiaMapping,
  createClient: createMaiaClient,
  read: readMaia,
  mapperKeys: ["contentType"],
};

/** Configure Maia: client options (or `{ client }`) plus mapper options. */
export function maia(config: ProviderConfig<"maia">): ProviderBinding<"maia"> {
  return bindProvider(maiaProvider, config);
}
