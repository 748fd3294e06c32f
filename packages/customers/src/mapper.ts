/**
 * What a mapper file (`providers/<p>.ts`, the one hand-written place of a provider in this package)
 * exports as `<p>Mapper`. The generated entry (`src/<p>.ts`) binds it to the generated client.
 */
import type { CustkitError } from "@custkit/runtime";
import type { PartialFailure } from "./errors.js";
import type { ProviderMapping } from "./mapping/rules.js";
import type { Customer } from "./model.js";

/** A mapper configuration key, documented (the CLI lists it and reads it from the environment). */
export interface MapperOption<K extends string = string> {
  readonly option: K;
  /** Required to send anything. */
  readonly required?: boolean;
  readonly description: string;
}

export interface MapperDefinition<C, N extends string> {
  readonly mapping: ProviderMapping<C, N>;
  /** A vendor answer → the customer it describes, when it describes one. */
  readonly read: (data: unknown) => Customer | undefined;
  /** Configuration keys read by the mapper (never passed to the client). */
  readonly options: readonly MapperOption<keyof C & string>[];
  /** A reason the mapper configuration is unusable, checked when the provider is configured. */
  readonly checkConfig?: (config: C) => string | undefined;
  /**
   * Required when a patch may need several requests: the error for a request that failed after
   * earlier ones went through (`partialUpdateError`); the facade sends no second request without it.
   */
  readonly partialUpdate?: (failure: PartialFailure) => CustkitError;
}
