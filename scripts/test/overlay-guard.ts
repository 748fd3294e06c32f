/**
 * The overlay guard: mutations a vendor may make to its own file, each tried against the
 * provider's overlay in memory (masked.ts, the codegen's applyOverlay), so that an overlay which
 * shadows vendor content is caught before a vendor change is missed.
 *
 * Mutations, for every object schema (one with `properties`) reachable from an operation's
 * request body or 2xx response: an optional property added; the first property removed; for
 * every enum of its properties (or of their array items), a value added and the last removed.
 */
import type { Json } from "../src/generate/load.js";
import {
  applyEdit,
  type EditOutcome,
  editPointer,
  maskedChanges,
  outcomeOf,
  overlayProbe,
  type VendorEdit,
} from "../src/spec-diff/masked.js";

const METHODS = new Set(["get", "put", "post", "delete", "patch", "head", "options", "trace"]);
export const PROBE = "custkit_probe";

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

type Path = string[];

function at(doc: Json, path: Path): unknown {
  let node: unknown = doc;
  for (const key of path)
    node = isObject(node) || Array.isArray(node) ? (node as Json)[key] : undefined;
  return node;
}

/** Follow local `$ref`s to the node's own location in the document. */
function resolve(doc: Json, path: Path): Path {
  const seen = new Set<string>();
  let current = path;
  for (;;) {
    const node = at(doc, current);
    if (!isObject(node) || typeof node.$ref !== "string" || !node.$ref.startsWith("#/"))
      return current;
    if (seen.has(node.$ref)) return current;
    seen.add(node.$ref);
    current = node.$ref
      .slice(2)
      .split("/")
      .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  }
}

/** Schema locations of every operation's request bodies and 2xx responses. */
function operationSchemas(doc: Json): Path[] {
  const roots: Path[] = [];
  for (const [route, item] of Object.entries((doc.paths ?? {}) as Json)) {
    if (!isObject(item)) continue;
    for (const method of Object.keys(item).filter((m) => METHODS.has(m))) {
      const op: Path = ["paths", route, method];
      const bodies: Path[] = [resolve(doc, [...op, "requestBody"])];
      const responses = at(doc, [...op, "responses"]);
      if (isObject(responses))
        for (const code of Object.keys(responses).filter((c) => /^2(\d\d|XX)$/.test(c)))
          bodies.push(resolve(doc, [...op, "responses", code]));
      for (const body of bodies) {
        const content = at(doc, [...body, "content"]);
        if (!isObject(content)) continue;
        for (const media of Object.keys(content)) roots.push([...body, "content", media, "schema"]);
      }
    }
  }
  return roots;
}

/** Every object schema reachable from the operations, by its location in the vendor file. */
export function reachableObjectSchemas(doc: Json): Path[] {
  const found = new Map<string, Path>();
  const visit = (raw: Path) => {
    const path = resolve(doc, raw);
    const key = editPointer(path);
    if (found.has(key)) return;
    const schema = at(doc, path);
    if (!isObject(schema)) return;
    if (isObject(schema.properties)) found.set(key, path);
    else found.set(key, []); // visited, not an object schema
    for (const name of Object.keys(schema.properties ?? {})) visit([...path, "properties", name]);
    for (const key of ["items", "additionalProperties", "not"])
      if (isObject(schema[key])) visit([...path, key]);
    for (const key of ["oneOf", "anyOf", "allOf"]) {
      const list = schema[key];
      if (Array.isArray(list)) for (const i of list.keys()) visit([...path, key, String(i)]);
    }
  };
  for (const root of operationSchemas(doc)) visit(root);
  return [...found.values()].filter((p) => p.length > 0);
}

export interface Mutation {
  kind: "add property" | "remove property" | "add enum value" | "remove enum value";
  edit: VendorEdit;
}

/** The guard's mutations of one vendor file. */
export function mutations(doc: Json): Mutation[] {
  const out: Mutation[] = [];
  const enums = new Map<string, Path>();
  for (const path of reachableObjectSchemas(doc)) {
    const properties = at(doc, [...path, "properties"]) as Json;
    out.push({
      kind: "add property",
      edit: { op: "add", path: [...path, "properties", PROBE], value: { type: "string" } },
    });
    const first = Object.keys(properties)[0];
    if (first !== undefined)
      out.push({
        kind: "remove property",
        edit: { op: "remove", path: [...path, "properties", first] },
      });
    for (const name of Object.keys(properties)) {
      const property = resolve(doc, [...path, "properties", name]);
      for (const candidate of [property, resolve(doc, [...property, "items"])]) {
        if (Array.isArray(at(doc, [...candidate, "enum"])))
          enums.set(editPointer(candidate), [...candidate, "enum"]);
      }
    }
  }
  for (const path of enums.values()) {
    const values = at(doc, path) as unknown[];
    out.push({ kind: "add enum value", edit: { op: "replace", path, value: [...values, PROBE] } });
    if (values.length > 1)
      out.push({
        kind: "remove enum value",
        edit: { op: "replace", path, value: values.slice(0, -1) },
      });
  }
  return out;
}

export interface GuardResult {
  tried: number;
  reached: number;
  /** Not in the effective spec; spec:diff names the action (`maskedBy`). */
  masked: Array<{ mutation: Mutation; maskedBy: string; reported: boolean }>;
  /** The overlay no longer applies: generate fails naming the action. */
  refused: Array<{ mutation: Mutation; error: string }>;
}

/** Try every mutation of `vendor` against `overlay`; masked ones are checked against spec:diff's own report. */
export async function guard(
  vendor: Json,
  overlay: Json,
  overlayFile: string,
): Promise<GuardResult> {
  const probe = await overlayProbe(vendor, overlay, overlayFile);
  const result: GuardResult = { tried: 0, reached: 0, masked: [], refused: [] };
  for (const mutation of mutations(vendor)) {
    result.tried++;
    const changed = applyEdit(vendor, mutation.edit);
    const outcome: EditOutcome = await outcomeOf(probe, changed, mutation.edit);
    if (outcome.kind === "reached") result.reached++;
    else if (outcome.kind === "refused")
      result.refused.push({ mutation, error: outcome.error.message });
    else {
      const reported = (await maskedChanges(vendor, changed, overlay, overlayFile)).some(
        (m) => m.location === outcome.masked.location && m.action !== undefined,
      );
      result.masked.push({ mutation, maskedBy: outcome.masked.maskedBy, reported });
    }
  }
  return result;
}

/** Why the guard fails (empty: it passes): every mutation must reach the effective spec or make generate fail. */
export function guardFailures(result: GuardResult): string[] {
  return result.masked.map(
    (m) =>
      `${m.mutation.kind} at ${editPointer(m.mutation.edit.path)}: masked by ${m.maskedBy}${m.reported ? "" : " (and spec:diff does not name the action)"}`,
  );
}
