/**
 * `@custkit/customers/enfuce`: the Enfuce provider for `createCustomers` from `@custkit/customers/core`.
 *   createCustomers({ providers: { enfuce: enfuce({ …client and mapper options }) } })
 */
import { createEnfuceClient } from "@custkit/enfuce";
import { partialUpdateError } from "./errors.js";
import {
  bindProvider,
  type ProviderBinding,
  type ProviderConfig,
  type ProviderDefinition,
} from "./provider.js";
import { enfuceMapping, readEnfuce } from "./providers/enfuce.js";

export type { EnfuceMapperConfig } from "./providers/enfuce.js";

/** The Enfuce mapper, client factory and reader. */
export const enfuceProvider: ProviderDefinition<"enfuce"> = {
  name: "enfuce",
  mapping: enfuceMapping,
  createClient: createEnfuceClient,
  read: readEnfuce,
  mapperKeys: ["auditUser", "role"],
  checkConfig: (config) =>
    typeof config.auditUser !== "string" || config.auditUser === ""
      ? "auditUser is required in the provider configuration"
      : undefined,
  // A patch clearing the temporary address is two requests (PATCH, then DELETE_TEMPORARY_ADDRESS).
  partialUpdate: partialUpdateError,
};

/** Configure Enfuce: client options (or `{ client }`) plus mapper options. */
export function enfuce(config: ProviderConfig<"enfuce">): ProviderBinding<"enfuce"> {
  return bindProvider(enfuceProvider, config);
}
