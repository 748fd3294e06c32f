/**
 * `custkit sync` against a vendor that enforces a rate limit: a loopback mock allowing N
 * requests per second (a token bucket refilled at N/s holding one second's worth, as Stripe's),
 * answering 429 with Retry-After (and X-RateLimit-Remaining: 0 / X-RateLimit-Reset) beyond it,
 * and every request after 20–50 ms. The same input is synced with `--rate align=N` and without a
 * limiter (the adaptive pause alone, time-boxed: it is far slower); the figures are the rate of
 * accepted updates against N and the share of requests answered 429.
 */
import { spawn } from "node:child_process";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BenchContext, type Row, type RowResult, scaled } from "./harness.js";

const CLI = fileURLToPath(new URL("../../../packages/cli/dist/cli.js", import.meta.url));
const N = 500;

interface Tally {
  accepted: number;
  limited: number;
  firstAt: number;
  lastAt: number;
}

async function limitedVendor(perSecond: number) {
  const capacity = perSecond;
  let tokens = capacity;
  let refilledAt = performance.now();
  const tally: Tally = { accepted: 0, limited: 0, firstAt: 0, lastAt: 0 };
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const now = performance.now();
      tokens = Math.min(capacity, tokens + ((now - refilledAt) / 1000) * perSecond);
      refilledAt = now;
      const allowed = tokens >= 1;
      if (allowed) tokens -= 1;
      setTimeout(
        () => {
          if (allowed) {
            tally.accepted++;
            if (tally.firstAt === 0) tally.firstAt = performance.now();
            tally.lastAt = performance.now();
            res.writeHead(200, { "content-type": "application/json" });
            res.end("{}");
          } else {
            tally.limited++;
            const wait = Math.ceil((1 - tokens) / perSecond);
            res.writeHead(429, {
              "content-type": "application/json",
              "retry-after": String(Math.max(1, wait)),
              "x-ratelimit-remaining": "0",
              "x-ratelimit-reset": String(Math.max(1, wait)),
            });
            res.end('{"message":"rate limited"}');
          }
        },
        20 + Math.random() * 30,
      );
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tally,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** One sync run; stopped by SIGTERM after `timeBoxMs` when given (it then exits 130). */
function sync(args: string[], env: NodeJS.ProcessEnv, timeBoxMs?: number) {
  return new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve) => {
    const child = spawn(process.execPath, [CLI, "sync", ...args], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = timeBoxMs ? setTimeout(() => child.kill("SIGTERM"), timeBoxMs) : undefined;
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

async function measure(
  ctx: BenchContext,
  input: string,
  out: string,
  limited: boolean,
  timeBoxMs?: number,
) {
  const vendor = await limitedVendor(N);
  try {
    const env = {
      ...process.env,
      CUSTKIT_ALIGN_API_KEY: "bench-key",
      CUSTKIT_ALIGN_BASE_URL: vendor.url,
    };
    const args = ["-f", input, "-o", out, "--providers", "align", "-c", "64", "--progress", "none"];
    if (limited) args.push("--rate", `align=${N}`);
    const r = await sync([...args, "--json"], env, timeBoxMs);
    // A time box that ends the run before the CLI has set up its signal handling (a slow start on
    // a loaded machine) kills it by the signal itself: the run still ended where it was boxed.
    const boxedEarly = timeBoxMs !== undefined && r.signal === "SIGTERM";
    if (r.code !== 0 && r.code !== 1 && r.code !== 130 && !boxedEarly)
      throw new Error(`custkit sync exited ${r.code ?? r.signal}: ${r.stderr.slice(-800)}`);
    const { tally } = vendor;
    const seconds = (tally.lastAt - tally.firstAt) / 1000;
    const rate = seconds > 0 ? tally.accepted / seconds : 0;
    const requests = tally.accepted + tally.limited;
    ctx.log(
      `  ${limited ? "with" : "without"} --rate: ${tally.accepted} accepted, ${tally.limited} × 429`,
    );
    return {
      rate,
      share429: requests > 0 ? tally.limited / requests : 0,
      accepted: tally.accepted,
      limited: tally.limited,
      seconds,
    };
  } finally {
    await vendor.close();
  }
}

export const rateRow: Row = {
  name: "rate",
  async run(ctx: BenchContext): Promise<RowResult[]> {
    if (!existsSync(CLI))
      throw new Error("packages/cli/dist/cli.js is missing: build the CLI first (pnpm build)");
    const pairs = scaled(ctx, 20_000, 200);
    const dir = await mkdtemp(join(tmpdir(), "custkit-bench-rate-"));
    try {
      const input = join(dir, "patches.ndjson");
      const lines: string[] = [];
      for (let i = 0; i < pairs; i++)
        lines.push(
          JSON.stringify({
            key: `c${i}`,
            ids: { align: "3fa85f64-5717-4562-b3fc-2c963f66afa6" },
            patch: { occupation: `Pilot ${i}` },
          }),
        );
      writeFileSync(input, `${lines.join("\n")}\n`);
      const withLimit = await measure(ctx, input, join(dir, "limited.ndjson"), true);
      // Without a limiter the run is far slower: time-boxed to what the limited run took.
      const without = await measure(
        ctx,
        input,
        join(dir, "unlimited.ndjson"),
        false,
        Math.max(1000, withLimit.seconds * 1000),
      );
      const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
      return [
        {
          row: "rate",
          what: `accepted updates/s, sync of ${pairs.toLocaleString("en-US")} pairs, --rate align=${N}, vendor allows ${N}/s (vs no limiter)`,
          figure: withLimit.rate,
          unit: "/s",
          baseline: without.rate,
          ratio: without.rate > 0 ? withLimit.rate / without.rate : undefined,
          goal: `≥ 95 % of ${N}/s`,
          pass: withLimit.rate >= 0.95 * N,
          notes: [
            `rate: with --rate ${withLimit.accepted} accepted in ${withLimit.seconds.toFixed(1)} s = ${((withLimit.rate / N) * 100).toFixed(1)} % of ${N}/s; without a limiter ${without.accepted} accepted in ${without.seconds.toFixed(1)} s (time-boxed) = ${((without.rate / N) * 100).toFixed(1)} % of ${N}/s`,
          ],
        },
        {
          row: "rate-429",
          what: "share of requests answered 429, with --rate (vs no limiter)",
          figure: withLimit.share429 * 100,
          unit: "%",
          baseline: without.share429 * 100,
          goal: "≤ 1 %",
          pass: withLimit.share429 <= 0.01,
          notes: [
            `rate-429: with --rate ${withLimit.limited} of ${withLimit.accepted + withLimit.limited} (${pct(withLimit.share429)}); without ${without.limited} of ${without.accepted + without.limited} (${pct(without.share429)})`,
          ],
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
