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
  return definition as unknown as ProviderDefinition;
}

/** Capabilities of a provider, from its table (no configuration needed). */
export function capabilities(provider: ProviderName): ProviderCapabilities {
  return capabilitiesOf(definitionOf(provider));
}

export function createCustomers(options: CustomersOptions): Customers {
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
