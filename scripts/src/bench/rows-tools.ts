/** Rows that time tools as a user runs them: generate, type-check, `custkit sync`. */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cp, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BenchContext, type Row, type RowResult, scaled } from "./harness.js";
import { startLoopback } from "./server.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BIN = (name: string) => join(ROOT, "node_modules/.bin", name);
const PROVIDERS = ["enfuce", "nuweb", "loanpro", "align", "maia"] as const;

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  pid: number | undefined;
}

function run(
  cmd: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; onSpawn?: (pid: number) => void } = {},
): Promise<Ran> {
  const t = performance.now();
  const child = spawn(cmd, args, {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => {
    stdout += d;
  });
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  return new Promise((resolve) =>
    child.on("close", (code) =>
      resolve({ code, stdout, stderr, ms: performance.now() - t, pid: child.pid }),
    ),
  );
}

function failed(what: string, r: Ran): Error {
  return new Error(`${what} exited ${r.code}: ${(r.stderr || r.stdout).slice(-1500)}`);
}

/** The root package.json's `generate` script with `args`, run as pnpm runs it (shell, .bin on PATH). */
function runGenerateScript(args: string[]): Promise<Ran> {
  const script = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts.generate;
  const quoted = args.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ");
  const PATH = `${join(ROOT, "node_modules/.bin")}:${process.env.PATH ?? ""}`;
  return run("sh", ["-c", `${script} ${quoted}`], { env: { ...process.env, PATH } });
}

/**
 * Cold: `pnpm generate`'s script (the generator's bundle brought up to date by turbo, then run)
 * for all five specs into a fresh copy of specs/ (nothing to reuse); pnpm's own start-up is not
 * included. Whether turbo rebuilt the bundle is read from its summary, and a bundle build into a
 * scratch folder is timed on its own. No-op rerun: `turbo run generate` twice in the tree; the
 * second is timed (a cache hit when the pipeline caches generation).
 */
export const generateRow: Row = {
  name: "generate",
  async run(ctx: BenchContext): Promise<RowResult[]> {
    const dir = await mkdtemp(join(tmpdir(), "custkit-bench-generate-"));
    try {
      await cp(join(ROOT, "specs"), join(dir, "specs"), { recursive: true });
      for (const p of PROVIDERS) {
        mkdirSync(join(dir, "packages", p), { recursive: true });
        const manifest = join(ROOT, "packages", p, "package.json");
        if (existsSync(manifest))
          writeFileSync(join(dir, "packages", p, "package.json"), readFileSync(manifest));
      }
      await cp(
        join(ROOT, "packages/runtime/package.json"),
        join(dir, "packages/runtime/package.json"),
      );
      const cold = await runGenerateScript(["--root", dir]);
      if (cold.code !== 0) throw failed("generate (cold)", cold);
      const internal = /\((\d+) ms\)/.exec(cold.stdout)?.[1];
      const bundle = /Cached:\s+(\d+) cached, (\d+) total/.exec(cold.stdout);
      const bundleCached = bundle ? bundle[1] === bundle[2] : undefined;
      const bundleState = bundleCached === undefined ? "?" : bundleCached ? "cached" : "rebuilt";
      const build = await run(process.execPath, [
        join(ROOT, "scripts/bundle-generator.mjs"),
        join(dir, "bundle"),
      ]);
      if (build.code !== 0) throw failed("generator bundle build", build);
      const rows: RowResult[] = [
        {
          row: "generate-cold",
          what: `s, \`pnpm generate\`'s script, all five specs into an empty tree (wall; generator bundle ${bundleState})`,
          figure: cold.ms / 1000,
          unit: "s",
          goal: "≤ 3 s",
          pass: cold.ms <= 3000,
          notes: [
            `generate cold: ${(cold.ms / 1000).toFixed(2)} s wall, generator's own timing ${internal ?? "?"} ms (the rest is turbo's check of the bundle, Node start-up and module loading); generator bundle ${bundleState} by turbo; a bundle build alone takes ${(build.ms / 1000).toFixed(2)} s`,
          ],
        },
      ];
      // No-op rerun. The generator itself, again over the same tree (it has no skip of its own):
      const again = await runGenerateScript(["--root", dir]);
      if (again.code !== 0) throw failed("generate (rerun)", again);
      // turbo: asked first, without running anything, whether every generate task is a cache
      // hit; only then is `turbo run generate` run (it replays the cache) and timed. On a miss it
      // is not run, so the bench never regenerates the working tree under other people's edits.
      let turbo: { ms?: number; hits: number; total: number; misses: string[] } | undefined;
      if (ctx.scale >= 1) {
        const dry = await run(BIN("turbo"), ["run", "generate", "--dry=json"]);
        if (dry.code === 0) {
          const plan = JSON.parse(dry.stdout.slice(dry.stdout.indexOf("{"))) as {
            tasks: { taskId: string; command: string; cache: { status: string } }[];
          };
          const tasks = plan.tasks.filter((t) => t.command !== "<NONEXISTENT>");
          const misses = tasks.filter((t) => t.cache.status !== "HIT").map((t) => t.taskId);
          turbo = { hits: tasks.length - misses.length, total: tasks.length, misses };
          if (misses.length === 0) {
            const replay = await run(BIN("turbo"), ["run", "generate", "--output-logs=none"]);
            if (replay.code === 0) turbo.ms = replay.ms;
          }
        } else {
          ctx.log(`turbo --dry failed: ${(dry.stderr || dry.stdout).slice(-300)}`);
        }
      }
      const figure = turbo?.ms ?? again.ms;
      rows.push({
        row: "generate-noop",
        what:
          turbo?.ms !== undefined
            ? `s, \`turbo run generate\` with nothing changed (${turbo.hits}/${turbo.total} cache hits)`
            : `s, generate rerun with nothing changed (generator; turbo: ${turbo ? `${turbo.hits}/${turbo.total} tasks cached` : "not asked"})`,
        figure: figure / 1000,
        unit: "s",
        goal: "≤ 1 s (cache hit)",
        pass: turbo?.ms !== undefined && figure <= 1000,
        notes: turbo?.misses.length
          ? [
              `generate no-op: turbo would not hit its cache for ${turbo.misses.join(", ")}; generator rerun ${(again.ms / 1000).toFixed(2)} s (it rewrites nothing but re-validates and re-emits everything)`,
            ]
          : [],
      });
      return rows;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

const CONSUMER = `import { createCustomers, type CustomerPatch } from "@custkit/customers";

const customers = createCustomers({
  providers: {
    enfuce: { token: "t", auditUser: "me", environment: "test" },
    nuweb: { token: "t", companyId: "1" },
    loanpro: { token: "t", instanceId: "1" },
    align: { apiKey: "k" },
    maia: { token: "t", contentType: "application/xml" },
  },
});

export async function run(patch: CustomerPatch) {
  const a = await customers.update("align", "3fa85f64-5717-4562-b3fc-2c963f66afa6", {
    kind: "individual",
    name: { given: "Jane", family: "Doe" },
  });
  const b = await customers.update("nuweb", 1, { email: "jane@example.com", name: { full: "Jane Doe" } });
  const c = await customers.update("enfuce", "1", { phone: "+358401234567", nationality: "FI" }, { passthrough: { locale: "fi_FI" } });
  const d = await customers.update("loanpro", 5, { gender: "female" });
  const e = await customers.update("maia", "9", { gender: "female", address: { city: "Lisbon" } });
  const p = customers.plan("maia", "9", { birthDate: "1990-01-31" });
  const all = await customers.updateEverywhere({ align: "x", nuweb: 1, enfuce: "1", loanpro: 5, maia: "9" }, patch);
  return [a.written, b.customer, c.warnings, d.requests, e.skipped, p.requests, all.ok];
}
`;

/** Type-check a consumer of the facade with all five providers (against the built .d.ts when present). */
export const typecheckRow: Row = {
  name: "typecheck",
  async run(): Promise<RowResult[]> {
    const dir = join(ROOT, "scripts/src/bench/.tmp-typecheck");
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    try {
      const built = existsSync(join(ROOT, "packages/customers/dist/index.d.ts"));
      const compilerOptions: Record<string, unknown> = { types: ["node"], noEmit: true };
      if (!built) {
        compilerOptions.paths = Object.fromEntries([
          ["@custkit/customers", ["../../../../packages/customers/src/index.ts"]],
          ...[...PROVIDERS, "runtime"].map((p) => [
            `@custkit/${p}`,
            [`../../../../packages/${p}/src/index.ts`],
          ]),
        ]);
      }
      writeFileSync(
        join(dir, "tsconfig.json"),
        JSON.stringify(
          { extends: "../../../../tsconfig.base.json", compilerOptions, include: ["consumer.ts"] },
          null,
          2,
        ),
      );
      writeFileSync(join(dir, "consumer.ts"), CONSUMER);
      const r = await run(BIN("tsc"), ["-p", join(dir, "tsconfig.json"), "--extendedDiagnostics"]);
      if (r.code !== 0) throw failed("tsc", r);
      const stat = (name: string) => new RegExp(`${name}:\\s+([\\d.]+)`).exec(r.stdout)?.[1];
      return [
        {
          row: "typecheck",
          what: `s, tsc --noEmit of a consumer using all five providers (${built ? "built .d.ts" : "package sources"})`,
          figure: r.ms / 1000,
          unit: "s",
          goal: "≤ 3 s",
          pass: r.ms <= 3000,
          notes: [
            `typecheck: check ${stat("Check time")} s, total ${stat("Total time")} s, ${stat("Instantiations")} instantiations, ${stat("Memory used")} memory; wall includes tsc start-up`,
          ],
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

function vmRss(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** `custkit sync` of N lines to align and maia against the loopback server; RSS sampled every 100 ms. */
export const syncRow: Row = {
  name: "sync",
  async run(ctx: BenchContext): Promise<RowResult[]> {
    const cli = join(ROOT, "packages/cli/dist/cli.js");
    if (!existsSync(cli))
      throw new Error("packages/cli/dist/cli.js is missing: build the CLI first (pnpm build)");
    const lines = scaled(ctx, 100_000, 200);
    const early = Math.round(lines / 10);
    const dir = await mkdtemp(join(tmpdir(), "custkit-bench-sync-"));
    const server = await startLoopback();
    try {
      const input = join(dir, "patches.ndjson");
      const out = join(dir, "results.ndjson");
      const chunks: string[] = [];
      for (let i = 0; i < lines; i++) {
        chunks.push(
          JSON.stringify({
            key: `c${i}`,
            ids: { align: "3fa85f64-5717-4562-b3fc-2c963f66afa6", maia: String(i + 1) },
            patch: { birthDate: `19${50 + (i % 50)}-01-${10 + (i % 19)}` },
          }),
        );
      }
      writeFileSync(input, `${chunks.join("\n")}\n`);
      const env = {
        ...process.env,
        CUSTKIT_ALIGN_API_KEY: "bench-key",
        CUSTKIT_ALIGN_BASE_URL: server.url,
        CUSTKIT_MAIA_TOKEN: "bench-token",
        CUSTKIT_MAIA_BASE_URL: server.url,
      };
      const samples: { rss: number; bytes: number }[] = [];
      let timer: NodeJS.Timeout | undefined;
      const r = await run(
        process.execPath,
        [
          cli,
          "sync",
          "-f",
          input,
          "-o",
          out,
          "--providers",
          "align,maia",
          "--progress",
          "none",
          "--json",
        ],
        {
          env,
          onSpawn: (pid) => {
            timer = setInterval(() => {
              const rss = vmRss(pid);
              if (rss === undefined) return;
              let bytes = 0;
              try {
                bytes = statSync(out).size;
              } catch {}
              samples.push({ rss, bytes });
            }, 100);
          },
        },
      );
      clearInterval(timer);
      if (r.code !== 0) throw failed("custkit sync", r);
      const summary = JSON.parse(r.stdout.trim().split("\n").pop() as string) as {
        ok: number;
        failed: number;
        attempted: number;
        elapsedMs: number;
        peakRssMiB: number;
      };
      const finalBytes = statSync(out).size;
      const upTo = (lineCount: number) =>
        Math.max(
          0,
          ...samples.filter((s) => (s.bytes / finalBytes) * lines <= lineCount).map((s) => s.rss),
        );
      const rssEarly = upTo(early);
      const peak = Math.max(0, ...samples.map((s) => s.rss));
      const perSecond = summary.attempted / (summary.elapsedMs / 1000);
      const wallPerSecond = summary.attempted / (r.ms / 1000);
      const flat = peak <= Math.max(rssEarly * 1.25, rssEarly + 25);
      return [
        {
          row: "sync",
          what: `updates/s, custkit sync of ${lines.toLocaleString("en-US")} lines × 2 providers (${summary.ok} ok, ${summary.failed} failed)`,
          figure: perSecond,
          unit: "/s",
          goal: "≥ 2,000/s",
          pass: perSecond >= 2000 && summary.failed === 0,
          notes: [
            `sync: ${summary.attempted} updates in ${(summary.elapsedMs / 1000).toFixed(1)} s (CLI's own timing), ${wallPerSecond.toFixed(0)}/s by process wall time incl. start-up`,
          ],
        },
        {
          row: "sync-rss",
          what: `MiB peak RSS (sampled) at ${lines.toLocaleString("en-US")} lines vs at ${early.toLocaleString("en-US")} lines`,
          figure: peak,
          unit: "MiB",
          baseline: rssEarly,
          ratio: rssEarly > 0 ? peak / rssEarly : undefined,
          goal: "≤ 200 MiB, flat",
          pass: peak <= 200 && flat,
          notes: [
            `sync RSS: ${samples.length} samples; CLI-reported peak ${summary.peakRssMiB} MiB; flat = final peak ≤ max(1.25 × early, early + 25 MiB)`,
          ],
        },
      ];
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
