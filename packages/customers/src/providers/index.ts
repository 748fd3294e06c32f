/** Every provider mapper, compiled once at module load. */
import { compileMapping } from "../mapping.js";
import { type AlignMapperConfig, alignMapping, type alignRules, readAlign } from "./align.js";
import { type EnfuceMapperConfig, enfuceMapping, type enfuceRules, readEnfuce } from "./enfuce.js";
import {
  type LoanproMapperConfig,
  loanproMapping,
  type loanproRules,
  readLoanpro,
} from "./loanpro.js";
import { type MaiaMapperConfig, maiaMapping, type maiaRules, readMaia } from "./maia.js";
import { type NuwebMapperConfig, nuwebMapping, type nuwebRules, readNuweb } from "./nuweb.js";

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

export const COMPILED = {
  enfuce: compileMapping(enfuceMapping),
  nuweb: compileMapping(nuwebMapping),
  loanpro: compileMapping(loanproMapping),
  align: compileMapping(alignMapping),
  maia: compileMapping(maiaMapping),
} as const;

export const READERS = {
  enfuce: readEnfuce,
  nuweb: readNuweb,
  loanpro: readLoanpro,
  align: readAlign,
  maia: readMaia,
} as const;

export type {
  AlignMapperConfig,
  EnfuceMapperConfig,
  LoanproMapperConfig,
  MaiaMapperConfig,
  NuwebMapperConfig,
};
