/** Building a `CustomerPatch` from `--patch file.json`, stdin and `--set path=value`. */
import { readFile } from "node:fs/promises";
import { type CustomerPatch, closestName, MODEL_FIELDS, valueFormat } from "@custkit/customers";
import { UsageError } from "./errors.js";

/** Every settable path: each model field and each group above one (`address`, `business.address`). */
export const SETTABLE_PATHS: ReadonlySet<string> = (() => {
  const out = new Set<string>();
  for (const field of MODEL_FIELDS) {
    const parts = field.split(".");
    for (let i = 1; i <= parts.length; i++) out.add(parts.slice(0, i).join("."));
  }
  return out;
})();

/**
 * The value of `--set path=value`: `null`, a JSON array, object or quoted string is parsed as JSON;
 * anything else is taken as a string (the model has no numeric fields: `postalCode=01234` stays text).
 */
export function parseSetValue(text: string, path: string): unknown {
  const t = text.trim();
  if (t === "null" || t.startsWith("[") || t.startsWith("{") || t.startsWith('"')) {
    try {
      return JSON.parse(t);
    } catch {
      throw new UsageError(`--set ${path}: the value looks like JSON but does not parse`);
    }
  }
  return text;
}

/** Apply `path=value` assignments (in order) onto a patch. */
export function applySets(
  patch: Record<string, unknown>,
  sets: readonly string[],
): Record<string, unknown> {
  for (const assignment of sets) {
    const eq = assignment.indexOf("=");
    if (eq <= 0)
      throw new UsageError(
        `--set takes path=value (e.g. name.given=Jane); got "${assignment.split("=")[0]}"`,
      );
    const path = assignment.slice(0, eq).trim();
    if (!SETTABLE_PATHS.has(path)) throw new UsageError(unknownPath(path));
    const value = parseSetValue(assignment.slice(eq + 1), path);
    const syntax = jsonSyntax(path);
    if (syntax !== undefined && typeof value === "string")
      throw new UsageError(`--set ${path} takes ${jsonSyntax(path, value)}`);
    const parts = path.split(".");
    let node = patch;
    for (const key of parts.slice(0, -1)) {
      const next = node[key];
      if (next === null || typeof next !== "object" || Array.isArray(next)) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[parts[parts.length - 1] as string] = value;
  }
  return patch;
}

/**
 * For a list or whole-object field, the JSON it takes, as written on the command line (a list
 * of the text given, when there is one: `address.lines='["1 Main St"]'`).
 */
function jsonSyntax(path: string, text?: string): string | undefined {
  const format = valueFormat(path);
  if (format === undefined || !/^(list|whole object)/.test(format.format)) return undefined;
  const list = format.format.startsWith("list");
  const example = list && text !== undefined ? JSON.stringify([text]) : format.example;
  return `${list ? "a JSON list" : "a whole JSON object"}: --set ${path}='${example}'`;
}

/** Why a path cannot be set, and what was likely meant. */
function unknownPath(path: string): string {
  const head = path.split(".")[0] as string;
  const whole = path.includes(".") && SETTABLE_PATHS.has(head) ? jsonSyntax(head) : undefined;
  if (whole !== undefined) return `--set: ${head} is set as a whole object, not by part; ${whole}`;
  const near = closestName(path, [...SETTABLE_PATHS]);
  return `--set: unknown field path "${path}"${near ? `; did you mean "${near}"?` : ""} (see \`custkit providers\` for the fields)`;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export function parsePatchJson(text: string, source: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${source}: not valid JSON (${(e as Error).message})`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
    throw new UsageError(`${source}: the patch must be a JSON object`);
  return parsed as Record<string, unknown>;
}

/**
 * The patch: `--patch file.json` (`-` = stdin), or stdin when it is piped and no `--set` is given;
 * then every `--set` on top.
 */
export async function buildPatch(opts: { patch?: string; set?: string[] }): Promise<CustomerPatch> {
  const sets = opts.set ?? [];
  let base: Record<string, unknown> = {};
  if (
    opts.patch === "-" ||
    (opts.patch === undefined && sets.length === 0 && !process.stdin.isTTY)
  ) {
    const text = await readStdin();
    if (text.trim() !== "") base = parsePatchJson(text, "stdin");
  } else if (opts.patch !== undefined) {
    let text: string;
    try {
      text = await readFile(opts.patch, "utf8");
    } catch (e) {
      throw new UsageError(
        `cannot read --patch ${opts.patch}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
    base = parsePatchJson(text, opts.patch);
  }
  const patch = applySets(base, sets);
  if (Object.keys(patch).length === 0)
    throw new UsageError(
      "no patch: give --set path=value, --patch file.json, or a JSON patch on stdin",
    );
  return patch as CustomerPatch;
}
