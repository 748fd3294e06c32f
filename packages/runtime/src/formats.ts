/**
 * The string formats checked before sending (the spec's `format`) and by the facade's model
 * validators: one definition each. Others (e.g. `uri`) are not checked.
 */

/** Each checked format's shape. */
export const FORMATS: Readonly<Record<string, RegExp>> = {
  date: /^\d{4}-\d\d-\d\d$/,
  "date-time":
    /^\d{4}-\d\d-\d\d[Tt ]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/,
  email: /^[^\s@"<>()[\]\\,;:]+@[^\s@"<>()[\]\\,;:]+\.[^\s@"<>()[\]\\,;:]+$/,
  uuid: /^[\da-f]{8}(-[\da-f]{4}){3}-[\da-f]{12}$/i,
};

/** `text` has `format` (one of FORMATS): the shape, and for dates a day that exists. */
export function matchesFormat(format: string, text: string): boolean {
  if (!FORMATS[format]?.test(text)) return false;
  if (format[0] !== "d") return true;
  const month = +text.slice(5, 7);
  const day = +text.slice(8, 10);
  // Day 0 of the next month is this month's last day (setUTCFullYear: years < 100 stay as given).
  const last = new Date(0);
  last.setUTCFullYear(+text.slice(0, 4), month, 0);
  return month > 0 && month < 13 && day > 0 && day <= last.getUTCDate();
}

/** `YYYY-MM-DD`, a day that exists (proleptic Gregorian calendar). */
export const isIsoDate = (value: string): boolean => matchesFormat("date", value);

export const isUuid = (value: string): boolean => matchesFormat("uuid", value);
