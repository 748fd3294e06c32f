export type {
  ClientTypes,
  Customers,
  CustomersOptions,
  EverywhereOptions,
  MappedVendorKey,
  PassthroughFor,
  ProviderConfig,
  UpdateOptions,
} from "./customers.js";
export { capabilities, createCustomers } from "./customers.js";
export type {
  FieldCapability,
  FieldProblem,
  ProblemCode,
  ProviderCapabilities,
  UnsupportedPolicy,
  VendorRequest,
} from "./mapping.js";
export * from "./model.js";
export type {
  AlignMapperConfig,
  EnfuceMapperConfig,
  LoanproMapperConfig,
  MaiaMapperConfig,
  NuwebMapperConfig,
} from "./providers/index.js";
export { PROVIDER_NAMES, type ProviderName } from "./providers/index.js";
export { NUWEB_COUNTRY_IDS } from "./providers/nuweb-countries.js";
export type {
  EverywhereResult,
  ProviderOutcome,
  RawExchange,
  UpdatePlan,
  UpdateResult,
} from "./results.js";
export type { PatchFor, SupportedField } from "./types.js";
