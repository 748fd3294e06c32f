/**
 * `pnpm bench [--only row,row] [--scale n] [--markdown]`: every row of issue 7 in one run, one
 * table. Benchmarks, not tests: the exit code is 0 whatever the figures (1 only when a row
 * could not be measured).
 */
import { formatTable, machine, type Row, type RowResult } from "./harness.js";
import { bundleClientRow, bundleFacadeRow } from "./rows-bundle.js";
import { latencyRow, mappingRow, responsesRow, throughputRow } from "./rows-http.js";
import { queueRow } from "./rows-queue.js";
import { rateRow } from "./rows-rate.js";
import { generateRow, syncRow, typecheckRow } from "./rows-tools.js";

export const ROWS: readonly Row[] = [
  latencyRow,
  throughputRow,
  responsesRow,
  mappingRow,
  bundleClientRow,
  bundleFacadeRow,
  generateRow,
  typecheckRow,
  syncRow,
  rateRow,
  queueRow,
];

export interface BenchRun {
  results: RowResult[];
  errors: { row: string; error: string }[];
}

export async function runBench(options: {
  only?: readonly string[];
  scale?: number;
  log?: (message: string) => void;
}): Promise<BenchRun> {
  const log = options.log ?? (() => {});
  const rows = options.only?.length ? ROWS.filter((r) => options.only?.includes(r.name)) : ROWS;
  const results: RowResult[] = [];
  const errors: BenchRun["errors"] = [];
  for (const row of rows) {
    log(`… ${row.name}`);
    try {
      results.push(...(await row.run({ scale: options.scale ?? 1, log })));
    } catch (e) {
      errors.push({ row: row.name, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return { results, errors };
}

async function main(argv: string[]): Promise<number> {
  let only: string[] = [];
  let scale = 1;
  let markdown = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--only") only = (argv[++i] ?? "").split(",").filter(Boolean);
    else if (a.startsWith("--only=")) only = a.slice(7).split(",").filter(Boolean);
    else if (a === "--scale") scale = Number(argv[++i]);
    else if (a === "--markdown") markdown = true;
    else if (a === "--help" || a === "-h") {
      console.log(
        `usage: pnpm bench [--only ${ROWS.map((r) => r.name).join(",")}] [--scale n] [--markdown]`,
      );
      return 0;
    }
  }
  const unknown = only.filter((o) => !ROWS.some((r) => r.name === o));
  if (unknown.length) {
    console.error(
      `unknown row(s): ${unknown.join(", ")}; rows: ${ROWS.map((r) => r.name).join(", ")}`,
    );
    return 2;
  }
  const before = machine();
  const { results, errors } = await runBench({ only, scale, log: (m) => console.error(m) });
  console.log(`machine (start): ${before}`);
  console.log(`machine (end):   ${machine()}`);
  console.log("");
  console.log(formatTable(results, markdown));
  console.log("");
  for (const r of results) for (const n of r.notes ?? []) console.log(`- ${n}`);
  for (const e of errors) console.log(`! ${e.row}: ${e.error}`);
  return errors.length ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
