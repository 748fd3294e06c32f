/** Redaction of what the CLI prints: credentials (headers, registered secrets) and secret patch values. */
import { type CustomerPatch, SECRET_VALUE_PATHS } from "@custkit/customers";
import { redactHeaders, redactText } from "@custkit/runtime";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/** Secret values carried by a patch (passwords, id and tax numbers), in the forms a mapper may send. */
export function patchSecrets(patch: CustomerPatch): string[] {
  const values = SECRET_VALUE_PATHS.map((path) =>
    path.split(".").reduce<unknown>((at, key) => (isObject(at) ? at[key] : undefined), patch),
  ).filter((v): v is string => typeof v === "string" && v !== "");
  const out = new Set<string>();
  for (const v of values) {
    out.add(v);
    const compact = v.replace(/[^A-Za-z0-9]/g, "");
    if (compact.length >= 4) out.add(compact);
  }
  return [...out].sort((a, b) => b.length - a.length);
}

/** A deep copy with every string redacted. */
export function redactValue(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === "string") return redactText(value, secrets);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secrets));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactValue(v, secrets);
    return out;
  }
  return value;
}

export interface ShownRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  contentType?: string;
  /** Parsed JSON body, or the raw text of other media types. */
  body?: unknown;
}

/** A request as it would leave, with credentials and secret values replaced. */
export async function showRequest(
  request: Request,
  secrets: readonly string[],
): Promise<ShownRequest> {
  const headers = redactHeaders(request.headers, secrets);
  const shown: ShownRequest = {
    method: request.method,
    url: redactText(request.url, secrets),
    headers,
  };
  const contentType = request.headers.get("content-type") ?? undefined;
  if (contentType) shown.contentType = contentType;
  if (request.body !== null) {
    const text = await request.text();
    let body: unknown = text;
    if (contentType === undefined || /json/i.test(contentType)) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    shown.body = redactValue(body, secrets);
  }
  return shown;
}
