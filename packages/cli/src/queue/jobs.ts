/**
 * What travels through Redis for a distributed sync: one job per (line, provider) pair, on one
 * BullMQ queue per provider and credential. A job holds the customer id and patch, never a
 * credential: workers hold those, and find their queue by the credential's fingerprint.
 */

import type { CustomerPatch, ProviderName, UnsupportedPolicy } from "@custkit/customers";
import { credentialFingerprint } from "@custkit/runtime";
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

/**
 * A queue limiter for `perSecond` updates: BullMQ counts jobs started per window. Windows of a
 * fifth of a second (or of `burst` jobs) keep bursts small; shorter ones lose more of the rate to
 * the workers' wake-up after each window.
 */
export function queueLimiter(rate: { perSecond: number; burst?: number }): {
  max: number;
  duration: number;
} {
  const max = rate.burst ?? Math.max(1, Math.ceil(rate.perSecond / 5));
  return { max, duration: Math.max(1, Math.round((max * 1000) / rate.perSecond)) };
}
