/**
 * A non-secret name for a credential: what shared limits and queues are keyed by, since a
 * vendor's rate limit belongs to a credential, not to a process. A truncated SHA-256 of the
 * provider and the credential options, under a fixed label so the same key gives a different
 * digest here than anywhere else it may be hashed. The credential itself never leaves the process.
 */
const CREDENTIAL_OPTIONS = ["token", "username", "password", "apiKey"] as const;

export async function credentialFingerprint(
  provider: string,
  options: { readonly [name: string]: unknown },
): Promise<string> {
  const parts = CREDENTIAL_OPTIONS.map((name) => {
    const value = options[name];
    return typeof value === "string" ? value : "";
  });
  const text = ["custkit-credential-v1", provider, ...parts].join("\u0000");
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest).subarray(0, 8), (b) =>
    b.toString(16).padStart(2, "0"),
  ).join("");
}
