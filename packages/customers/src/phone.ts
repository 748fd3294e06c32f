/**
 * Phone parsing (libphonenumber-js, full metadata). Imported only by the providers that take a
 * phone (nuweb, enfuce), so a bundle without them carries no phone metadata.
 */
import { isValidPhoneNumber, parsePhoneNumberFromString } from "libphonenumber-js/max";

/** The reason given for an E.164-shaped string that is not a valid number. */
export const INVALID_PHONE = "is not a valid phone number";

/** Whether an E.164 string is a valid number (numbering plan, length). */
export function isValidPhone(e164: string): boolean {
  return isValidPhoneNumber(e164);
}

/**
 * E.164 → country calling code and national number ("+447911123456" → 44, "7911123456");
 * undefined when the number is not valid.
 */
export function splitPhone(e164: string): { callingCode: number; national: string } | undefined {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed?.isValid()) return undefined;
  return { callingCode: Number(parsed.countryCallingCode), national: parsed.nationalNumber };
}
/** Calling code + national number → E.164, when valid. */
export function joinPhone(callingCode: number | string, national: string): string | undefined {
  const parsed = parsePhoneNumberFromString(`+${callingCode}${national.replace(/\D/g, "")}`);
  return parsed?.number;
}

/** International form with spacing or punctuation → E.164 (`+44 7911 123456` → `+447911123456`), when valid. */
export function normalizePhone(text: string): string | undefined {
  const parsed = parsePhoneNumberFromString(text);
  return parsed?.isValid() ? parsed.number : undefined;
}
