/**
 * `custkit sync --queue` with 1 and 3 worker processes against a loopback vendor that allows N
 * updates a second (429 beyond) and answers after ≈100 ms: the rate the vendor accepted (its own
 * clock), as a share of N, and Redis round trips per update (MONITOR: every command or script
 * call the coordinator and workers sent, idle polling included).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { startRateMock } from "../../../packages/cli/test/rate-mock.js";
import { startRedis } from "../../../packages/runtime/test/redis-server.js";
import { type BenchContext, type Row, type RowResult, scaled } from "./harness.js";

const CLI = fileURLToPath(new URL("../../../packages/cli/dist/cli.js", import.meta.url));
const PER_SECOND = 100;
const LATENCY_MS = 100;
/** Per worker: one worker alone cannot reach N (8 in flight × 10/s each = 80/s); three can. */
const WORKER_CONCURRENCY = 8;

function startWorker(redis: string, env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [CLI, "worker", "--redis", redis, "--providers", "align", "-c", String(WORKER_CONCURRENCY)],
    { env, stdio: ["ignore", "ignore", "pipe"] },
  );
  return new Promise((resolve, reject) => {
    let err = "";
    child.stderr?.on("data", (d: Buffer) => {
      err += d;
      if (err.includes("worker ready")) resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`worker exited ${code}: ${err}`)));
  });
}

function runSync(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => {
    out += d;
  });
  child.stderr.on("data", (d) => {
    err += d;
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, out, err })));
}

/**
 * Counts what clients send (round trips: one per command or script call; a pipeline's commands
 * each count) through MONITOR, apart from the commands scripts run inside Redis.
 */
async function countRoundTrips(url: string) {
  const client = new Redis(url);
  const monitor = await client.monitor();
  const counts = { roundTrips: 0, inScripts: 0 };
  monitor.on("monitor", (_time: string, _args: string[], source: string) => {
    if (source === "lua") counts.inScripts++;
    else counts.roundTrips++;
  });
  return {
    counts,
    stop: () => {
      monitor.disconnect();
      client.disconnect();
    },
  };
}

async function measure(workers: number, lines: number, countTrips = false) {
  const redis = await startRedis();
  const vendor = await startRateMock({
    perSecond: PER_SECOND,
    burst: PER_SECOND / 2,
    latencyMs: LATENCY_MS,
  });
  const dir = await mkdtemp(join(tmpdir(), "custkit-bench-queue-"));
  const children: ChildProcess[] = [];
  try {
    const env = {
      PATH: process.env.PATH ?? "",
      CUSTKIT_ALIGN_API_KEY: "bench-key-queue",
      CUSTKIT_ALIGN_BASE_URL: vendor.url,
    };
    for (let i = 0; i < workers; i++) children.push(await startWorker(redis.url, env));
    const input = join(dir, "patches.ndjson");
    const rows = Array.from({ length: lines }, (_, i) =>
      JSON.stringify({
        ids: { align: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}` },
        patch: { kind: "individual", occupation: `Pilot ${i}` },
      }),
    );
    writeFileSync(input, `${rows.join("\n")}\n`);
    // MONITOR costs Redis time: only in the run that counts round trips, not in the timed ones.
    const monitor = countTrips ? await countRoundTrips(redis.url) : undefined;
    const r = await runSync(
      [
        "sync",
        "-f",
        input,
        "-o",
        join(dir, "r.ndjson"),
        "--providers",
        "align",
        "--queue",
        redis.url,
        "--rate",
        `align=${PER_SECOND}`,
        "--progress",
        "none",
        "--json",
      ],
      env,
    );
    if (r.code !== 0) throw new Error(`sync --queue exited ${r.code}: ${r.err.slice(-1500)}`);
    monitor?.stop();
    const summary = JSON.parse(r.out.trim().split("\n").pop() as string) as {
      ok: number;
      elapsedMs: number;
    };
    return {
      rate: vendor.rate(),
      refused: vendor.refused(),
      ok: summary.ok,
      elapsedMs: summary.elapsedMs,
      roundTrips: (monitor?.counts.roundTrips ?? 0) / summary.ok,
      inScripts: (monitor?.counts.inScripts ?? 0) / summary.ok,
    };
  } finally {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null) return resolve();
            c.once("exit", () => resolve());
            c.kill("SIGTERM");
          }),
      ),
    );
    await vendor.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const queueRow: Row = {
  name: "queue",
  async run(ctx: BenchContext): Promise<RowResult[]> {
    const lines = scaled(ctx, 1000, 100);
    const one = await measure(1, lines);
    const three = await measure(3, lines);
    const trips = await measure(3, Math.ceil(lines / 2), true);
    const share = (m: { rate: number }) => m.rate / PER_SECOND;
    const note = (n: number, m: Awaited<ReturnType<typeof measure>>) =>
      `queue, ${n} worker(s) × ${WORKER_CONCURRENCY}: ${m.ok} updates in ${(m.elapsedMs / 1000).toFixed(1)} s, vendor accepted ${m.rate.toFixed(1)}/s of ${PER_SECOND}/s allowed, ${m.refused} answered 429`;
    return [
      {
        row: "queue-1w",
        what: `share of the vendor's ${PER_SECOND}/s, sync --queue of ${lines} lines, 1 worker process (${LATENCY_MS} ms answers)`,
        figure: share(one) * 100,
        unit: "%",
        goal: "below N: one worker's concurrency is the bound",
        pass: undefined,
        notes: [note(1, one)],
      },
      {
        row: "queue-3w",
        what: `share of the vendor's ${PER_SECOND}/s, sync --queue of ${lines} lines, 3 worker processes`,
        figure: share(three) * 100,
        unit: "%",
        baseline: share(one) * 100,
        ratio: share(one) > 0 ? share(three) / share(one) : undefined,
        goal: "≥ 95% and ≤ 105%",
        pass: share(three) >= 0.95 && share(three) <= 1.05,
        notes: [note(3, three)],
      },
      {
        row: "queue-redis",
        what: "Redis round trips per update (3 workers; coordinator + workers, MONITOR)",
        figure: trips.roundTrips,
        unit: "trips",
        goal: "reported",
        pass: undefined,
        notes: [
          `queue, Redis per update (3 workers, ${trips.ok} updates, a separate run under MONITOR): ${trips.roundTrips.toFixed(1)} round trips, ${trips.inScripts.toFixed(1)} more commands run inside BullMQ's scripts`,
        ],
      },
    ];
  },
};
