/**
 * The results file: read back on a rerun (what succeeded, what was refused or bad and is
 * unchanged), and appended to in batches. Also the `--failed-out` file of input lines to fix.
 */
import { once } from "node:events";
import { createReadStream, createWriteStream, existsSync, type WriteStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { createInterface } from "node:readline";
import { redactText } from "@custkit/runtime";
import { errorJson, REFUSED_KINDS, UsageError } from "../errors.js";

/** An error as a result line holds it. */
export interface ErrorRecord {
  kind: string;
  message: string;
  status?: number;
  vendorCode?: string;
  [field: string]: unknown;
}

export interface EarlierResults {
  /** `digest:provider` of pairs that succeeded. */
  succeeded: Set<string>;
  /** `digest:provider` of refusals, and digests of bad lines: the same input fails the same way. */
  settled: Map<string, ErrorRecord>;
  needsNewline: boolean;
}

export const doneKey = (digest: string, provider?: string) =>
  provider === undefined ? digest : `${digest}:${provider}`;

/** Only the owner may read what we write: customer data, or digests of it. */
const PRIVATE = 0o600;

/** Opens (and with `truncate`, empties) a file we will write, before anything is sent. */
export async function checkWritable(file: string, flag: string, truncate: boolean): Promise<void> {
  try {
    await (await open(file, truncate ? "w" : "a", PRIVATE)).close();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
    throw new UsageError(`${flag} ${file}: cannot be written (${code})`);
  }
}

export async function readEarlierResults(out: string): Promise<EarlierResults> {
  const succeeded = new Set<string>();
  const settled = new Map<string, ErrorRecord>();
  if (!existsSync(out)) return { succeeded, settled, needsNewline: false };
  const rl = createInterface({
    input: createReadStream(out, { encoding: "utf8" }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of rl) {
    if (!line.includes('"digest"')) continue; // an earlier version's line: its pair is sent again
    let r: { digest?: unknown; provider?: unknown; ok?: unknown; error?: ErrorRecord };
    try {
      r = JSON.parse(line);
    } catch {
      continue; // A torn last line from an interrupted run: not a success.
    }
    if (typeof r.digest !== "string") continue;
    const provider = typeof r.provider === "string" ? r.provider : undefined;
    if (r.ok === true && provider) succeeded.add(doneKey(r.digest, provider));
    else if (r.error && (r.error.kind === "bad_line" || REFUSED_KINDS.has(r.error.kind)))
      settled.set(doneKey(r.digest, provider), r.error);
  }
  return { succeeded, settled, needsNewline: await endsMidLine(out) };
}

async function endsMidLine(file: string): Promise<boolean> {
  const { size } = await stat(file);
  if (size === 0) return false;
  const fh = await open(file, "r");
  try {
    const buf = Buffer.alloc(1);
    await fh.read(buf, 0, 1, size - 1);
    return buf[0] !== 0x0a;
  } finally {
    await fh.close();
  }
}

/** What a result line keeps of an error's JSON (`errorJson`) besides kind and message. */
const RECORD_KEYS = ["status", "vendorCode", "fieldErrors", "requestId", "retryable"];

export function errorRecord(error: unknown, secrets: readonly string[]): ErrorRecord {
  const json = errorJson(error);
  const record: ErrorRecord = {
    kind: String(json.kind),
    message: redactText(String(json.message), secrets),
  };
  for (const key of RECORD_KEYS) if (json[key] !== undefined) record[key] = json[key];
  if (Array.isArray(record.fieldErrors) && record.fieldErrors.length === 0)
    delete record.fieldErrors;
  return record;
}

/**
 * Appends lines in batches (one write per 256 lines or 100 ms): far fewer syscalls. `end()`
 * writes what is pending, so a stop by signal loses nothing that was recorded.
 */
export class BatchedWriter {
  private readonly stream: WriteStream;
  private pending: string[] = [];
  private readonly timer: NodeJS.Timeout;
  /** Rejects when the file cannot be written. */
  readonly failed: Promise<never>;

  constructor(file: string, startWithNewline = false) {
    this.stream = createWriteStream(file, { flags: "a", mode: PRIVATE });
    this.failed = new Promise<never>((_, reject) => this.stream.once("error", reject));
    this.failed.catch(() => {});
    if (startWithNewline) this.stream.write("\n");
    this.timer = setInterval(() => this.flush(), 100);
  }

  write(line: string): void {
    this.pending.push(line);
    if (this.pending.length >= 256) this.flush();
  }

  writeRecord(record: Record<string, unknown>): void {
    this.write(`${JSON.stringify(record)}\n`);
  }

  flush(): void {
    if (this.pending.length === 0) return;
    this.stream.write(this.pending.join(""));
    this.pending = [];
  }

  /** Waits while the file's buffer is full (backpressure), or fails with the file's error. */
  async drained(): Promise<void> {
    if (this.stream.writableNeedDrain)
      await Promise.race([once(this.stream, "drain"), this.failed]);
  }

  async end(): Promise<void> {
    clearInterval(this.timer);
    this.flush();
    await new Promise<void>((resolve, reject) =>
      this.stream.end((err?: Error | null) => (err ? reject(err) : resolve())),
    );
  }
}
