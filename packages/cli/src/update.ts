/** `custkit update`: one customer at one provider, or its dry run. */
import {
  type CustomerPatch,
  createCustomers,
  type ProviderName,
  type UnsupportedPolicy,
  type UpdateResult,
} from "@custkit/customers";
import { type Fetch, retryAfterMs, type TransportHooks } from "@custkit/runtime";
import { type Endpoint, endpointOf, withPlaceholders } from "./config.js";
import { patchSecrets, redactValue, type ShownRequest, showRequest } from "./redact.js";

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

/** How an update went on the wire: where it went, attempts, waits between them, waits asked for. */
export interface Delivery extends Endpoint {
  attempts: number;
  /** Time spent waiting between attempts. */
  waitedMs: number;
  /** The longest wait the vendor asked for (Retry-After), when it asked. */
  vendorAskedMs?: number;
}

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
  const result = await customers.update(input.provider, input.id as never, input.patch as never, {
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

/** A delivery record for `config`, and the transport hooks that fill it in. */
export function observeDelivery(
  provider: ProviderName,
  config: Record<string, unknown>,
): { delivery: Delivery; hooks: TransportHooks } {
  const delivery: Delivery = { ...endpointOf(provider, config), attempts: 0, waitedMs: 0 };
  const hooks: TransportHooks = {
    onRequest: () => {
      delivery.attempts++;
    },
    onResponse: (event) => {
      const asked = retryAfterMs(new Headers(event.responseHeaders));
      if (asked !== undefined && asked > (delivery.vendorAskedMs ?? -1))
        delivery.vendorAskedMs = asked;
    },
    onRetry: (event) => {
      delivery.waitedMs += event.delayMs;
    },
  };
  return { delivery, hooks };
}

export async function runUpdate(input: UpdateInput, hooks?: TransportHooks): Promise<UpdateResult> {
  const config = hooks === undefined ? input.config : { ...input.config, hooks };
  const customers = createCustomers({ providers: { [input.provider]: config } as never });
  const result = await customers.update(input.provider, input.id as never, input.patch as never, {
    ...(input.unsupported ? { unsupported: input.unsupported } : {}),
    ...(input.timeoutMs ? { timeoutMs: input.timeoutMs } : {}),
  });
  return redactValue(result, patchSecrets(input.patch)) as UpdateResult;
}
