/**
 * A provider as the facade sees it: its mapper, its generated client's factory and its reader,
 * bundled in one `ProviderDefinition` exported by the provider's own entry
 * (`@custkit/customers/<p>`), so a bundle holds only the providers it imports.
 */
import { type ApiDefinition, ConfigurationError } from "@custkit/runtime";
import type { MapperDefinition } from "./mapper.js";
import {
  type CompiledMapping,
  compileMapping,
  describeCapabilities,
  type ProviderCapabilities,
} from "./mapping.js";
import type { ClientTypes, MapperConfigs, ProviderName, RuleTables } from "./names.js";

export type { ClientTypes };

type Head<P extends string> = P extends `${infer H}.${string}` ? H : P;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** Vendor body keys written by a provider's table. */
export type MappedVendorKey<P extends ProviderName> =
  | Head<RuleTables[P][number]["to"][number]>
  | ClientTypes[P]["builderKeys"];
/**
 * Vendor fields the model does not cover, typed from the generated request body. A field the
 * table maps is excluded: set it through the model (a collision is also refused at run time).
 */
export type PassthroughFor<P extends ProviderName> = Partial<
  DistributiveOmit<NonNullable<ClientTypes[P]["body"]>, MappedVendorKey<P>>
> & {
  [K in MappedVendorKey<P>]?: never;
};

/** One provider's configuration: client options (or a ready client) plus mapper options. */
export type ProviderConfig<P extends ProviderName> = (
  | ClientTypes[P]["options"]
  | { client: ClientTypes[P]["client"] }
) &
  MapperConfigs[P];

/** Everything the facade needs to know about one provider: its mapper and its generated client. */
export interface ProviderDefinition<P extends ProviderName = ProviderName>
  extends MapperDefinition<MapperConfigs[P], P> {
  readonly name: P;
  /** The generated client's factory. */
  readonly createClient: (options: ClientTypes[P]["options"]) => ClientTypes[P]["client"];
  /** The generated client's definition: auth schemes, client headers, environments. */
  readonly client: ApiDefinition;
  /** Configuration keys read by the mapper (never passed to the client): `options`' names. */
  readonly mapperKeys: readonly string[];
}

/** A configured provider: what `align({ apiKey })` returns and `createCustomers` takes. */
export interface ProviderBinding<P extends ProviderName = ProviderName> {
  readonly definition: ProviderDefinition<P>;
  readonly config: ProviderConfig<P>;
}

/** Check a provider's configuration and pair it with the provider's definition. */
export function bindProvider<P extends ProviderName>(
  definition: ProviderDefinition<P>,
  config: ProviderConfig<P>,
): ProviderBinding<P> {
  if (config === null || typeof config !== "object") {
    throw new ConfigurationError({
      provider: definition.name,
      message: `${definition.name}: the provider configuration must be an object`,
    });
  }
  const reason = definition.checkConfig?.(config as MapperConfigs[P]);
  if (reason !== undefined) {
    throw new ConfigurationError({
      provider: definition.name,
      message: `${definition.name}: ${reason}`,
    });
  }
  return { definition, config };
}

const COMPILED = new WeakMap<object, CompiledMapping>();

/** The provider's compiled table (compiled on first use, once). */
export function compiledOf<P extends ProviderName>(
  definition: ProviderDefinition<P>,
): CompiledMapping<MapperConfigs[P]> {
  let compiled = COMPILED.get(definition);
  if (compiled === undefined) {
    compiled = compileMapping(definition.mapping);
    COMPILED.set(definition, compiled);
  }
  return compiled;
}

/** What a provider can write and clear, from its table (no configuration needed). */
export function capabilitiesOf<P extends ProviderName>(
  definition: ProviderDefinition<P>,
): ProviderCapabilities {
  return describeCapabilities(compiledOf(definition));
}
