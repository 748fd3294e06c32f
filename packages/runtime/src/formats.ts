/**
 * The string formats checked before sending (the spec's `format`) and by the facade's model
 * validators: one definition each. Others (e.g. `uri`) are not checked.
 */

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number the ASCII digits of `s` from `start` to `end` spell, or -1 if one is not a digit. */
function digits(s: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * `YYYY-MM-DD`, a day that exists (proleptic Gregorian calendar). Read by hand rather than with a
 * regex: the facade runs it between round trips, where a regex's matcher is cold and costs more
 * than the rest of the check.
 */
export function isIsoDate(value: string): boolean {
  if (value.length !== 10 || value[4] !== "-" || value[7] !== "-") return false;
  const y = digits(value, 0, 4);
  const mo = digits(value, 5, 7);
  const d = digits(value, 8, 10);
  if (y < 0 || mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (mo === 2 && leap ? 29 : (DAYS[mo - 1] as number));
}

const DATE_TIME =
  /^\d{4}-\d\d-\d\d[Tt ]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/;
const EMAIL = /^[^\s@"<>()[\]\\,;:]+@[^\s@"<>()[\]\\,;:]+\.[^\s@"<>()[\]\\,;:]+$/;
const UUID = /^[\da-f]{8}(-[\da-f]{4}){3}-[\da-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);

/** Each checked format: whether a string has it (for dates, a day that exists). */
export const FORMATS: Readonly<Record<string, (text: string) => boolean>> = {
  date: isIsoDate,
  "date-time": (text) => DATE_TIME.test(text) && isIsoDate(text.slice(0, 10)),
  email: (text) => EMAIL.test(text),
  uuid: isUuid,
};

/** `text` has `format` (one of FORMATS). */
export function matchesFormat(format: string, text: string): boolean {
  return Object.hasOwn(FORMATS, format) && FORMATS[format]?.(text) === true;
}
