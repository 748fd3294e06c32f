/**
 * What a result is about: a digest of the line's content (ids and patch, canonical JSON per
 * RFC 8785), so that a rerun skips a pair only when exactly that content succeeded — an edited
 * line is sent again. A bad line's digest is of its text.
 *
 * The digest is keyed (HMAC-SHA-256) with a random key kept beside the results file
 * (`<out>.key`, mode 0600): a plain hash of a line whose other fields are known would let anyone
 * holding the results file try every SSN or tax id (10^9 guesses) until one matches.
 */
import { createHmac, randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import canonicalize from "canonicalize";
import { UsageError } from "../errors.js";
import type { ParsedLine } from "./input.js";

const hmac = (key: Buffer, text: string) =>
  createHmac("sha256", key).update(text).digest("hex").slice(0, 32);

/** The content digest of a parsed line (its key is a label, not content). */
export function lineDigest(line: Pick<ParsedLine, "ids" | "patch">, key: Buffer): string {
  return hmac(key, canonicalize({ ids: line.ids, patch: line.patch }) ?? "");
}

/** The digest of a line that could not be parsed: its text. */
export const textDigest = (text: string, key: Buffer): string => hmac(key, text);

export const keyFileOf = (out: string) => `${out}.key`;

/**
 * The digest key of a results file: read from `<out>.key`, or made and written there (mode
 * 0600) on the first run (`created`). Without its key a results file cannot be resumed: its
 * pairs are sent again.
 */
export async function digestKey(out: string): Promise<{ key: Buffer; created: boolean }> {
  const file = keyFileOf(out);
  try {
    const key = Buffer.from((await readFile(file, "utf8")).trim(), "hex");
    if (key.length >= 32) return { key, created: false };
    throw new UsageError(`${file}: not a digest key (64 hex digits); delete it to start over`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw keyError(file, error);
  }
  const key = randomBytes(32);
  try {
    await writeFile(file, `${key.toString("hex")}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return digestKey(out); // a concurrent first run
    throw keyError(file, error);
  }
  return { key, created: true };
}

function keyError(file: string, error: unknown): Error {
  if (error instanceof UsageError) return error;
  const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
  return new UsageError(`${file}: the results' digest key cannot be read or written (${code})`);
}

/** A key for a run that writes no results (`--check`): nothing is compared with it. */
export const throwawayKey = (): Buffer => randomBytes(32);
