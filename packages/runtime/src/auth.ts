/** Credentials from the client options to auth headers, by the spec's schemes in preference order. */
import { HEADER_VALUE } from "./headers.js";
import { misconfigured } from "./invalid.js";
import type { ApiClientOptions, ApiDefinition } from "./types.js";

function credential(provider: string, options: ApiClientOptions, name: string): string | undefined {
  const value = options[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value === "")
    throw misconfigured(provider, `option "${name}" must be a non-empty string`);
  if (!HEADER_VALUE.test(value))
    throw misconfigured(
      provider,
      `option "${name}" must not contain line breaks or control characters`,
    );
  return value;
}

function base64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** The auth headers for the first scheme (in preference order) the options hold credentials for. */
export function resolveAuthHeaders(
  definition: ApiDefinition,
  options: ApiClientOptions,
): Record<string, string> {
  const { provider, auth } = definition;
  if (auth.length === 0) return {};
  const token = credential(provider, options, "token");
  const username = credential(provider, options, "username");
  const password = credential(provider, options, "password");
  const apiKey = credential(provider, options, "apiKey");
  for (const scheme of auth) {
    if (scheme.kind === "bearer" && token !== undefined) {
      return { Authorization: `Bearer ${token}` };
    }
    if (scheme.kind === "basic" && (username !== undefined || password !== undefined)) {
      if (username === undefined || password === undefined) {
        throw misconfigured(
          provider,
          `options "username" and "password" must be given together (HTTP Basic)`,
        );
      }
      if (username.includes(":"))
        throw misconfigured(provider, `option "username" must not contain ":" (HTTP Basic)`);
      const encoded = base64Utf8(`${username}:${password}`);
      return { Authorization: `Basic ${encoded}` };
    }
    if (scheme.kind === "apiKey" && apiKey !== undefined) {
      return { [scheme.header]: apiKey };
    }
  }
  const wanted = auth
    .map((s) =>
      s.kind === "bearer" ? `"token"` : s.kind === "basic" ? `"username" + "password"` : `"apiKey"`,
    )
    .join(" or ");
  throw misconfigured(provider, `missing credentials: give option ${wanted}`);
}
