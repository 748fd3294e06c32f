/**
 * ISO alpha-2 ↔ alpha-3 ("GB" ↔ "GBR"), for the mapper that converts codes (enfuce), from
 * i18n-iso-countries' own code table (`codes.json`: [alpha-2, alpha-3, numeric, ISO 3166-2]) read
 * directly: the library's entry would also bring its name tables and a diacritics map.
 */
import codes from "i18n-iso-countries/codes.json" with { type: "json" };

const PAIRS = (codes as readonly (readonly string[])[]).map(
  ([a2, a3]) => [a2, a3] as [string, string],
);
const TO_ALPHA3: ReadonlyMap<string, string> = new Map(PAIRS);
const TO_ALPHA2: ReadonlyMap<string, string> = new Map(PAIRS.map(([a2, a3]) => [a3, a2]));

/** ISO alpha-2 → alpha-3 ("GB" → "GBR"). */
export function toAlpha3(alpha2: string): string | undefined {
  return TO_ALPHA3.get(alpha2);
}
/** ISO alpha-3 → alpha-2 ("GBR" → "GB"). */
export function fromAlpha3(alpha3: string): string | undefined {
  return TO_ALPHA2.get(alpha3);
}
