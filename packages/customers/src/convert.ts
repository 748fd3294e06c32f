/** Field conversions shared by the mappers that need no data tables (no country or phone library). */

/** Join name parts with single spaces, skipping empty ones. */
export function joinName(parts: readonly (string | null | undefined)[]): string {
  let out = "";
  for (const p of parts) {
    if (p) out = out ? `${out} ${p.trim()}` : p.trim();
  }
  return out;
}

/** `/Date(332640000)/` (unix seconds; milliseconds when 12+ digits) → "1980-07-17". */
export function fromODataDate(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const m = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/.exec(value);
  if (!m) return /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : undefined;
  const n = Number(m[1]);
  const ms = Math.abs(n) >= 1e11 ? n : n * 1000;
  return new Date(ms).toISOString().slice(0, 10);
}

// Built once per provider and slot: a patch with fewer lines than slots warns on every plan.
const UNCHANGED = new Map<string, Map<string, string>>();
function unchangedMessage(provider: string, slot: string): string {
  let bySlot = UNCHANGED.get(provider);
  if (bySlot === undefined) {
    bySlot = new Map();
    UNCHANGED.set(provider, bySlot);
  }
  let message = bySlot.get(slot);
  if (message === undefined) {
    message = `${slot} left unchanged: ${provider} cannot clear it`;
    bySlot.set(slot, message);
  }
  return message;
}

/** Put lines into numbered vendor slots; unused slots are cleared where the vendor allows null. */
export function putLines(
  ctx: {
    put(p: string, v: unknown): void;
    fail(r: string, c?: "invalid"): void;
    warn(m: string): void;
    nullable(p: string): boolean;
    provider: string;
  },
  lines: readonly string[],
  slots: readonly string[],
): void {
  if (lines.length > slots.length) {
    ctx.fail(
      `${ctx.provider} takes at most ${slots.length} address line${slots.length === 1 ? "" : "s"}`,
    );
    return;
  }
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i] as string;
    if (i < lines.length) ctx.put(slot, lines[i]);
    else if (ctx.nullable(slot)) ctx.put(slot, null);
    else ctx.warn(unchangedMessage(ctx.provider, slot));
  }
}
