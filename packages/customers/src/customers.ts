/**
 * The main entry's facade: `createCustomers({ providers: { align: { apiKey } } })` with plain
 * options per provider name. A thin layer over the core (`core.ts`): each configured name is
 * bound to its provider definition, then the core does everything. It knows all five providers,
 * so a bundle of it holds all five; `@custkit/customers/core` plus `@custkit/customers/<p>` holds
 * only the providers imported.
 */
import { ConfigurationError } from "@custkit/runtime";
import {
  type CoreCustomersOptions,
  type Customers,
  createCustomers as createCore,
  type ProviderBindings,
} from "./core.js";
import type { ProviderCapabilities, UnsupportedPolicy } from "./mapping.js";
import { PROVIDER_NAMES, type ProviderName } from "./names.js";
import {
  bindProvider,
  capabilitiesOf,
  type ProviderConfig,
  type ProviderDefinition,
} from "./provider.js";
import { DEFINITIONS } from "./providers/index.js";
import { closestName } from "./suggest.js";

export interface CustomersOptions {
  providers: { [P in ProviderName]?: ProviderConfig<P> };
  /** What to do with a field a provider cannot take: refuse the call (default) or skip and report it. */
  unsupported?: UnsupportedPolicy;
}

/**
 * Provider configurations known only at run time (parsed from a file, an environment, a queue
 * job): each is checked when the facade is made, and a wrong one is a `ConfigurationError` naming
 * the provider and the option.
 */
export type RuntimeProviderConfigs = { [P in ProviderName]?: Record<string, unknown> };

/**
 * `C` when every configuration in it is loosely typed (an index signature): a configuration whose
 * keys are known statically must take the typed form, so its mistakes stay type errors.
 */
type OnlyRuntime<C> = {
  [K in keyof C]: string extends keyof NonNullable<C[K]> ? C[K] : never;
};

export interface RuntimeCustomersOptions<
  C extends RuntimeProviderConfigs = RuntimeProviderConfigs,
> {
  providers: C & OnlyRuntime<C>;
  /** What to do with a field a provider cannot take: refuse the call (default) or skip and report it. */
  unsupported?: UnsupportedPolicy;
}

function nearest(provider: string): string {
  const near = closestName(provider, PROVIDER_NAMES);
  return near === undefined ? "" : ` (did you mean ${near}?)`;
}

function definitionOf(provider: string): ProviderDefinition {
  const definition = Object.hasOwn(DEFINITIONS, provider)
    ? DEFINITIONS[provider as ProviderName]
    : undefined;
  if (definition === undefined) {
    throw new ConfigurationError({
      provider: String(provider),
      message: `unknown provider ${String(provider)}${nearest(String(provider))}; known: ${PROVIDER_NAMES.join(", ")}`,
    });
  }
  // One provider's definition as any provider's: its client options are one member of a union that
  // TypeScript cannot correlate (see `byName` in core.ts); the configuration is checked at run time.
  return definition as unknown as ProviderDefinition;
}

/** Capabilities of a provider, from its table (no configuration needed). */
export function capabilities(provider: ProviderName): ProviderCapabilities {
  return capabilitiesOf(definitionOf(provider));
}

/**
 * The facade over the providers configured. Configurations known statically are typed per
 * provider; ones known only at run time (`RuntimeProviderConfigs`) are checked at run time.
 */
export function createCustomers(options: CustomersOptions): Customers;
export function createCustomers<C extends RuntimeProviderConfigs>(
  options: RuntimeCustomersOptions<C>,
): Customers;
export function createCustomers(options: CustomersOptions | RuntimeCustomersOptions): Customers {
  const providers: Record<string, unknown> = {};
  for (const [name, config] of Object.entries(options.providers ?? {})) {
    if (config === undefined) continue;
    providers[name] = bindProvider(definitionOf(name), config as ProviderConfig<ProviderName>);
  }
  const core = createCore({
    providers: providers as ProviderBindings,
    unsupported: options.unsupported,
  } satisfies CoreCustomersOptions);
  return { ...core, capabilities };
}
