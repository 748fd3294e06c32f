import { redactText } from "../redact.js";

/** Headers vendors use to name a request in their logs; the first present one is quoted in errors. */
const REQUEST_ID_HEADERS = ["x-request-id", "request-id", "x-amzn-requestid", "x-correlation-id"];

export function requestIdOf(headers: Headers, secrets: readonly string[] = []): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers.get(name);
    // A vendor (or a proxy) may echo anything here: it is redacted like any text we show.
    if (value) return redactText(value, secrets);
  }
  return undefined;
}
