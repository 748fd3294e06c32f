/**
 * What travels through Redis for a distributed sync: one job per (line, provider) pair, on one
 * BullMQ queue per provider and credential. A job holds the customer id and patch, never a
 * credential: workers hold those, and find their queue by the credential's fingerprint.
 */

import type { CustomerPatch, ProviderName, UnsupportedPolicy } from "@custkit/customers";
import { credentialFingerprint, limiterShape, type RateLimitOptions } from "@custkit/runtime";
import type { ErrorRecord } from "../sync/results.js";

export interface PairJob {
  provider: ProviderName;
  id: string | number;
  patch: CustomerPatch;
  unsupported?: UnsupportedPolicy;
  timeoutMs?: number;
}

/** Attempts of a job whose failure is retryable (network, timeout, 5xx); a 429 is not an attempt. */
export const JOB_ATTEMPTS = 3;

/** How one pair ended: what a worker returns and what the results file records. */
export type PairOutcome =
  | { ok: true; requests: number; skipped?: string[] }
  | { ok: false; error: ErrorRecord };

/** The queue of a provider and credential: `custkit-<provider>-<fingerprint>` (no ":", BullMQ's key separator). */
export async function queueNameFor(
  provider: ProviderName,
  config: { readonly [name: string]: unknown },
): Promise<string> {
  return `custkit-${provider}-${await credentialFingerprint(provider, config)}`;
}

/** BullMQ's queue limit for a rate: jobs started per window, in the runtime's window shape. */
export function queueLimiter(rate: RateLimitOptions): { max: number; duration: number } {
  const { points, duration } = limiterShape(rate);
  return { max: points, duration: Math.max(1, Math.round(duration * 1000)) };
}
