/** Attempts and waits of one pair, as the transport reports them, for results and output. */
import type { AttemptReport } from "@custkit/runtime";

export interface AttemptStats {
  attempts: number;
  waitedMs: number;
  /** The longest wait the vendor asked for (Retry-After, spent-quota headers). */
  askedMs?: number;
  rateLimited: number;
}

export const newStats = (): AttemptStats => ({ attempts: 0, waitedMs: 0, rateLimited: 0 });

export function record(stats: AttemptStats, report: AttemptReport): void {
  stats.attempts++;
  stats.waitedMs += report.waitedMs;
  if (report.status === 429) stats.rateLimited++;
  if (report.askedMs !== undefined) stats.askedMs = Math.max(stats.askedMs ?? 0, report.askedMs);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
/** A vendor's wait as it asked for it: "120 s", "1.5 s". */
const asked = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

/** "3 attempts, waited 1.0 s; vendor asked for 120 s", or "" for one attempt without waits. */
export function describeAttempts(stats: AttemptStats, requests = 1): string {
  if (stats.attempts <= requests && stats.waitedMs < 50 && stats.askedMs === undefined) return "";
  const parts = [`${stats.attempts} attempt${stats.attempts === 1 ? "" : "s"}`];
  if (stats.waitedMs >= 50) parts.push(`waited ${seconds(stats.waitedMs)}`);
  const text = parts.join(", ");
  return stats.askedMs !== undefined ? `${text}; vendor asked for ${asked(stats.askedMs)}` : text;
}

/** One `--verbose` line per attempt. */
export function attemptLine(where: string, r: AttemptReport): string {
  const outcome = r.status !== undefined ? `HTTP ${r.status}` : (r.errorKind ?? "failed");
  const waited = r.waitedMs >= 50 ? `, after waiting ${seconds(r.waitedMs)}` : "";
  const vendor = r.askedMs !== undefined ? `; vendor asked for ${asked(r.askedMs)}` : "";
  return `${where}: ${r.operation} attempt ${r.attempt}/${r.maxAttempts}: ${outcome} in ${Math.round(r.durationMs)} ms${waited}${vendor}`;
}
