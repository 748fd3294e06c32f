/**
 * The benchmark harness: rows, statistics, the table. Benchmarks, not tests: nothing here fails
 * on a timing; each row reports its figure, the baseline and the ratio, and whether the goal of
 * issue 7 is met.
 */
import { cpus, loadavg } from "node:os";

export interface RowResult {
  /** Row name (stable; `--only` takes it). */
  row: string;
  /** What was measured, e.g. "median µs / update". */
  what: string;
  figure: number;
  unit: string;
  baseline?: number;
  /** figure / baseline, or the inverse when `higherIsBetter` says so. */
  ratio?: number;
  goal: string;
  pass: boolean | undefined;
  /** Extra facts shown under the table. */
  notes?: string[];
}

export interface BenchContext {
  /** Scale of iteration counts: 1 for a real run, tiny for the smoke test. */
  scale: number;
  log: (message: string) => void;
}

export interface Row {
  name: string;
  run(ctx: BenchContext): Promise<RowResult[]>;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
}

/** At least `min`, scaled: the smoke test runs every row with tiny counts. */
export function scaled(ctx: BenchContext, n: number, min = 1): number {
  return Math.max(min, Math.round(n * ctx.scale));
}

const fmt = (n: number | undefined, unit = ""): string => {
  if (n === undefined || Number.isNaN(n)) return "—";
  const abs = Math.abs(n);
  const text =
    abs >= 10_000
      ? Math.round(n).toLocaleString("en-US")
      : abs >= 100
        ? n.toFixed(0)
        : abs >= 10
          ? n.toFixed(1)
          : n.toFixed(2);
  return unit ? `${text} ${unit}` : text;
};

export function formatTable(results: readonly RowResult[], markdown = false): string {
  const header = ["row", "what", "figure", "baseline", "ratio", "goal", "result"];
  const rows = results.map((r) => [
    r.row,
    r.what,
    fmt(r.figure, r.unit),
    r.baseline === undefined ? "—" : fmt(r.baseline, r.unit),
    r.ratio === undefined ? "—" : `${r.ratio.toFixed(2)}×`,
    r.goal,
    r.pass === undefined ? "info" : r.pass ? "pass" : "MISS",
  ]);
  if (markdown) {
    const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
    return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
  }
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => (r[i] as string).length)),
  );
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

export function machine(): string {
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  const [l1, l5, l15] = loadavg().map((l) => l.toFixed(2));
  return `${cpu}; ${cpus().length} logical CPUs; Node ${process.version}; load ${l1} / ${l5} / ${l15} (1/5/15 min)`;
}
