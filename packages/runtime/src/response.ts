/** Answers to results: the CustkitError of a non-2xx answer, the parsed body of a 2xx one. */
import {
  type CustkitError,
  errorForStatus,
  InvalidResponseError,
  isRetryableStatus,
} from "./errors.js";
import { redactText } from "./redact.js";
import { baseMediaType, isJsonMediaType, isXmlMediaType } from "./serializers.js";
import { requestIdOf } from "./transport/request-id.js";
import type { VendorErrorInfo } from "./vendor-error.js";

/**
 * The `CustkitError` for a non-2xx answer, from what the vendor's error body says (`info`, read
 * by the client's `VendorErrorParser`). `secrets` (the client's credentials and this call's
 * sensitive values) are redacted from everything the vendor echoed.
 */
export function errorFromResponse(
  provider: string,
  operation: string,
  response: Response,
  info: VendorErrorInfo,
  secrets: readonly string[] = [],
): CustkitError {
  const clean = (text: string | undefined) =>
    text === undefined ? undefined : redactText(text, secrets);
  const vendorMessage = clean(info.vendorMessage);
  return errorForStatus(
    response.status,
    {
      provider,
      operation,
      message: `${provider} ${operation}: HTTP ${response.status}${vendorMessage ? `: ${vendorMessage}` : ""}`,
      vendorCode: clean(info.vendorCode),
      vendorMessage,
      fieldErrors: info.fieldErrors.map((e) => ({
        ...e,
        field: redactText(e.field, secrets),
        reason: redactText(e.reason, secrets),
      })),
      requestId: requestIdOf(response.headers, secrets),
      retryable: isRetryableStatus(response.status),
    },
    response.headers,
  );
}

/**
 * The 2xx body: JSON parsed (also when mislabelled as text), XML as text, nothing for an empty
 * body. An HTML page or unreadable JSON is an InvalidResponseError (its text is not quoted: it
 * may echo personal data).
 */
export function parseSuccess(
  provider: string,
  operation: string,
  response: Response,
  text: string,
): unknown {
  const header = response.headers.get("content-type") ?? "";
  // The common answer (JSON, declared as such) parses without a look at anything else.
  if (header === "application/json" || header.startsWith("application/json;")) {
    try {
      return JSON.parse(text);
    } catch {}
  }
  if (text.trim() === "") return undefined;
  const contentType = baseMediaType(header);
  if (isXmlMediaType(contentType)) return text;
  const fail = (what: string) =>
    new InvalidResponseError({
      provider,
      operation,
      status: response.status,
      requestId: requestIdOf(response.headers),
      message: `${provider} ${operation}: HTTP ${response.status} answer ${what}`,
    });
  if (contentType === "text/html") throw fail("is an HTML page, not the API's JSON");
  try {
    return JSON.parse(text);
  } catch {
    throw fail(
      `is not valid JSON${contentType && !isJsonMediaType(contentType) ? ` (content type ${contentType})` : ""}`,
    );
  }
}
