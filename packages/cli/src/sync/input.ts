/** The input file: NDJSON lines `{ key?, ids, patch }`, parsed one at a time. */
import { createReadStream } from "node:fs";
import type { CustomerPatch, ProviderName } from "@custkit/customers";
import { isProvider } from "../config.js";

export interface ParsedLine {
  key: string;
  ids: Partial<Record<ProviderName, string | number>>;
  patch: CustomerPatch;
}

/**
 * The key of a line without one: its ids (`align:3fa8…,nuweb:123`), which stay the same when
 * other lines are added, removed or reordered — a line number would not.
 */
export function keyFromIds(ids: ParsedLine["ids"]): string {
  return Object.keys(ids)
    .sort()
    .map((p) => `${p}:${ids[p as ProviderName]}`)
    .join(",");
}

export function parseLine(text: string): ParsedLine {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new Error(`not valid JSON (${(e as Error).message})`);
  }
  if (!v || typeof v !== "object" || Array.isArray(v))
    throw new Error("a line must be a JSON object { key?, ids, patch }");
  const o = v as Record<string, unknown>;
  const ids = o.ids;
  if (!ids || typeof ids !== "object" || Array.isArray(ids))
    throw new Error('"ids" must be an object { "<provider>": "<customer id>" }');
  for (const [p, id] of Object.entries(ids)) {
    if (!isProvider(p)) throw new Error(`unknown provider "${p}" in "ids"`);
    if (typeof id !== "string" && typeof id !== "number")
      throw new Error(`ids.${p} must be a string or a number`);
  }
  const key = o.key === undefined || o.key === null ? keyFromIds(ids as ParsedLine["ids"]) : o.key;
  if (typeof key !== "string" && typeof key !== "number")
    throw new Error('"key" must be a string or a number');
  if (String(key) === "") throw new Error('"key" must not be empty');
  const patch = o.patch;
  if (!patch || typeof patch !== "object" || Array.isArray(patch))
    throw new Error('"patch" must be a JSON object');
  return { key: String(key), ids: ids as ParsedLine["ids"], patch: patch as CustomerPatch };
}

/** A line with nothing on it but spaces or tabs: skipped, neither sent nor counted. */
export const isBlank = (text: string): boolean => /^[ \t\v\f]*$/.test(text);

const LF = 0x0a;
const CR = 0x0d;
const BLANK_BYTES = new Set([0x20, 0x09, 0x0b, 0x0c]);

/**
 * The lines the run will read, for the progress bar's total: split as node:readline splits them
 * (`\n`, `\r\n`, or a lone `\r`), blank lines left out (see `isBlank`), a last line without a
 * newline counted.
 */
export async function countLines(file: string): Promise<number> {
  let n = 0;
  let blank = true;
  for await (const chunk of createReadStream(file)) {
    const b = chunk as Buffer;
    for (let i = 0; i < b.length; i++) {
      const byte = b[i] as number;
      if (byte === LF || byte === CR) {
        if (!blank) n++;
        blank = true;
      } else if (blank && !BLANK_BYTES.has(byte)) blank = false;
    }
  }
  return blank ? n : n + 1;
}
