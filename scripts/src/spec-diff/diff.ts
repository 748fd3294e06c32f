/**
 * Classifies the changes between two effective specs with api-smart-diff.
 *
 * api-smart-diff judges compatibility from the API's point of view (can an existing caller
 * still call it?). Our packages are generated TypeScript clients, so a few of its verdicts are
 * adjusted for what breaks a *compiling* caller; each adjustment is noted in the change's
 * `reclassified` field so the summary never hides it:
 * - a removed schema property or parameter is breaking (the field vanishes from the generated
 *   types; api-smart-diff calls an optional property's removal non-breaking);
 * - `deprecated` is non-breaking (minor): it adds a marker, nothing stops compiling;
 * - `unclassified` is treated as breaking: when in doubt, ask for a major.
 */
import { apiCompare } from "api-smart-diff";

export type ChangeKind = "breaking" | "non-breaking" | "annotation";
export type Bump = "major" | "minor" | "patch";

export interface SpecChange {
  /** `METHOD /path`, `components` or `document` (info, servers, tags …). */
  operation: string;
  /** JSON pointer into the effective spec. */
  location: string;
  kind: ChangeKind;
  action: "add" | "remove" | "replace" | "rename";
  description: string;
  /** Set when our rules changed api-smart-diff's verdict: `<library verdict> → <ours>: why`. */
  reclassified?: string;
}

const METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

export function toPointer(path: ReadonlyArray<string | number>): string {
  return path.map((s) => `/${String(s).replaceAll("~", "~0").replaceAll("/", "~1")}`).join("");
}

function operationOf(path: ReadonlyArray<string | number>): string {
  if (path[0] === "paths" && path.length >= 2) {
    const method = path[2];
    if (typeof method === "string" && METHODS.has(method))
      return `${method.toUpperCase()} ${path[1]}`;
    return `* ${path[1]}`;
  }
  if (path[0] === "components") return "components";
  return "document";
}

function isRemovedMember(
  path: ReadonlyArray<string | number>,
): "property" | "parameter" | undefined {
  const parent = path[path.length - 2];
  if (parent === "properties") return "property";
  if (parent === "parameters" && typeof path[path.length - 1] === "number") return "parameter";
  return undefined;
}

/** The part of a schema diff's path after the schema root, used to drop `components/…` duplicates of operation diffs. */
function schemaTail(path: ReadonlyArray<string | number>): string | undefined {
  const i = path.lastIndexOf("schema");
  if (path[0] === "paths" && i >= 0) return path.slice(i + 1).join("/");
  if (path[0] === "components" && path[1] === "schemas") return path.slice(3).join("/");
  return undefined;
}

export function diffSpecs(before: object, after: object): SpecChange[] {
  const { diffs } = apiCompare(before, after);
  const changes: Array<SpecChange & { tail?: string }> = diffs.map((d) => {
    const path = d.path as Array<string | number>;
    let kind: ChangeKind;
    let reclassified: string | undefined;
    const member = d.action === "remove" ? isRemovedMember(path) : undefined;
    if (member && d.type !== "breaking") {
      kind = "breaking";
      reclassified = `${d.type} → breaking: a removed ${member} disappears from the generated client's types`;
    } else if (d.type === "deprecated") {
      kind = "non-breaking";
      reclassified = "deprecated → non-breaking: a deprecation marker breaks no caller";
    } else if (d.type === "unclassified") {
      kind = "breaking";
      reclassified = "unclassified → breaking: unknown impact, treated conservatively";
    } else {
      kind = d.type as ChangeKind;
    }
    const location = toPointer(path);
    const tail = schemaTail(path);
    return {
      operation: operationOf(path),
      location,
      kind,
      action: d.action as SpecChange["action"],
      description:
        d.description ?? `[${d.action[0]?.toUpperCase()}${d.action.slice(1)}] ${location}`,
      ...(reclassified ? { reclassified } : {}),
      ...(tail !== undefined ? { tail } : {}),
    };
  });
  // api-smart-diff reports a change in a $ref'd component twice: under the operation that uses
  // it and under components/. Keep the operation's (it says where it matters) and drop the copy.
  const seen = new Set(
    changes
      .filter((c) => c.operation !== "components" && c.tail !== undefined)
      .map((c) => `${c.kind}|${c.action}|${c.tail}`),
  );
  return changes
    .filter(
      (c) =>
        !(
          c.operation === "components" &&
          c.tail !== undefined &&
          seen.has(`${c.kind}|${c.action}|${c.tail}`)
        ),
    )
    .map(({ tail: _tail, ...c }) => c);
}

export function bumpFor(changes: ReadonlyArray<Pick<SpecChange, "kind">>): Bump | undefined {
  if (changes.some((c) => c.kind === "breaking")) return "major";
  if (changes.some((c) => c.kind === "non-breaking")) return "minor";
  if (changes.length > 0) return "patch";
  return undefined;
}
