/** Provider names and the per-provider type tables (types only: importing this loads no mapper). */
import type { AlignMapperConfig, alignRules } from "./providers/align.js";
import type { EnfuceMapperConfig, enfuceRules } from "./providers/enfuce.js";
import type { LoanproMapperConfig, loanproRules } from "./providers/loanpro.js";
import type { MaiaMapperConfig, maiaRules } from "./providers/maia.js";
import type { NuwebMapperConfig, nuwebRules } from "./providers/nuweb.js";

export const PROVIDER_NAMES = ["enfuce", "nuweb", "loanpro", "align", "maia"] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export interface MapperConfigs {
  enfuce: EnfuceMapperConfig;
  nuweb: NuwebMapperConfig;
  loanpro: LoanproMapperConfig;
  align: AlignMapperConfig;
  maia: MaiaMapperConfig;
}

/** The rule tables, as literal types (for the compile-time patch types). */
export interface RuleTables {
  enfuce: typeof enfuceRules;
  nuweb: typeof nuwebRules;
  loanpro: typeof loanproRules;
  align: typeof alignRules;
  maia: typeof maiaRules;
}

export type {
  AlignMapperConfig,
  EnfuceMapperConfig,
  LoanproMapperConfig,
  MaiaMapperConfig,
  NuwebMapperConfig,
};
