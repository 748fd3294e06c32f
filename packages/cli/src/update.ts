/** `custkit update`: one customer at one provider, or its dry run. */
import {
  type CustomerPatch,
  createCustomers,
  type ProviderName,
  type UnsupportedPolicy,
  type UpdateResult,
} from "@custkit/customers";
import type { Fetch } from "@custkit/runtime";
import { withPlaceholderCredentials } from "./config.js";
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
  requests: ShownRequest[];
  written: string[];
  skipped: UpdateResult["skipped"];
  warnings: string[];
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
  const config = { ...withPlaceholderCredentials(input.provider, input.config), fetch };
  const customers = createCustomers({ providers: { [input.provider]: config } as never });
  const result = await customers.update(input.provider, input.id, input.patch, {
    ...(input.unsupported ? { unsupported: input.unsupported } : {}),
  });
  const requests: ShownRequest[] = [];
  for (const r of captured) requests.push(await showRequest(r, secrets));
  return {
    dryRun: true,
    provider: input.provider,
    id: input.id,
    requests,
    written: result.written,
    skipped: result.skipped,
    warnings: result.warnings.map((w) => redactValue(w, secrets) as string),
  };
}

export async function runUpdate(input: UpdateInput): Promise<UpdateResult> {
  const customers = createCustomers({ providers: { [input.provider]: input.config } as never });
  const result = await customers.update(input.provider, input.id, input.patch, {
    ...(input.unsupported ? { unsupported: input.unsupported } : {}),
    ...(input.timeoutMs ? { timeoutMs: input.timeoutMs } : {}),
  });
  return redactValue(result, patchSecrets(input.patch)) as UpdateResult;
}
