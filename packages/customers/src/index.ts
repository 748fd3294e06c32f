export type {
  ClientTypes,
  Customers,
  EverywhereOptions,
  MappedVendorKey,
  PassthroughFor,
  ProviderConfig,
  UpdateOptions,
} from "./core.js";
export { type CustomersOptions, capabilities, createCustomers } from "./customers.js";
export { type AppliedRequest, PartialUpdateError } from "./errors.js";
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
} from "./names.js";
export { PROVIDER_NAMES, type ProviderName } from "./names.js";
export type { Normalization } from "./normalize.js";
export { NUWEB_COUNTRY_IDS } from "./providers/nuweb-countries.js";
export { describeRefused } from "./refusal.js";
export type {
  EverywhereResult,
  ProviderOutcome,
  RawExchange,
  UpdatePlan,
  UpdateResult,
} from "./results.js";
export { closestName } from "./suggest.js";
export type { PatchFor, SupportedField } from "./types.js";
export { type ValueFormat, valueFormat } from "./validators.js";
