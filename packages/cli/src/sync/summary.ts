/** What a sync did, as counted while it ran: the summary line, its JSON and the exit code. */
import { REFUSED_KINDS } from "../errors.js";
import type { ErrorRecord } from "./results.js";

export interface SyncSummary {
  file: string;
  out: string;
  /** `--check`: every line parsed and planned, nothing sent. */
  checked: boolean;
  lines: number;
  badLines: number;
  /** Pairs tried (ok + failed), refusals included. */
  attempted: number;
  ok: number;
  failed: number;
  failedByKind: Record<string, number>;
  /** Failures by kind, then by reason (status and vendor code, or the refusal's message). */
  failures: Record<string, Record<string, number>>;
  /** Bad lines and refusals an earlier run recorded for the same content: not appended again. */
  unchanged: number;
  /** Pairs skipped because an earlier run recorded the same content as succeeded. */
  resumed: number;
  /**
   * HTTP attempts, those answered 429, and the time spent waiting (rate limit, pauses, backoff):
   * summed over all updates (which wait side by side, so it can exceed the run's time), and the
   * longest one update waited.
   */
  requests: number;
  rateLimited: number;
  waitedMs: number;
  longestWaitMs: number;
  interrupted: boolean;
  elapsedMs: number;
  /** Peak resident set size during the run, in MiB. */
  peakRssMiB: number;
}

export function emptySummary(file: string, out: string, checked: boolean): SyncSummary {
  return {
    file,
    out,
    checked,
    lines: 0,
    badLines: 0,
    attempted: 0,
    ok: 0,
    failed: 0,
    failedByKind: {},
    failures: {},
    unchanged: 0,
    resumed: 0,
    requests: 0,
    rateLimited: 0,
    waitedMs: 0,
    longestWaitMs: 0,
    interrupted: false,
    elapsedMs: 0,
    peakRssMiB: 0,
  };
}

/** The reason failures are grouped by: what a person would fix, without ids or values. */
export function reasonOf(error: ErrorRecord): string {
  if (error.status !== undefined)
    return `HTTP ${error.status}${error.vendorCode ? ` ${error.vendorCode}` : ""}`;
  const fields = error.fieldErrors as { field?: string; reason?: string }[] | undefined;
  if (fields && fields.length > 0)
    return clip(fields.map((f) => `${f.field}: ${f.reason}`).join("; "));
  return clip(error.message.replace(/\d+/g, "N"));
}

/** A reason cut short says so, rather than ending mid-word. */
function clip(reason: string): string {
  return reason.length > 120 ? `${reason.slice(0, 119)}…` : reason;
}

export function countFailure(s: SyncSummary, error: ErrorRecord): void {
  const byReason = s.failures[error.kind] ?? {};
  const reason = reasonOf(error);
  byReason[reason] = (byReason[reason] ?? 0) + 1;
  s.failures[error.kind] = byReason;
  if (error.kind === "bad_line") return;
  s.failed++;
  s.failedByKind[error.kind] = (s.failedByKind[error.kind] ?? 0) + 1;
}

/** 130 interrupted; 1 any vendor/network failure; 3 only refusals or bad lines; 0 all succeeded. */
export function syncExitCode(s: SyncSummary): number {
  if (s.interrupted) return 130;
  const vendorFailures = Object.entries(s.failedByKind).some(
    ([kind, n]) => n > 0 && !REFUSED_KINDS.has(kind),
  );
  if (vendorFailures) return 1;
  if (s.failed > 0 || s.badLines > 0) return 3;
  return 0;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function formatSummary(s: SyncSummary): string {
  const kinds = Object.entries(s.failedByKind)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
  const rate = s.elapsedMs > 0 ? Math.round((s.attempted * 1000) / s.elapsedMs) : 0;
  const head = s.checked
    ? `sync --check: ${s.lines} lines, ${s.attempted} updates planned, nothing sent`
    : `sync ${s.interrupted ? "interrupted" : "done"}: ${s.lines} lines, ${s.attempted} updates attempted in ${(s.elapsedMs / 1000).toFixed(1)}s (${rate}/s)`;
  const lines = [
    head,
    `  ok ${s.ok}, failed ${s.failed}${kinds ? ` (${kinds})` : ""}, resumed (already done) ${s.resumed}, bad lines ${s.badLines}`,
  ];
  if (!s.checked && s.requests > 0) {
    const waits =
      s.waitedMs >= 50
        ? `; waits (rate limits, vendor pauses, retries): longest ${seconds(s.longestWaitMs)} for one update, ${seconds(s.waitedMs)} summed over all`
        : "";
    lines.push(
      `  ${s.requests} requests${s.rateLimited > 0 ? `, ${s.rateLimited} answered 429` : ""}${waits}`,
    );
  }
  for (const [kind, reasons] of Object.entries(s.failures)) {
    const sorted = Object.entries(reasons).sort((a, b) => b[1] - a[1]);
    lines.push(`  ${kind}:`);
    for (const [reason, n] of sorted.slice(0, 5)) lines.push(`    ${n} × ${reason}`);
    if (sorted.length > 5) lines.push(`    … ${sorted.length - 5} more reasons (see the results)`);
  }
  if (s.unchanged > 0)
    lines.push(
      `  ${s.unchanged} of these failed the same way before (same content): not appended again`,
    );
  if (!s.checked) lines.push(`  results: ${s.out}`);
  if (s.interrupted)
    lines.push(
      "  to resume, run the same command again: pairs recorded as ok are skipped (--restart starts over)",
    );
  return lines.join("\n");
}
