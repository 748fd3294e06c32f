/** Rows measured in a worker process: latency, throughput (over loopback) and mapping. */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import {
  type BenchContext,
  median,
  percentile,
  type Row,
  type RowResult,
  scaled,
} from "./harness.js";
import { startLoopback } from "./server.js";
import type { Pair } from "./worker.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const TSX = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));
const WORKER = fileURLToPath(new URL("./worker.ts", import.meta.url));

export async function runWorker<T>(
  task: string,
  args: unknown,
  extraNodeArgs: string[] = [],
): Promise<T> {
  const child = spawn(TSX, [WORKER, task, JSON.stringify(args)], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_OPTIONS: [process.env.NODE_OPTIONS ?? "", ...extraNodeArgs].join(" ").trim(),
    },
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => {
    out += d;
  });
  child.stderr.on("data", (d) => {
    err += d;
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (code !== 0) throw new Error(`worker ${task} exited ${code}: ${err.slice(-2000)}`);
  return JSON.parse(out.trim().split("\n").pop() as string) as T;
}

const LABEL: Record<string, string> = {
  client: "generated client",
  clientUnchecked: "generated client, validate: false",
  openapiFetch: "plain openapi-fetch",
  fetchTimeout: "raw fetch with a 60 s timeout signal",
  fetchTimeoutValidated: "raw fetch with a timeout signal and Align's validation",
};

export const latencyRow: Row = {
  name: "latency",
  async run(ctx: BenchContext): Promise<RowResult[]> {
    const server = await startLoopback();
    try {
      const { pairs } = await runWorker<{ pairs: Record<string, Pair> }>("latency", {
        url: server.url,
        iterations: scaled(ctx, 3000, 3),
        warmup: scaled(ctx, 2000, 1),
      });
      const row = (name: string, goal: string, limit?: number): RowResult => {
        const { variant, fetch } = pairs[name] as Pair;
        const m = median(variant);
        const raw = median(fetch);
        const ratio = m / raw;
        return {
          row: name === "facade" ? "latency" : `latency:${name}`,
          what: `median µs / update, sequential (${name === "facade" ? "facade update" : LABEL[name]} vs raw fetch, A/B)`,
          figure: m,
          unit: "µs",
          baseline: raw,
          ratio,
          goal,
          pass: limit === undefined ? undefined : ratio <= limit,
          notes: [
            `${name}: p90 ${percentile(variant, 90).toFixed(0)} µs; raw fetch p90 ${percentile(fetch, 90).toFixed(0)} µs; ${variant.length} A/B pairs; overhead ${(m - raw).toFixed(1)} µs`,
          ],
        };
      };
      const inSitu = await runWorker<{ first: number[]; again: number[]; hot: number }>(
        "validationInSitu",
        { url: server.url, iterations: scaled(ctx, 2000, 3) },
      );
      const rows = Object.keys(pairs).map((name) =>
        name === "facade" ? row(name, "≤ 1.10×", 1.1) : row(name, "—"),
      );
      rows[0]?.notes?.push(
        `Align's request validation (validateRequest), median µs: ${median(inSitu.first).toFixed(1)} as the first work after a response, ${median(inSitu.again).toFixed(1)} repeated at once, ${inSitu.hot.toFixed(1)} in a hot loop`,
      );
      return rows;
    } finally {
      await server.close();
    }
  },
};

export const throughputRow: Row = {
  name: "throughput",
  async run(ctx: BenchContext): Promise<RowResult[]> {
    const server = await startLoopback();
    try {
      const { pairs } = await runWorker<{ pairs: Record<string, Pair> }>("throughput", {
        url: server.url,
        total: scaled(ctx, 6_000, 64),
        concurrency: 64,
        rounds: Math.max(1, Math.round(6 * Math.min(1, ctx.scale * 10))),
        warmup: scaled(ctx, 2000, 64),
      });
      const row = (name: string, goal: string, limit?: number): RowResult => {
        const { variant, fetch } = pairs[name] as Pair;
        const ratio = median(variant.map((x, i) => x / (fetch[i] as number)));
        const runs = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(", ");
        return {
          row: name === "facade" ? "throughput" : `throughput:${name}`,
          what: `updates/s, 64 concurrent (${name === "facade" ? "facade update" : LABEL[name]} vs raw fetch, paired runs)`,
          figure: median(variant),
          unit: "/s",
          baseline: median(fetch),
          ratio,
          goal,
          pass: limit === undefined ? undefined : ratio >= limit,
          notes: [
            `${name}: runs ${runs(variant)}; paired raw fetch runs ${runs(fetch)}; ratio = median of the ${variant.length} pairs' ratios`,
          ],
        };
      };
      return [
        row("facade", "≥ 0.90×", 0.9),
        row("client", "—"),
        row("openapiFetch", "—"),
        row("fetchTimeout", "—"),
      ];
    } finally {
      await server.close();
    }
  },
};

export const responsesRow: Row = {
  name: "responses",
  async run(ctx: BenchContext): Promise<RowResult[]> {
    const server = await startLoopback();
    try {
      const { pair, hot } = await runWorker<{ pair: Pair; hot: number }>("responses", {
        url: server.url,
        iterations: scaled(ctx, 3000, 3),
        warmup: scaled(ctx, 1000, 1),
      });
      const m = median(pair.variant);
      const off = median(pair.fetch);
      return [
        {
          row: "responses",
          what: 'median µs / update, sequential (maia client, validateResponses: "error" vs off, A/B)',
          figure: m,
          unit: "µs",
          baseline: off,
          ratio: m / off,
          goal: "—",
          pass: undefined,
          notes: [
            `responses: overhead ${(m - off).toFixed(1)} µs per update; p90 ${percentile(pair.variant, 90).toFixed(0)} µs vs ${percentile(pair.fetch, 90).toFixed(0)} µs; the check of Maia's answer alone (validateValue, hot loop): ${hot.toFixed(2)} µs`,
          ],
        },
      ];
    } finally {
      await server.close();
    }
  },
};

export const mappingRow: Row = {
  name: "mapping",
  async run(ctx: BenchContext): Promise<RowResult[]> {
    const { perSecond } = await runWorker<{ perSecond: number[] }>("mapping", {
      n: scaled(ctx, 200_000, 100),
      rounds: Math.max(1, Math.round(7 * Math.min(1, ctx.scale * 10))),
    });
    const m = median(perSecond);
    return [
      {
        row: "mapping",
        what: "patches/s mapped by plan() (enfuce, no phone), one thread",
        figure: m,
        unit: "/s",
        goal: "≥ 200,000/s",
        pass: m >= 200_000,
        notes: [
          `mapping rounds: ${perSecond.map((x) => x.toFixed(0)).join(", ")} (median reported)`,
        ],
      },
    ];
  },
};
