/** `custkit update`: one customer at one provider, or its dry run. */
import {
  type CustomerPatch,
  createCustomers,
  type ProviderName,
  type UnsupportedPolicy,
  type UpdateResult,
} from "@custkit/customers";
import type { AttemptReport, Fetch } from "@custkit/runtime";
import { type Endpoint, endpointOf, withPlaceholders } from "./config.js";
import { patchSecrets, redactValue, type ShownRequest, showRequest } from "./redact.js";
import { type AttemptStats, newStats, record } from "./sync/attempts.js";

export interface UpdateInput {
  provider: ProviderName;
  id: string;
  patch: CustomerPatch;
  config: Record<string, unknown>;
  unsupported?: UnsupportedPolicy;
  timeoutMs?: number;
}

export interface DryRunOutput {
  dryRun: true;
  provider: ProviderName;
  id: string;
  /** Where the requests would go. */
  endpoint: Endpoint;
  /** Options filled with placeholders because they were not configured (shown as `placeholder-<option>`). */
  placeholders: string[];
  requests: ShownRequest[];
  written: string[];
  normalized?: UpdateResult["normalized"];
  skipped: UpdateResult["skipped"];
  warnings: string[];
}

/** How an update went on the wire: where it went, attempts and waits (as `sync` reports them). */
export type Delivery = Endpoint & AttemptStats;

/**
 * The exact requests `update` would send: the facade maps the patch and the generated client builds
 * each request (URL, headers, serialized body), which a capturing fetch takes instead of the network.
 */
export async function dryRun(input: UpdateInput): Promise<DryRunOutput> {
  const secrets = patchSecrets(input.patch);
  const captured: Request[] = [];
  // A Request built from what fetch(url, init) is given is what the global fetch would send.
  const fetch: Fetch = async (url, init) => {
    captured.push(new Request(url, init));
    return new Response(null, { status: 204 });
  };
  const { config, placeholders } = withPlaceholders(input.provider, input.config);
  const customers = createCustomers({
    providers: { [input.provider]: { ...config, fetch } } as never,
  });
  const result = await customers.update(input.provider, input.id, input.patch, {
    ...(input.unsupported ? { unsupported: input.unsupported } : {}),
  });
  const requests: ShownRequest[] = [];
  for (const r of captured) requests.push(await showRequest(r, secrets));
  return {
    dryRun: true,
    provider: input.provider,
    id: input.id,
    endpoint: endpointOf(input.provider, config),
    placeholders,
    requests,
    written: result.written,
    ...(result.normalized ? { normalized: result.normalized } : {}),
    skipped: result.skipped,
    warnings: result.warnings.map((w) => redactValue(w, secrets) as string),
  };
}

/** A delivery record for `config`, and the per-call observer that fills it in. */
export function observeDelivery(
  provider: ProviderName,
  config: Record<string, unknown>,
): { delivery: Delivery; onAttempt: (report: AttemptReport) => void } {
  const delivery: Delivery = { ...endpointOf(provider, config), ...newStats() };
  return { delivery, onAttempt: (report) => record(delivery, report) };
}

export async function runUpdate(
  input: UpdateInput,
  onAttempt?: (report: AttemptReport) => void,
): Promise<UpdateResult> {
  const customers = createCustomers({ providers: { [input.provider]: input.config } as never });
  const result = await customers.update(input.provider, input.id, input.patch, {
    ...(input.unsupported ? { unsupported: input.unsupported } : {}),
    ...(input.timeoutMs ? { timeoutMs: input.timeoutMs } : {}),
    ...(onAttempt ? { onAttempt } : {}),
  });
  return redactValue(result, patchSecrets(input.patch)) as UpdateResult;
}
