/**
 * Redaction of credentials and personal data from anything custkit shows: error messages,
 * `toJSON`, hook payloads, logs. Two layers: the exact secrets a client was configured with
 * (`clientSecrets`, kept by that client and passed as `extra` wherever it makes an error or a
 * hook payload, so a token echoed back by a vendor is caught and another client's is not
 * remembered), and patterns for what a vendor may echo that we never configured (SSNs,
 * bearer/basic values, JWTs).
 */

import { escapeXml } from "./escape-xml.js";

/** What replaces a secret in anything custkit shows. */
export const REDACTED = "[REDACTED]";

const registered = new Set<string>();

// Very short values would redact ordinary words; credentials are never this short.
const MIN_SECRET_LENGTH = 6;

/** A client's credential values, in every form a vendor may echo them, longest first. */
export function clientSecrets(...values: (string | undefined)[]): string[] {
  const forms = new Set<string>();
  for (const value of values)
    if (value && value.length >= MIN_SECRET_LENGTH)
      for (const form of secretVariants(value)) forms.add(form);
  return [...forms].sort((a, b) => b.length - a.length);
}

/**
 * Remember values process-wide, so every `redactText` replaces them. For an application's own
 * secrets; clients keep theirs to themselves (`clientSecrets`).
 */
export function registerSecrets(...values: (string | undefined)[]): void {
  for (const form of clientSecrets(...values)) registered.add(form);
}

const PATTERNS: RegExp[] = [
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi,
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
  /\b\d{3}-\d{2}-\d{4}\b/g,
  /(?<![\d.])\d{9}(?![\d.])/g,
];

/**
 * The forms a secret may take when a vendor echoes it back: as given, JSON-escaped, XML-escaped,
 * percent-encoded (form bodies, URLs).
 */
export function secretVariants(value: string): string[] {
  const forms = new Set([value, JSON.stringify(value).slice(1, -1), escapeXml(value)]);
  try {
    forms.add(encodeURIComponent(value));
    forms.add(new URLSearchParams({ v: value }).toString().slice(2));
  } catch {
    // lone surrogates cannot be percent-encoded; nothing to add
  }
  return [...forms].filter((f) => f !== "");
}

/**
 * The text with every registered secret, every `extra` value (e.g. this call's sensitive body
 * fields) and every secret-shaped value replaced.
 */
export function redactText(text: string, extra: readonly string[] = []): string {
  let out = text;
  // Longest first, so a secret containing another is replaced whole.
  const secrets = [...registered, ...extra].sort((a, b) => b.length - a.length);
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  for (const pattern of PATTERNS) {
    out = out.replace(pattern, (_match, scheme?: string) =>
      typeof scheme === "string" && /^(bearer|basic)$/i.test(scheme)
        ? `${scheme} ${REDACTED}`
        : REDACTED,
    );
  }
  return out;
}

/**
 * Header names whose values are credentials (Authorization, Api-Key, Cookie, X-Auth-Token,
 * X-Client-Secret…): redacted from hooks and logs, and from a call's errors.
 */
export const SECRET_HEADER = /authorization|token|secret|passw|api-?key|cookie|session|credential/i;

/** A plain-object copy of headers with credential values replaced, for hooks and logs. */
export function redactHeaders(
  headers: Headers | Record<string, string>,
  extra: readonly string[] = [],
): Record<string, string> {
  const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  const out: Record<string, string> = {};
  for (const [name, value] of entries) {
    out[name] = SECRET_HEADER.test(name) ? REDACTED : redactText(value, extra);
  }
  return out;
}

/** Query parameters that carry credentials when a vendor takes them in the URL. */
const SECRET_PARAM_PATTERN = /token|secret|passw|api-?_?key|^key$|^sig(nature)?$|^auth|credential/i;

/** The URL with userinfo and credential-named query values replaced, for hooks and logs. */
export function redactUrl(url: string, extra: readonly string[] = []): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return redactText(url, extra);
  }
  if (parsed.username) parsed.username = REDACTED;
  if (parsed.password) parsed.password = REDACTED;
  for (const name of new Set(parsed.searchParams.keys())) {
    if (SECRET_PARAM_PATTERN.test(name)) parsed.searchParams.set(name, REDACTED);
  }
  // URL encoding turns the marker into %5BREDACTED%5D; show it as written elsewhere.
  return redactText(parsed.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED), extra);
}
