import { type CompiledMapping, checkRequests, mapPatch, type PlanOptions } from "../src/mapping.js";
import type { CustomerPatch } from "../src/model.js";
import { COMPILED, type ProviderName } from "../src/providers/index.js";

export const IDS = {
  enfuce: "C-100",
  nuweb: "123",
  loanpro: 42,
  align: "3fa85f64-5717-4562-b3fc-2c963f66afa6",
  maia: "abc",
} as const;
export const CONFIGS = {
  enfuce: { auditUser: "ops" },
  nuweb: {},
  loanpro: {},
  align: {},
  maia: {},
} as const;

/** What `plan()` does without a client: map, then check against the provider's constraint trees. */
export function plan(
  provider: ProviderName,
  patch: CustomerPatch,
  options: PlanOptions = {},
  config?: object,
) {
  const compiled = COMPILED[provider] as CompiledMapping;
  const planned = mapPatch(compiled, IDS[provider], patch, config ?? CONFIGS[provider], options);
  checkRequests(compiled, planned.requests, undefined, options.passthrough);
  return planned;
}
/** The body of the single request a patch produces. */
export function body(provider: ProviderName, patch: CustomerPatch, config?: object): unknown {
  const p = plan(provider, patch, {}, config);
  if (p.requests.length !== 1) throw new Error(`expected one request, got ${p.requests.length}`);
  return p.requests[0]?.body;
}
/** The error a patch raises. */
export function refusal(
  provider: ProviderName,
  patch: CustomerPatch,
  options: PlanOptions = {},
  config?: object,
) {
  try {
    plan(provider, patch, options, config);
  } catch (e) {
    return e as {
      kind: string;
      message: string;
      fieldErrors: { field: string; reason: string; code?: string }[];
    };
  }
  throw new Error("expected a refusal");
}
