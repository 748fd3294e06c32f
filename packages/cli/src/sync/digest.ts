/**
 * What a result is about: a digest of the line's content (ids and patch, canonical JSON per
 * RFC 8785, SHA-256), so that a rerun skips a pair only when exactly that content succeeded —
 * an edited line is sent again. A bad line's digest is of its text.
 */
import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import type { ParsedLine } from "./input.js";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 32);

/** The content digest of a parsed line (its key is a label, not content). */
export function lineDigest(line: Pick<ParsedLine, "ids" | "patch">): string {
  return sha256(canonicalize({ ids: line.ids, patch: line.patch }) ?? "");
}

/** The digest of a line that could not be parsed: its text. */
export const textDigest = (text: string): string => sha256(text);
