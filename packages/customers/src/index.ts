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
export type { MapperOption } from "./mapper.js";
export type {
  FieldCapability,
  FieldProblem,
  ProblemCode,
  ProviderCapabilities,
  UnsupportedPolicy,
  VendorRequest,
} from "./mapping.js";
export * from "./model.js";
export * from "./names.js";
export type { Normalization } from "./normalize.js";
export type { ProviderDefinition } from "./provider.js";
/** Every provider's definition by name: its mapper options and its generated client's definition. */
export { DEFINITIONS as PROVIDER_DEFINITIONS } from "./providers/index.js";
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
export type { PatchArgument, PatchFor, SupportedField } from "./types.js";
export { type ValueFormat, valueFormat } from "./validators.js";
