/**
 * The coordinator side of `sync --queue`: instead of calling the vendor, each pair becomes a job
 * (added in batches, one round trip per batch), and its outcome comes back through the queue's
 * event stream (BullMQ QueueEvents). The job id is the pair's content digest, so a pair already
 * queued or done is not added twice: its existing job is followed, or, when it finished without
 * success, sent again.
 *
 * Redis is the only copy of a queued job. When jobs vanish (Redis restarted without
 * persistence) or Redis stays unreachable, the run stops loudly (QueueLostError): what was
 * recorded stays recorded, and a rerun sends the rest.
 */
import type { ProviderName } from "@custkit/customers";
import type { RateLimitOptions } from "@custkit/runtime";
import { Job, Queue, QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import {
  JOB_ATTEMPTS,
  type PairJob,
  type PairOutcome,
  queueLimiter,
  queueNameFor,
} from "./jobs.js";
import { connectRedis, safeRedisUrl } from "./redis.js";

export class QueueLostError extends Error {
  override readonly name = "QueueLostError";
}

export interface QueueSenderOptions {
  redis: string;
  providers: ProviderName[];
  configs: Record<string, Record<string, unknown>>;
  rates: Partial<Record<ProviderName, RateLimitOptions>>;
  /** No event for this long: check that the pending jobs still exist. */
  sweepMs?: number;
  /** Redis unreachable for this long: stop. */
  unreachableMs?: number;
}

interface Waiter {
  provider: ProviderName;
  data: PairJob;
  settle: Array<{ resolve: (o: PairOutcome) => void; reject: (e: Error) => void }>;
}

interface Lane {
  queue: Queue<PairJob, PairOutcome>;
  events: QueueEvents;
  batch: Array<{ name: string; data: PairJob; opts: { jobId: string } }>;
}

const BATCH = 200;
/** Finished jobs are kept this long, so a pair enqueued again within it is not run again. */
const KEEP_SECONDS = 7 * 24 * 3600;

export interface QueueSender {
  send(digest: string, job: PairJob): Promise<PairOutcome>;
  close(): Promise<void>;
}

async function lastEventId(client: Redis, key: string): Promise<string> {
  const last = await client.xrevrange(key, "+", "-", "COUNT", 1);
  return last[0]?.[0] ?? "0-0";
}

export async function createQueueSender(opts: QueueSenderOptions): Promise<QueueSender> {
  const connection = connectRedis(opts.redis);
  // BullMQ leaves connections it was given open on close(): these are closed here.
  const clients = [connection];
  const pending = new Map<string, Waiter>();
  const lanes = new Map<ProviderName, Lane>();
  let lastEventAt = Date.now();
  let unreachableSince: number | undefined;
  let broken: QueueLostError | undefined;

  const fail = (error: QueueLostError) => {
    broken ??= error;
    for (const w of pending.values()) for (const s of w.settle) s.reject(error);
    pending.clear();
  };
  const settle = (jobId: string, outcome: PairOutcome) => {
    lastEventAt = Date.now();
    const w = pending.get(jobId);
    if (!w) return;
    pending.delete(jobId);
    for (const s of w.settle) s.resolve(outcome);
  };

  connection.on("ready", () => {
    unreachableSince = undefined;
  });
  connection.on("error", () => {
    unreachableSince ??= Date.now();
  });

  for (const provider of opts.providers) {
    const name = await queueNameFor(provider, opts.configs[provider] ?? {});
    const queue = new Queue<PairJob, PairOutcome>(name, { connection });
    await queue.waitUntilReady();
    const rate = opts.rates[provider];
    if (rate) {
      const { max, duration } = queueLimiter(rate);
      await queue.setGlobalRateLimit(max, duration);
    } else await queue.removeGlobalRateLimit();
    // From the stream's current end: no event between here and the first read is missed.
    const eventsConnection = connectRedis(opts.redis);
    clients.push(eventsConnection);
    const events = new QueueEvents(name, {
      connection: eventsConnection,
      lastEventId: await lastEventId(connection, queue.keys.events as string),
    });
    events.on("completed", ({ jobId, returnvalue }) =>
      settle(jobId, returnvalue as unknown as PairOutcome),
    );
    events.on("failed", ({ jobId, failedReason }) =>
      settle(jobId, { ok: false, error: { kind: "job_failed", message: failedReason } }),
    );
    events.on("duplicated", ({ jobId }) => {
      adopt(queue, jobId).catch((e) => fail(lost(e)));
    });
    await events.waitUntilReady();
    lanes.set(provider, { queue, events, batch: [] });
  }

  /** A pair whose job already exists: take its outcome, or run it again if it did not succeed. */
  async function adopt(queue: Queue<PairJob, PairOutcome>, jobId: string) {
    const job = await Job.fromId<PairJob, PairOutcome>(queue, jobId);
    const state = job ? await job.getState() : "unknown";
    if (!job || state === "unknown") return; // removed meanwhile: the sweep finds it
    if (state === "completed" && job.returnvalue?.ok === true) settle(jobId, job.returnvalue);
    else if (state === "completed") {
      await job.remove();
      const w = pending.get(jobId);
      if (w) await queue.add("update", w.data, jobOptions(jobId));
    } else if (state === "failed") await job.retry("failed");
    // waiting, active, delayed: an earlier run's job is still on its way; its event will come.
  }

  const flush = async (lane: Lane) => {
    const batch = lane.batch;
    if (batch.length === 0) return;
    lane.batch = [];
    await lane.queue.addBulk(batch.map((b) => ({ ...b, opts: jobOptions(b.opts.jobId) })));
  };
  let flushTimer: NodeJS.Immediate | undefined;
  const scheduleFlush = () => {
    flushTimer ??= setImmediate(() => {
      flushTimer = undefined;
      for (const lane of lanes.values()) flush(lane).catch((e) => fail(lost(e)));
    });
  };
  const lost = (e: unknown) =>
    new QueueLostError(
      `the queue at ${safeRedisUrl(opts.redis)} failed (${e instanceof Error ? e.message : String(e)})`,
    );

  // No news for a while: are the jobs still there? Redis restarted without persistence loses them.
  const sweepMs = opts.sweepMs ?? 5000;
  const unreachableMs = opts.unreachableMs ?? 30_000;
  const sweep = async () => {
    if (broken || pending.size === 0) return;
    if (unreachableSince !== undefined && Date.now() - unreachableSince > unreachableMs) {
      fail(
        new QueueLostError(
          `Redis at ${safeRedisUrl(opts.redis)} unreachable for ${Math.round(unreachableMs / 1000)} s`,
        ),
      );
      return;
    }
    if (Date.now() - lastEventAt < sweepMs || connection.status !== "ready") return;
    lastEventAt = Date.now();
    const ids = [...pending.entries()];
    const pipeline = connection.pipeline();
    for (const [jobId, w] of ids) {
      const key = lanes.get(w.provider)?.queue.toKey(jobId) ?? "";
      pipeline.hmget(key, "data", "finishedOn", "returnvalue", "failedReason");
    }
    const rows = (await pipeline.exec()) ?? [];
    let missing = 0;
    ids.forEach(([jobId], i) => {
      const [data, finishedOn, returnvalue, failedReason] = (rows[i]?.[1] ?? []) as (
        | string
        | null
      )[];
      if (rows[i]?.[0]) return; // this read failed: no news either way
      if (data === null || data === undefined) missing++;
      // Finished, but its event was not seen (trimmed from the stream): take the outcome here.
      else if (finishedOn && returnvalue) settle(jobId, JSON.parse(returnvalue) as PairOutcome);
      else if (finishedOn && failedReason)
        settle(jobId, { ok: false, error: { kind: "job_failed", message: failedReason } });
    });
    if (missing > 0)
      fail(
        new QueueLostError(
          `${missing} queued update(s) vanished from Redis at ${safeRedisUrl(opts.redis)} (restarted without persistence?); what finished is recorded, rerun the same command to send the rest`,
        ),
      );
  };
  // A sweep that fails (Redis went away meanwhile) is not fatal: the unreachable clock is.
  const sweeper = setInterval(() => void sweep().catch(() => {}), Math.min(1000, sweepMs));

  return {
    send(digest, data) {
      if (broken) return Promise.reject(broken);
      const lane = lanes.get(data.provider);
      if (!lane) return Promise.reject(new Error(`no queue for ${data.provider}`));
      return new Promise<PairOutcome>((resolve, reject) => {
        const waiting = pending.get(digest);
        if (waiting) {
          waiting.settle.push({ resolve, reject });
          return;
        }
        pending.set(digest, { provider: data.provider, data, settle: [{ resolve, reject }] });
        lane.batch.push({ name: "update", data, opts: { jobId: digest } });
        if (lane.batch.length >= BATCH) flush(lane).catch((e) => fail(lost(e)));
        else scheduleFlush();
      });
    },
    async close() {
      clearInterval(sweeper);
      if (flushTimer) clearImmediate(flushTimer);
      for (const lane of lanes.values()) {
        await lane.events.close();
        await lane.queue.close();
      }
      for (const client of clients) client.disconnect();
    },
  };
}

function jobOptions(jobId: string) {
  return {
    jobId,
    attempts: JOB_ATTEMPTS,
    backoff: { type: "exponential", delay: 500 },
    removeOnComplete: { age: KEEP_SECONDS },
    removeOnFail: { age: KEEP_SECONDS },
  };
}
