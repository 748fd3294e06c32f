/**
 * `@custkit/customers/align`: the Align provider for `createCustomers` from `@custkit/customers/core`.
 *   createCustomers({ providers: { align: align({ …client and mapper options }) } })
 */
import { createAlignClient } from "@custkit/align";
import {
  bindProvider,
  type ProviderBinding,
  type ProviderConfig,
  type ProviderDefinition,
} from "./provider.js";
import { alignMapping, readAlign } from "./providers/align.js";

export type { AlignMapperConfig } from "./providers/align.js";

/** The Align mapper, client factory and reader. */
export const alignProvider: ProviderDefinition<"align"> = {
  name: "align",
  mapping: alignMapping,
  createClient: createAlignClient,
  read: readAlign,
  mapperKeys: [],
};

/** Configure Align: client options (or `{ client }`) plus mapper options. */
export function align(config: ProviderConfig<"align">): ProviderBinding<"align"> {
  return bindProvider(alignProvider, config);
}
