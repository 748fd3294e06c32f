/** Field conversions shared by the mappers, built on the field libraries. */
import countries from "i18n-iso-countries";
import en from "i18n-iso-countries/langs/en.json" with { type: "json" };
import { parsePhoneNumberFromString } from "libphonenumber-js/max";

countries.registerLocale(en);

const ALPHA3: ReadonlyMap<string, string> = new Map(
  Object.keys(countries.getAlpha2Codes()).map((a2) => [a2, countries.alpha2ToAlpha3(a2) as string]),
);

/** ISO alpha-2 → alpha-3 ("GB" → "GBR"). Precomputed at module load. */
export function toAlpha3(alpha2: string): string | undefined {
  return ALPHA3.get(alpha2);
}
/** ISO alpha-3 → alpha-2. */
export function fromAlpha3(alpha3: string): string | undefined {
  return countries.alpha3ToAlpha2(alpha3);
}
/** ISO alpha-2 → English short name ("MX" → "Mexico"). */
export function countryName(alpha2: string): string | undefined {
  return countries.getName(alpha2, "en", { select: "official" });
}
/** English country name (official or alias) → alpha-2. */
export function countryFromName(name: string): string | undefined {
  return countries.getAlpha2Code(name, "en");
}

/** E.164 → country calling code and national number ("+447911123456" → 44, "7911123456"). */
export function splitPhone(e164: string): { callingCode: number; national: string } | undefined {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return undefined;
  return { callingCode: Number(parsed.countryCallingCode), national: parsed.nationalNumber };
}
/** Calling code + national number → E.164, when valid. */
export function joinPhone(callingCode: number | string, national: string): string | undefined {
  const parsed = parsePhoneNumberFromString(`+${callingCode}${national.replace(/\D/g, "")}`);
  return parsed?.number;
}

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

const UNCHANGED = new Map<string, string>();
function unchangedMessage(provider: string, slot: string): string {
  const key = `${provider}\0${slot}`;
  let message = UNCHANGED.get(key);
  if (message === undefined) {
    message = `${slot} left unchanged: ${provider} cannot clear it`;
    UNCHANGED.set(key, message);
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
