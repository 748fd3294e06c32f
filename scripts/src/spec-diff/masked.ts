/**
 * Which vendor changes an overlay hides. The classified diff compares effective specs, so a vendor
 * change that the overlay overwrites or removes would vanish without a trace; here the vendor
 * files themselves are compared, and each change is tried alone against the overlay (by the
 * codegen's own `applyOverlay`, the code path of `pnpm generate`): a change that leaves the
 * effective spec as it was is masked, and the action that masks it is found by leaving actions
 * out one at a time.
 */
import { isDeepStrictEqual } from "node:util";
import { GenerateError, pointer as toPointer } from "../generate/errors.js";
import { applyOverlay, type Json } from "../generate/load.js";

/** One change of the vendor file, at a JSON pointer into it. An array whose length changes (an enum) changes as a whole. */
export type VendorEdit =
  | { op: "add" | "replace"; path: ReadonlyArray<string>; value: unknown }
  | { op: "remove"; path: ReadonlyArray<string> };

export interface MaskedChange {
  /** JSON pointer into the vendor file. */
  location: string;
  op: VendorEdit["op"];
  /** `specs/<p>/overlay.yaml#/actions/N`, or the overlay file when no single action is the cause. */
  maskedBy: string;
  /** Zero-based index of the masking action, when one is found. */
  action?: number;
}

/** What one vendor change does to the effective spec. */
export type EditOutcome =
  | { kind: "reached" }
  | { kind: "refused"; error: GenerateError }
  | { kind: "masked"; masked: MaskedChange };

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export const editPointer = (path: ReadonlyArray<string>) => toPointer(...path);

/** The vendor file's changes from `before` to `after`: keys added, removed, values replaced. */
export function vendorEdits(before: unknown, after: unknown, path: string[] = []): VendorEdit[] {
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length)
    return before.flatMap((item, i) => vendorEdits(item, after[i], [...path, String(i)]));
  if (!isObject(before) || !isObject(after)) {
    return isDeepStrictEqual(before, after) ? [] : [{ op: "replace", path, value: after }];
  }
  const edits: VendorEdit[] = [];
  for (const key of Object.keys(before))
    if (!(key in after)) edits.push({ op: "remove", path: [...path, key] });
  for (const [key, value] of Object.entries(after)) {
    if (key in before) edits.push(...vendorEdits(before[key], value, [...path, key]));
    else edits.push({ op: "add", path: [...path, key], value });
  }
  return edits;
}

/** A copy of `doc` with one edit applied. */
export function applyEdit(doc: Json, edit: VendorEdit): Json {
  const copy = structuredClone(doc);
  let node: unknown = copy;
  for (const key of edit.path.slice(0, -1)) node = (node as Json)[key];
  const last = edit.path[edit.path.length - 1] as string;
  if (edit.op === "remove") delete (node as Json)[last];
  else (node as Json)[last] = structuredClone(edit.value);
  return copy;
}

export interface OverlayProbe {
  vendor: Json;
  overlay: Json;
  overlayFile: string;
  /** `vendor` with `overlay` applied (computed once by `overlayProbe`). */
  effective: Json;
}

export async function overlayProbe(
  vendor: Json,
  overlay: Json,
  overlayFile: string,
): Promise<OverlayProbe> {
  return {
    vendor,
    overlay,
    overlayFile,
    effective: await applyOverlay(vendor, overlay, overlayFile),
  };
}

async function effectiveWithout(
  probe: OverlayProbe,
  vendor: Json,
  skip: number,
): Promise<Json | undefined> {
  const actions = (probe.overlay.actions as unknown[]).filter((_, i) => i !== skip);
  try {
    return await applyOverlay(vendor, { ...probe.overlay, actions }, probe.overlayFile);
  } catch {
    return undefined; // without this action the overlay does not apply: it cannot be the one
  }
}

/** The action that hides `changed` (a vendor file differing from the probe's): the one whose absence lets the change through. */
async function maskingAction(probe: OverlayProbe, changed: Json): Promise<number | undefined> {
  const count = (probe.overlay.actions as unknown[]).length;
  for (let i = count - 1; i >= 0; i--) {
    const without = await effectiveWithout(probe, probe.vendor, i);
    const changedWithout = await effectiveWithout(probe, changed, i);
    if (without && changedWithout && !isDeepStrictEqual(without, changedWithout)) return i;
  }
  return undefined;
}

/** Does a vendor file that differs from the probe's reach the effective spec? */
export async function outcomeOf(
  probe: OverlayProbe,
  changed: Json,
  edit: Pick<VendorEdit, "op" | "path">,
): Promise<EditOutcome> {
  let effective: Json;
  try {
    effective = await applyOverlay(changed, probe.overlay, probe.overlayFile);
  } catch (error) {
    if (error instanceof GenerateError) return { kind: "refused", error };
    throw error;
  }
  if (!isDeepStrictEqual(effective, probe.effective)) return { kind: "reached" };
  const action = await maskingAction(probe, changed);
  const maskedBy =
    action === undefined
      ? probe.overlayFile
      : `${probe.overlayFile}#${toPointer("actions", action)}`;
  return {
    kind: "masked",
    masked: {
      location: editPointer(edit.path),
      op: edit.op,
      maskedBy,
      ...(action !== undefined ? { action } : {}),
    },
  };
}

/** Every change from `before` to `after` (vendor files) that the overlay keeps out of the effective spec. */
export async function maskedChanges(
  before: Json,
  after: Json,
  overlay: Json,
  overlayFile: string,
): Promise<MaskedChange[]> {
  const edits = vendorEdits(before, after);
  if (edits.length === 0) return [];
  const probe = await overlayProbe(before, overlay, overlayFile);
  const masked: MaskedChange[] = [];
  for (const edit of edits) {
    const outcome = await outcomeOf(probe, applyEdit(before, edit), edit);
    if (outcome.kind === "masked") masked.push(outcome.masked);
  }
  return masked;
}

/** The line spec:diff prints (and the regenerate pull request lists) for a masked change. */
export function maskedLine(m: MaskedChange): string {
  const what = m.op === "add" ? "added" : m.op === "remove" ? "removed" : "changed";
  return `${m.location} (${what}): masked by ${m.maskedBy}: review the overlay`;
}
