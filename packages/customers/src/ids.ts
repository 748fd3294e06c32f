/**
 * Ids that go into a URL path segment. The generated client refuses the same values before sending;
 * refusing them while mapping names the caller's `id` (and the facade leaves the check of a lone
 * request to the client, see core.ts).
 */
/** Why an id cannot be a customer id in a path, or undefined. */
export function pathIdReason(id: string | number): string | undefined {
  const text = String(id);
  if (text.trim() === "") return "must be a non-empty customer id";
  if (text === "." || text === "..") return 'must not be "." or ".."';
  if (!text.isWellFormed()) return "must be well-formed text";
  return undefined;
}
