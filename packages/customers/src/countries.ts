/**
 * Country conversions (i18n-iso-countries). Imported only by the mappers that convert countries
 * (enfuce: alpha-3; maia: English names), so a bundle without them carries no country tables.
 * `i18n-iso-countries/index.js` is the library without its Node entry, which registers all ~80
 * languages; only English is registered here.
 */
import countries from "i18n-iso-countries/index.js";
import en from "i18n-iso-countries/langs/en.json" with { type: "json" };

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
