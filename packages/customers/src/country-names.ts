/**
 * English country names: i18n-iso-countries' `en` table read directly, because the library's
 * entry also loads its code tables and a diacritics map (≈ 19 kB minified) that names do not need.
 * Imported only by the mapper that converts names (maia). A test checks both functions against
 * the library's `getName(…, "en", { select: "official" })` and `getAlpha2Code(…, "en")`.
 */
import en from "i18n-iso-countries/langs/en.json" with { type: "json" };

/** alpha-2 → the official name, or the official name first and then aliases. */
const NAMES: Readonly<Record<string, string | readonly string[]>> = en.countries;

/** ISO alpha-2 → English official name ("MX" → "Mexico"). */
export function countryName(alpha2: string): string | undefined {
  const names = Object.hasOwn(NAMES, alpha2) ? NAMES[alpha2] : undefined;
  return typeof names === "string" ? names : names?.[0];
}

let byName: Map<string, string> | undefined;

/** English country name (official or alias, any case) → alpha-2. */
export function countryFromName(name: string): string | undefined {
  if (byName === undefined) {
    byName = new Map();
    for (const code in NAMES) {
      const names = NAMES[code] as string | readonly string[];
      for (const n of typeof names === "string" ? [names] : names) {
        const key = n.toLowerCase();
        // The first country to carry a name keeps it, as the library's lookup does.
        if (!byName.has(key)) byName.set(key, code);
      }
    }
  }
  return byName.get(name.toLowerCase());
}
