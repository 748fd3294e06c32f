/** Every provider's definition, keyed by name (used by the main entry, which knows all five). */
import { alignProvider } from "../align.js";
import { enfuceProvider } from "../enfuce.js";
import { loanproProvider } from "../loanpro.js";
import { maiaProvider } from "../maia.js";
import type { CompiledMapping } from "../mapping.js";
import type { Customer } from "../model.js";
import type { ProviderName } from "../names.js";
import { nuwebProvider } from "../nuweb.js";
import { compiledOf, type ProviderDefinition } from "../provider.js";

export {
  type AlignMapperConfig,
  type EnfuceMapperConfig,
  type LoanproMapperConfig,
  type MaiaMapperConfig,
  type MapperConfigs,
  type NuwebMapperConfig,
  PROVIDER_NAMES,
  type ProviderName,
  type RuleTables,
} from "../names.js";

export const DEFINITIONS: { readonly [P in ProviderName]: ProviderDefinition<P> } = {
  enfuce: enfuceProvider,
  nuweb: nuwebProvider,
  loanpro: loanproProvider,
  align: alignProvider,
  maia: maiaProvider,
};

/** Every provider's compiled table. */
export const COMPILED: { readonly [P in ProviderName]: CompiledMapping } = {
  enfuce: compiledOf(enfuceProvider),
  nuweb: compiledOf(nuwebProvider),
  loanpro: compiledOf(loanproProvider),
  align: compiledOf(alignProvider),
  maia: compiledOf(maiaProvider),
};

export const READERS: { readonly [P in ProviderName]: (data: unknown) => Customer | undefined } = {
  enfuce: enfuceProvider.read,
  nuweb: nuwebProvider.read,
  loanpro: loanproProvider.read,
  align: alignProvider.read,
  maia: maiaProvider.read,
};
