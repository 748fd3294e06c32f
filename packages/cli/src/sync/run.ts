/**
 * `custkit sync`: stream an NDJSON file of patches, fan each out to the chosen providers with
 * bounded concurrency, append one result line per (line, provider), and skip on a rerun every
 * pair whose content (ids and patch) an earlier run recorded as succeeded. `--check` plans every
 * pair and sends nothing.
 *
 * Memory stays flat however large the input: lines are read with node:readline and the input is
 * paused while `concurrency` updates are in flight; results are appended as they finish (honouring
 * the write stream's backpressure). What grows is the set of earlier results read for a resume.
 */
import { createReadStream, existsSync } from "node:fs";
import { createInterface } from "node:readline";
import {
  type CustomerPatch,
  type Customers,
  createCustomers,
  type ProviderName,
  type UnsupportedPolicy,
} from "@custkit/customers";
import type { Fetch } from "@custkit/runtime";
import { withPlaceholders } from "../config.js";
import { UsageError } from "../errors.js";
import { createHttpFetch } from "../http-fetch.js";
import type { QueueSender } from "../queue/sender.js";
import { patchSecrets } from "../redact.js";
import { type AttemptStats, attemptLine, describeAttempts, newStats, record } from "./attempts.js";
import { digestKey, keyFileOf, lineDigest, textDigest, throwawayKey } from "./digest.js";
import { isBlank, type ParsedLine, parseLine } from "./input.js";
import { Progress } from "./progress.js";
import {
  BatchedWriter,
  checkWritable,
  doneKey,
  type EarlierResults,
  type ErrorRecord,
  errorRecord,
  readEarlierResults,
} from "./results.js";
import { Slots } from "./slots.js";
import { countFailure, emptySummary, type SyncSummary } from "./summary.js";

export interface SyncOptions {
  file: string;
  out: string;
  providers: ProviderName[];
  configs: Record<string, Record<string, unknown>>;
  concurrency: number;
  unsupported?: UnsupportedPolicy;
  timeoutMs?: number;
  /** Live bar (TTY) or plain lines every `progressEveryMs` (0: none). */
  progress: "bar" | "lines" | "none";
  progressEveryMs: number;
  /** Where progress and per-line problems go. */
  log: NodeJS.WritableStream;
  /** Stop reading; the updates in flight finish and are recorded. */
  signal?: AbortSignal;
  /** Abort the updates in flight too (recorded as aborted). */
  cancel?: AbortSignal;
  /** Ignore (and empty) the results of earlier runs. */
  restart?: boolean;
  /** Where the input lines that failed are written, ready to fix and feed back. */
  failedOut?: string;
  /** Parse and plan every pair; send nothing, write no results. */
  check?: boolean;
  /** Print every attempt. */
  verbose?: boolean;
  /** Send through this queue (`sync --queue`, workers elsewhere) instead of from this process. */
  queue?: QueueSender;
}

/** Everything one run shares. */
interface Run {
  opts: SyncOptions;
  customers: Customers;
  earlier: EarlierResults;
  /** Keys the content digests (see digest.ts). */
  digestKey: Buffer;
  s: SyncSummary;
  progress: Progress;
  slots: Slots;
  results: BatchedWriter | undefined;
  failedOut: BatchedWriter | undefined;
  /** Input lines already written to --failed-out (a line can fail at several providers). */
  failedLines: Set<number>;
  /** The queue lost its jobs or Redis: stop reading, record what finished, then fail loudly. */
  lost?: Error;
}

interface Pair {
  line: number;
  text: string;
  key: string;
  provider: ProviderName;
  id: string | number;
  patch: CustomerPatch;
  digest: string;
}

const NOTHING_EARLIER: EarlierResults = {
  succeeded: new Set(),
  settled: new Map(),
  needsNewline: false,
};

export async function runSync(opts: SyncOptions): Promise<SyncSummary> {
  if (!existsSync(opts.file)) throw new UsageError(`--file ${opts.file}: no such file`);
  const check = Boolean(opts.check);
  if (!check) await checkWritable(opts.out, "--out", Boolean(opts.restart));
  if (opts.failedOut) await checkWritable(opts.failedOut, "--failed-out", true);
  const started = Date.now();
  const earlier = check || opts.restart ? NOTHING_EARLIER : await readEarlierResults(opts.out);
  const digest = check ? { key: throwawayKey(), created: false } : await digestKey(opts.out);
  const s = emptySummary(opts.file, opts.out, check);
  const run: Run = {
    opts,
    customers: syncCustomers(opts),
    earlier,
    digestKey: digest.key,
    s,
    progress: await Progress.start(s, {
      mode: opts.progress,
      everyMs: opts.progressEveryMs,
      log: opts.log,
      file: opts.file,
      providers: opts.providers.length,
      out: check ? opts.failedOut : opts.out,
    }),
    slots: new Slots(opts.concurrency),
    results: check ? undefined : new BatchedWriter(opts.out, earlier.needsNewline),
    failedOut: opts.failedOut ? new BatchedWriter(opts.failedOut) : undefined,
    failedLines: new Set(),
  };
  if (digest.created && earlier.succeeded.size + earlier.settled.size > 0)
    run.progress.log(
      `warning: ${keyFileOf(opts.out)} was missing, so the results already in ${opts.out} cannot be matched: their pairs are sent again`,
    );
  try {
    await readInput(run);
  } finally {
    // Whatever stopped the reading (the end, a signal, a full disk), what was accepted is recorded.
    await run.slots.below(1);
    run.progress.stop();
    await run.results?.end();
    await run.failedOut?.end();
  }
  s.elapsedMs = Date.now() - started;
  if (run.lost) throw run.lost;
  return s;
}

/** The facade over the providers: for `--check`, placeholder credentials and no network. */
function syncCustomers(opts: SyncOptions): Customers {
  const fetch: Fetch = opts.check
    ? () => Promise.reject(new Error("sync --check sends nothing"))
    : createHttpFetch(opts.concurrency);
  const configs = Object.fromEntries(
    Object.entries(opts.configs).map(([p, c]) => [
      p,
      { fetch, ...(opts.check ? withPlaceholders(p as ProviderName, c).config : c) },
    ]),
  );
  return createCustomers({ providers: configs });
}

async function readInput(run: Run): Promise<void> {
  const { opts, s } = run;
  const input = createReadStream(opts.file, { encoding: "utf8", highWaterMark: 64 * 1024 });
  const rl = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNo = 0;
  try {
    for await (const text of rl) {
      lineNo++;
      if (run.lost) break;
      if (opts.signal?.aborted) {
        s.interrupted = true;
        break;
      }
      if (isBlank(text)) continue;
      s.lines++;
      await handleLine(run, text, lineNo);
    }
  } finally {
    rl.close();
  }
}

async function handleLine(run: Run, text: string, line: number): Promise<void> {
  const { opts, s, progress, earlier } = run;
  let parsed: ParsedLine;
  try {
    parsed = parseLine(text);
  } catch (e) {
    badLine(run, text, line, (e as Error).message);
    return;
  }
  const digest = lineDigest(parsed, run.digestKey);
  for (const provider of opts.providers) {
    const id = parsed.ids[provider];
    if (id === undefined) {
      progress.pairsDone++;
      continue;
    }
    const done = doneKey(digest, provider);
    if (earlier.succeeded.has(done)) {
      s.resumed++;
      progress.pairsDone++;
      continue;
    }
    const pair: Pair = { line, text, key: parsed.key, provider, id, patch: parsed.patch, digest };
    const settled = earlier.settled.get(done);
    if (settled && (settled.kind !== "unsupported" || opts.unsupported !== "warn")) {
      // Refused before, same content, same policy: refused again. Counted, not appended again.
      s.unchanged++;
      s.attempted++;
      countFailure(s, settled);
      writeFailedLine(run, pair.text, pair.line);
      progress.pairsDone++;
      continue;
    }
    if (opts.check) {
      planPair(run, pair);
      continue;
    }
    await run.slots.below();
    if (run.lost) return;
    await run.results?.drained();
    run.slots.take();
    void (opts.queue ? queuePair(run, pair, opts.queue) : sendPair(run, pair));
  }
}

function badLine(run: Run, text: string, line: number, message: string): void {
  const { s, progress, earlier } = run;
  const digest = textDigest(text, run.digestKey);
  const error: ErrorRecord = { kind: "bad_line", message };
  s.badLines++;
  progress.pairsDone += run.opts.providers.length;
  countFailure(s, error);
  writeFailedLine(run, text, line);
  if (earlier.settled.has(digest)) {
    s.unchanged++;
    return;
  }
  run.results?.writeRecord({ line, digest, ok: false, error });
  progress.problem(`line ${line}: bad line: ${message}`);
}

function writeFailedLine(run: Run, text: string, line: number): void {
  if (!run.failedOut || run.failedLines.has(line)) return;
  run.failedLines.add(line);
  run.failedOut.write(`${text}\n`);
}

function pairFailed(run: Run, pair: Pair, error: unknown, stats?: AttemptStats): ErrorRecord {
  const err = errorRecord(error, patchSecrets(pair.patch));
  reportFailure(run, pair, err, stats ? describeAttempts(stats) : "");
  return err;
}

function reportFailure(run: Run, pair: Pair, err: ErrorRecord, how: string): void {
  countFailure(run.s, err);
  writeFailedLine(run, pair.text, pair.line);
  run.progress.problem(
    `line ${pair.line}: ${pair.provider} ${pair.key}: ${err.kind}: ${err.message}${how ? ` (${how})` : ""}`,
  );
}

function planPair(run: Run, pair: Pair): void {
  try {
    run.customers.plan(pair.provider, pair.id, pair.patch, {
      ...(run.opts.unsupported ? { unsupported: run.opts.unsupported } : {}),
    });
    run.s.ok++;
  } catch (error) {
    pairFailed(run, pair, error);
  } finally {
    run.s.attempted++;
    run.progress.pairsDone++;
  }
}

async function sendPair(run: Run, pair: Pair): Promise<void> {
  const { opts, s } = run;
  const stats = newStats();
  const base = { key: pair.key, provider: pair.provider, id: String(pair.id), line: pair.line };
  const where = `line ${pair.line}: ${pair.provider} ${pair.key}`;
  try {
    const result = await run.customers.update(pair.provider, pair.id, pair.patch, {
      ...(opts.unsupported ? { unsupported: opts.unsupported } : {}),
      ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
      ...(opts.cancel ? { signal: opts.cancel } : {}),
      onAttempt: (report) => {
        record(stats, report);
        if (opts.verbose) run.progress.log(attemptLine(where, report));
      },
    });
    s.ok++;
    const rec: Record<string, unknown> = { ...base, digest: pair.digest, ok: true };
    rec.requests = result.requests;
    if (result.skipped.length > 0) rec.skipped = result.skipped.map((k) => k.field);
    run.results?.writeRecord({ ...rec, ...attemptFields(stats, result.requests) });
  } catch (error) {
    const err = pairFailed(run, pair, error, stats);
    run.results?.writeRecord({
      ...base,
      digest: pair.digest,
      ok: false,
      error: err,
      ...attemptFields(stats, 1),
    });
  } finally {
    s.attempted++;
    s.requests += stats.attempts;
    s.rateLimited += stats.rateLimited;
    s.waitedMs += stats.waitedMs;
    s.longestWaitMs = Math.max(s.longestWaitMs, stats.waitedMs);
    run.progress.pairsDone++;
    run.slots.release();
  }
}

/** A pair sent by a worker: enqueued under its content digest, recorded when the worker is done. */
async function queuePair(run: Run, pair: Pair, queue: QueueSender): Promise<void> {
  const { opts, s } = run;
  const base = { key: pair.key, provider: pair.provider, id: String(pair.id), line: pair.line };
  try {
    const outcome = await queue.send(`${pair.digest}-${pair.provider}`, {
      provider: pair.provider,
      id: pair.id,
      patch: pair.patch,
      ...(opts.unsupported ? { unsupported: opts.unsupported } : {}),
      ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    });
    if (outcome.ok) s.ok++;
    else reportFailure(run, pair, outcome.error, "");
    run.results?.writeRecord({ ...base, digest: pair.digest, ...outcome });
  } catch (error) {
    // Only a lost queue throws here: nothing is recorded for this pair, a rerun sends it.
    if (!run.lost) run.progress.problem(`✗ ${(error as Error).message}`);
    run.lost ??= error as Error;
  } finally {
    s.attempted++;
    run.progress.pairsDone++;
    run.slots.release();
  }
}

/** Attempts and waits in a result line, only when there was more than one try or a wait. */
function attemptFields(stats: AttemptStats, requests: number): Record<string, number> {
  if (describeAttempts(stats, requests) === "") return {};
  return {
    attempts: stats.attempts,
    waitedMs: Math.round(stats.waitedMs),
    ...(stats.askedMs !== undefined ? { vendorAskedMs: stats.askedMs } : {}),
  };
}
