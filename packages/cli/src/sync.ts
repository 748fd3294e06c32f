/**
 * `custkit sync`: stream an NDJSON file of patches, fan each out to the chosen providers with
 * bounded concurrency, append one result line per (key, provider), and skip on a rerun every pair
 * an earlier run already wrote as succeeded.
 *
 * Memory stays flat however large the input: lines are read with node:readline and the input is
 * paused while `concurrency` updates are in flight; results are appended as they finish (honouring
 * the write stream's backpressure). What grows is the set of succeeded pairs read for a resume.
 */

import { once } from "node:events";
import { createReadStream, createWriteStream, existsSync, type WriteStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { createInterface } from "node:readline";
import {
  type CustomerPatch,
  type Customers,
  createCustomers,
  type ProviderName,
  type UnsupportedPolicy,
} from "@custkit/customers";
import { CustkitError } from "@custkit/runtime";
import cliProgress from "cli-progress";
import { isProvider } from "./config.js";
import { REFUSED_KINDS, stripUndefined, UsageError } from "./errors.js";
import { createHttpFetch } from "./http-fetch.js";
import { type PairJob, type PairOutcome, pairDigest } from "./queue/jobs.js";
import type { QueueSender } from "./queue/sender.js";
import { patchSecrets, redactString } from "./redact.js";

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
  /** Send through this queue (`sync --queue`) instead of from this process. */
  queue?: QueueSender;
  /** Stop reading (in-flight updates finish and are recorded). */
  signal?: AbortSignal;
}

export interface SyncSummary {
  file: string;
  out: string;
  lines: number;
  badLines: number;
  /** Pairs tried (ok + failed), refusals included. */
  attempted: number;
  ok: number;
  failed: number;
  failedByKind: Record<string, number>;
  /** Pairs skipped because an earlier run recorded them as succeeded. */
  resumed: number;
  interrupted: boolean;
  elapsedMs: number;
  /** Peak resident set size during the run, in MiB. */
  peakRssMiB: number;
}

const pairKey = (key: string, provider: string) => `${key}\u0000${provider}`;

/** Pairs an earlier run recorded as succeeded, and whether the file ends mid-line. */
async function readSucceeded(out: string): Promise<{ done: Set<string>; needsNewline: boolean }> {
  const done = new Set<string>();
  if (!existsSync(out)) return { done, needsNewline: false };
  const rl = createInterface({
    input: createReadStream(out, { encoding: "utf8" }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of rl) {
    if (!line.includes('"ok":true')) continue;
    try {
      const r = JSON.parse(line) as { key?: unknown; provider?: unknown; ok?: unknown };
      if (r.ok === true && typeof r.key === "string" && typeof r.provider === "string")
        done.add(pairKey(r.key, r.provider));
    } catch {
      // A torn last line from an interrupted run: not a success.
    }
  }
  const { size } = await stat(out);
  let needsNewline = false;
  if (size > 0) {
    const fh = await open(out, "r");
    const buf = Buffer.alloc(1);
    await fh.read(buf, 0, 1, size - 1);
    await fh.close();
    needsNewline = buf[0] !== 0x0a;
  }
  return { done, needsNewline };
}

async function countLines(file: string): Promise<number> {
  let n = 0;
  let last = 0x0a;
  for await (const chunk of createReadStream(file)) {
    const b = chunk as Buffer;
    for (let i = b.indexOf(0x0a); i !== -1; i = b.indexOf(0x0a, i + 1)) n++;
    if (b.length > 0) last = b[b.length - 1] as number;
  }
  return last === 0x0a ? n : n + 1;
}

interface ParsedLine {
  key: string;
  ids: Partial<Record<ProviderName, string | number>>;
  patch: CustomerPatch;
}

function parseLine(text: string, lineNo: number): ParsedLine {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new Error(`not valid JSON (${(e as Error).message})`);
  }
  if (!v || typeof v !== "object" || Array.isArray(v))
    throw new Error("a line must be a JSON object { key?, ids, patch }");
  const o = v as Record<string, unknown>;
  const key = o.key === undefined || o.key === null ? String(lineNo) : o.key;
  if (typeof key !== "string" && typeof key !== "number")
    throw new Error('"key" must be a string or a number');
  if (String(key) === "") throw new Error('"key" must not be empty');
  const ids = o.ids;
  if (!ids || typeof ids !== "object" || Array.isArray(ids))
    throw new Error('"ids" must be an object { "<provider>": "<customer id>" }');
  for (const [p, id] of Object.entries(ids)) {
    if (!isProvider(p)) throw new Error(`unknown provider "${p}" in "ids"`);
    if (typeof id !== "string" && typeof id !== "number")
      throw new Error(`ids.${p} must be a string or a number`);
  }
  const patch = o.patch;
  if (!patch || typeof patch !== "object" || Array.isArray(patch))
    throw new Error('"patch" must be a JSON object');
  return { key: String(key), ids: ids as ParsedLine["ids"], patch: patch as CustomerPatch };
}

export function errorRecord(error: unknown, secrets: readonly string[]): Record<string, unknown> {
  if (error instanceof CustkitError) {
    const j = error.toJSON();
    return stripUndefined({
      kind: j.kind,
      message: redactString(String(j.message), secrets),
      status: j.status,
      vendorCode: j.vendorCode,
      fieldErrors: (j.fieldErrors as unknown[]).length > 0 ? j.fieldErrors : undefined,
      requestId: j.requestId,
      retryable: j.retryable,
    });
  }
  return {
    kind: "internal",
    message: redactString(error instanceof Error ? error.message : String(error), secrets),
  };
}

/** One pair sent from this process. */
async function updateHere(customers: Customers, job: PairJob): Promise<PairOutcome> {
  try {
    const result = await customers.update(job.provider, job.id as never, job.patch as never, {
      ...(job.unsupported ? { unsupported: job.unsupported } : {}),
      ...(job.timeoutMs ? { timeoutMs: job.timeoutMs } : {}),
    });
    return result.skipped.length > 0
      ? { ok: true, requests: result.requests, skipped: result.skipped.map((k) => k.field) }
      : { ok: true, requests: result.requests };
  } catch (error) {
    return { ok: false, error: errorRecord(error, patchSecrets(job.patch)) };
  }
}

export async function runSync(opts: SyncOptions): Promise<SyncSummary> {
  if (!existsSync(opts.file)) throw new UsageError(`--file ${opts.file}: no such file`);
  const started = Date.now();
  const fetch = createHttpFetch(opts.concurrency);
  const configs = Object.fromEntries(
    Object.entries(opts.configs).map(([p, c]) => [p, { fetch, ...c }]),
  );
  const customers: Customers = createCustomers({ providers: configs as never });
  const { done, needsNewline } = await readSucceeded(opts.out);
  const out: WriteStream = createWriteStream(opts.out, { flags: "a" });
  const outError = new Promise<never>((_, reject) => out.once("error", reject));
  outError.catch(() => {});
  if (needsNewline) out.write("\n");

  const s: SyncSummary = {
    file: opts.file,
    out: opts.out,
    lines: 0,
    badLines: 0,
    attempted: 0,
    ok: 0,
    failed: 0,
    failedByKind: {},
    resumed: 0,
    interrupted: false,
    elapsedMs: 0,
    peakRssMiB: 0,
  };
  let pairsDone = 0;
  let shownProblems = 0;
  const MAX_SHOWN = 50;

  // Progress
  let multibar: cliProgress.MultiBar | undefined;
  let bar: cliProgress.SingleBar | undefined;
  let ticker: NodeJS.Timeout | undefined;
  const rate = () => {
    const secs = (Date.now() - started) / 1000;
    return secs > 0 ? Math.round(s.attempted / secs) : 0;
  };
  const sampleRss = () => {
    const mib = Math.round(process.memoryUsage.rss() / 1048576);
    if (mib > s.peakRssMiB) s.peakRssMiB = mib;
  };
  const rssTimer = setInterval(sampleRss, 250);
  rssTimer.unref();
  const payload = () => ({
    ok: s.ok,
    failed: s.failed,
    resumed: s.resumed,
    bad: s.badLines,
    rate: rate(),
  });
  if (opts.progress === "bar") {
    const total = (await countLines(opts.file)) * opts.providers.length;
    multibar = new cliProgress.MultiBar(
      {
        stream: opts.log as NodeJS.WriteStream,
        format:
          "sync {bar} {percentage}% {value}/{total} ok {ok} failed {failed} resumed {resumed} bad {bad} {rate}/s ETA {eta_formatted}",
        barsize: 20,
        hideCursor: true,
        clearOnComplete: false,
        fps: 10,
        etaBuffer: 200,
      },
      cliProgress.Presets.shades_classic,
    );
    bar = multibar.create(total, 0, payload());
    ticker = setInterval(() => bar?.update(pairsDone, payload()), 100);
  } else if (opts.progress === "lines" && opts.progressEveryMs > 0) {
    ticker = setInterval(() => {
      opts.log.write(
        `progress: ${s.lines} lines, ${pairsDone} pairs done (ok ${s.ok}, failed ${s.failed}, resumed ${s.resumed}, bad lines ${s.badLines}), ${rate()}/s\n`,
      );
    }, opts.progressEveryMs);
  }
  const problem = (text: string) => {
    if (shownProblems >= MAX_SHOWN) return;
    shownProblems++;
    const msg =
      shownProblems === MAX_SHOWN ? `${text}\n(further problems only in ${opts.out})` : text;
    if (multibar) multibar.log(`${msg}\n`);
    else opts.log.write(`${msg}\n`);
  };
  // Results are written in batches (one write per 256 lines or 100 ms): far fewer syscalls. A crash
  // loses at most the last batch, whose pairs a rerun sends again.
  let pending: string[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    out.write(pending.join(""));
    pending = [];
  };
  const flusher = setInterval(flush, 100);
  const write = (record: Record<string, unknown>) => {
    pending.push(`${JSON.stringify(record)}\n`);
    if (pending.length >= 256) flush();
  };

  // Bounded concurrency: the reader waits for a free slot before starting an update.
  let inFlight = 0;
  let wake: (() => void) | undefined;
  const release = () => {
    inFlight--;
    const w = wake;
    wake = undefined;
    w?.();
  };
  const waitBelow = async (limit: number) => {
    while (inFlight >= limit) await new Promise<void>((r) => (wake = r));
  };

  let lost: Error | undefined;
  const send = async (line: number, key: string, job: PairJob) => {
    const { provider, id } = job;
    const base = { key, provider, id: String(id), line };
    try {
      const outcome = opts.queue
        ? await opts.queue.send(pairDigest(job), job)
        : await updateHere(customers, job);
      if (outcome.ok) {
        s.ok++;
        write({ ...base, ...outcome });
      } else {
        const kind = String(outcome.error.kind);
        s.failed++;
        s.failedByKind[kind] = (s.failedByKind[kind] ?? 0) + 1;
        write({ ...base, ...outcome });
        problem(`line ${line}: ${provider} ${key}: ${kind}: ${outcome.error.message}`);
      }
    } catch (error) {
      // Only the queue throws: its jobs are gone or Redis is unreachable. Stop reading; report it.
      if (!lost) problem(`✗ ${(error as Error).message}`);
      lost ??= error as Error;
    } finally {
      s.attempted++;
      pairsDone++;
      release();
    }
  };

  const input = createReadStream(opts.file, { encoding: "utf8", highWaterMark: 64 * 1024 });
  const rl = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNo = 0;
  try {
    for await (const text of rl) {
      lineNo++;
      if (lost) break;
      if (opts.signal?.aborted) {
        s.interrupted = true;
        break;
      }
      if (text.trim() === "") {
        pairsDone += opts.providers.length;
        continue;
      }
      s.lines++;
      let parsed: ParsedLine;
      try {
        parsed = parseLine(text, lineNo);
      } catch (e) {
        s.badLines++;
        pairsDone += opts.providers.length;
        const message = (e as Error).message;
        write({ line: lineNo, ok: false, error: { kind: "bad_line", message } });
        problem(`line ${lineNo}: bad line: ${message}`);
        continue;
      }
      for (const provider of opts.providers) {
        const id = parsed.ids[provider];
        if (id === undefined) {
          pairsDone++;
          continue;
        }
        if (done.has(pairKey(parsed.key, provider))) {
          s.resumed++;
          pairsDone++;
          continue;
        }
        await waitBelow(opts.concurrency);
        if (lost) break;
        if (out.writableNeedDrain) await Promise.race([once(out, "drain"), outError]);
        inFlight++;
        void send(lineNo, parsed.key, {
          provider,
          id,
          patch: parsed.patch,
          ...(opts.unsupported ? { unsupported: opts.unsupported } : {}),
          ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
        });
      }
    }
  } finally {
    rl.close();
    await waitBelow(1);
    if (ticker) clearInterval(ticker);
    clearInterval(rssTimer);
    clearInterval(flusher);
    flush();
    sampleRss();
    if (bar && multibar) {
      bar.update(pairsDone, payload());
      // stop() draws the bars but not the problems logged since the last frame: draw them first.
      multibar.update();
      multibar.stop();
    }
    await new Promise<void>((resolve, reject) =>
      out.end((err?: Error | null) => (err ? reject(err) : resolve())),
    );
  }
  s.elapsedMs = Date.now() - started;
  if (lost) throw lost;
  return s;
}

/** 0 all succeeded; 1 any vendor/network failure; 3 only refusals or bad lines. */
export function syncExitCode(s: SyncSummary): number {
  const vendorFailures = Object.entries(s.failedByKind).some(
    ([kind, n]) => n > 0 && !REFUSED_KINDS.has(kind),
  );
  if (vendorFailures) return 1;
  if (s.failed > 0 || s.badLines > 0) return 3;
  if (s.interrupted) return 130;
  return 0;
}

export function formatSummary(s: SyncSummary): string {
  const kinds = Object.entries(s.failedByKind)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
  return [
    `sync ${s.interrupted ? "interrupted" : "done"}: ${s.lines} lines, ${s.attempted} updates attempted in ${(s.elapsedMs / 1000).toFixed(1)}s (${s.elapsedMs > 0 ? Math.round((s.attempted * 1000) / s.elapsedMs) : 0}/s)`,
    `  ok ${s.ok}, failed ${s.failed}${kinds ? ` (${kinds})` : ""}, resumed (already done) ${s.resumed}, bad lines ${s.badLines}`,
    `  results: ${s.out}`,
  ].join("\n");
}
