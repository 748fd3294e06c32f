/**
 * `custkit worker`: takes the jobs of `sync --queue` for the providers whose credentials it holds.
 * One BullMQ worker per provider, on the queue named by that credential's fingerprint. The
 * queue's limiter (set by `sync --rate`) is shared by every worker of the queue; a 429 pauses the
 * whole queue (`worker.rateLimit`) for the time the vendor asked; a killed worker's jobs are
 * moved back by BullMQ's stalled-job check and taken by another worker (so a pair is sent at most
 * twice: `maxStalledCount` 1). Each job runs in an OpenTelemetry span (no-op without an SDK).
 */
import { type Customers, createCustomers, type ProviderName } from "@custkit/customers";
import { CustkitError, RateLimitError } from "@custkit/runtime";
import { type Span, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { type Job, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { createHttpFetch } from "../http-fetch.js";
import { patchSecrets } from "../redact.js";
import { errorRecord } from "../sync/results.js";
import { JOB_ATTEMPTS, type PairJob, type PairOutcome, queueNameFor } from "./jobs.js";
import { connectRedis, safeRedisUrl } from "./redis.js";

export interface WorkerOptions {
  redis: string;
  providers: ProviderName[];
  configs: Record<string, Record<string, unknown>>;
  concurrency: number;
  /** How long a job stays locked to a worker that stopped answering before another takes it. */
  lockMs: number;
  log: NodeJS.WritableStream;
  signal: AbortSignal;
}

/** The queue-wide pause after a 429 that did not say how long to wait. */
const DEFAULT_PAUSE_MS = 1000;

const tracer = trace.getTracer("@custkit/cli");

/** One job in its span (`custkit sync job`): the vendor call's span is its child. */
function runJob(
  customers: Customers,
  worker: Worker,
  job: Job<PairJob, PairOutcome>,
): Promise<PairOutcome> {
  return tracer.startActiveSpan(
    "custkit sync job",
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        "custkit.provider": job.data.provider,
        "custkit.operation": "update",
        "custkit.attempt": job.attemptsMade + 1,
      },
    },
    async (span) => {
      try {
        const outcome = await update(customers, worker, job, span);
        span.setAttribute("custkit.outcome", outcome.ok ? "ok" : "failed");
        if (!outcome.ok) {
          span.setAttribute("error.type", outcome.error.kind);
          span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error.kind });
        }
        return outcome;
      } finally {
        span.end();
      }
    },
  );
}

async function update(
  customers: Customers,
  worker: Worker,
  job: Job<PairJob, PairOutcome>,
  span: Span,
): Promise<PairOutcome> {
  const { provider, id, patch, unsupported, timeoutMs } = job.data;
  try {
    const result = await customers.update(provider, id, patch, {
      ...(unsupported ? { unsupported } : {}),
      ...(timeoutMs ? { timeoutMs } : {}),
    });
    return result.skipped.length > 0
      ? { ok: true, requests: result.requests, skipped: result.skipped.map((s) => s.field) }
      : { ok: true, requests: result.requests };
  } catch (error) {
    if (error instanceof RateLimitError) {
      // Every worker of this queue waits, not only this one; the job goes back to wait.
      const pauseMs = error.retryAfterMs ?? DEFAULT_PAUSE_MS;
      span.setAttributes({ "custkit.outcome": "rate_limited", "custkit.queue_paused_ms": pauseMs });
      await worker.rateLimit(pauseMs);
      throw Worker.RateLimitError();
    }
    const record = errorRecord(error, patchSecrets(patch));
    if (error instanceof CustkitError && error.retryable && job.attemptsMade + 1 < JOB_ATTEMPTS) {
      span.setAttributes({ "custkit.outcome": "retry", "error.type": record.kind });
      throw new Error(String(record.message));
    }
    return { ok: false, error: record };
  }
}

export async function runWorker(opts: WorkerOptions): Promise<void> {
  const fetch = createHttpFetch(opts.concurrency);
  const workers: Worker[] = [];
  // BullMQ leaves connections it was given open on close(): these are closed here.
  const clients: Redis[] = [];
  for (const provider of opts.providers) {
    const config = opts.configs[provider] ?? {};
    // Retries are the queue's: a 429 pauses every worker, other retryable failures back off as jobs.
    const customers = createCustomers({
      providers: { [provider]: { fetch, ...config, retries: false } },
    });
    const name = await queueNameFor(provider, config);
    const connection = connectRedis(opts.redis);
    clients.push(connection);
    const worker: Worker = new Worker<PairJob, PairOutcome>(
      name,
      (job) => runJob(customers, worker, job),
      {
        connection,
        concurrency: opts.concurrency,
        lockDuration: opts.lockMs,
        stalledInterval: opts.lockMs,
        maxStalledCount: 1,
        autorun: false,
      },
    );
    worker.on("error", (e) => opts.log.write(`worker ${provider}: ${e.message}\n`));
    workers.push(worker);
    void worker.run();
    await worker.waitUntilReady();
    opts.log.write(
      `worker ready: ${provider} on ${safeRedisUrl(opts.redis)} (queue ${name}), concurrency ${opts.concurrency}\n`,
    );
  }
  if (!opts.signal.aborted)
    await new Promise<void>((resolve) => opts.signal.addEventListener("abort", () => resolve()));
  opts.log.write("worker stopping: finishing the jobs in progress\n");
  await Promise.all(workers.map((w) => w.close()));
  for (const client of clients) client.disconnect();
}
