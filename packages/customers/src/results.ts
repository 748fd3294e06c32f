/** Normalised results of the facade. */
import type { CustkitError } from "@custkit/runtime";
import type { FieldProblem, VendorRequest } from "./mapping.js";
import type { Customer } from "./model.js";
import type { ProviderName } from "./names.js";
import type { Normalization } from "./normalize.js";

export interface RawExchange {
  operation: string;
  status: number;
  /** The vendor's answer body as the client parsed it. */
  data: unknown;
}

export interface UpdateResult<P extends ProviderName = ProviderName> {
  provider: P;
  id: string;
  /** Model fields (and `passthrough.<key>`) sent to the vendor. */
  written: string[];
  /** Fields not written (only with `unsupported: 'warn'`): field, reason, code. */
  skipped: FieldProblem[];
  warnings: string[];
  /** Input rewritten to the model's form before mapping (`gb` → `GB`); absent when nothing was. */
  normalized?: Normalization[];
  /** Requests sent (0 when the patch had nothing for this provider). */
  requests: number;
  /** The customer as the vendor returned it, in the canonical model, when the vendor returns one. */
  customer?: Customer;
  /** The vendor's answers, when `raw: true` was asked for. */
  raw?: RawExchange[];
}

export type ProviderOutcome<P extends ProviderName = ProviderName> =
  | { ok: true; result: UpdateResult<P> }
  | { ok: false; error: CustkitError };

export interface EverywhereResult {
  /** True when every provider succeeded. */
  ok: boolean;
  results: { [P in ProviderName]?: ProviderOutcome<P> };
}

/** A dry run: what `update` would send. */
export interface UpdatePlan<P extends ProviderName = ProviderName> {
  provider: P;
  requests: VendorRequest[];
  written: string[];
  skipped: FieldProblem[];
  warnings: string[];
  /** Input rewritten to the model's form before mapping; absent when nothing was. */
  normalized?: Normalization[];
}
