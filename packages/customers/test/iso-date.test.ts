/**
 * isIsoDate (the runtime's, shared by the spec's `date` format and the model's dates): it
 * accepts exactly what a shape regex followed by the calendar check accepts.
 */

import { isIsoDate } from "@custkit/runtime";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** The reference: the shape regex, then the calendar. */
function regexIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const [y, mo, d] = value.split("-").map(Number) as [number, number, number];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (mo === 2 && leap ? 29 : (DAYS[mo - 1] as number));
}

/** Strings near a shape: each character from the shape's alphabet or a few that break it. */
const near = (length: number, alphabet: string) =>
  fc
    .array(fc.constantFrom(...alphabet.split("")), { minLength: length - 1, maxLength: length + 1 })
    .map((cs) => cs.join(""));

/** A valid string with one character replaced. */
const mutated = (valid: fc.Arbitrary<string>, alphabet: string) =>
  fc
    .tuple(valid, fc.nat(), fc.constantFrom(...alphabet.split("")))
    .map(([s, i, c]) => s.slice(0, i % s.length) + c + s.slice((i % s.length) + 1));

describe("isIsoDate", () => {
  it("accepts what the regex and the calendar accepted", () => {
    const dates = fc
      .date({ min: new Date("0000-01-01"), max: new Date("9999-12-31"), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(
        fc.oneof(dates, mutated(dates, "0123456789-/ x٣"), near(10, "0123456789--"), fc.string()),
        (s) => {
          expect(isIsoDate(s)).toBe(regexIsoDate(s));
        },
      ),
      { numRuns: 5000 },
    );
    for (const s of ["2024-02-29", "2023-02-29", "1900-02-29", "2000-02-29", "0000-01-01"])
      expect(isIsoDate(s)).toBe(regexIsoDate(s));
  });
});
