/** Exit codes and the errors the CLI raises itself. */
import { ConfigurationError, CustkitError } from "@custkit/runtime";

export const EXIT = {
  /** Everything succeeded. */
  ok: 0,
  /** A vendor or network failure (the request was sent, or sending failed). */
  failure: 1,
  /** Bad command line, missing or wrong configuration, unreadable input. */
  usage: 2,
  /** The patch was refused before sending: validation or unsupported field. */
  refused: 3,
  /** Stopped by Ctrl-C or SIGTERM (128 + SIGINT). */
  interrupted: 130,
} as const;

/** A command-line mistake (exit 2). */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Kinds refused before anything is sent. */
export const REFUSED_KINDS: ReadonlySet<string> = new Set(["validation", "unsupported"]);

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError || error instanceof ConfigurationError) return EXIT.usage;
  if (error instanceof CustkitError)
    return REFUSED_KINDS.has(error.kind) ? EXIT.refused : EXIT.failure;
  return EXIT.failure;
}

/** A stable JSON shape for any error (a CustkitError's own `toJSON`). */
export function errorJson(error: unknown): Record<string, unknown> {
  if (error instanceof CustkitError) return error.toJSON();
  if (error instanceof UsageError) return { kind: "usage", message: error.message };
  return { kind: "internal", message: error instanceof Error ? error.message : String(error) };
}
