/** "Did you mean": the name a mistyped one most likely meant (edit distance, fastest-levenshtein). */
import { closest, distance } from "fastest-levenshtein";

/**
 * The candidate `input` most likely meant: the same letters in another case, else the nearest
 * within a third of the input's length in edits (`birthdate` → `birthDate`, `alin` → `align`).
 * Undefined when nothing is that close, or when `input` is itself a candidate.
 */
export function closestName(input: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0 || candidates.includes(input)) return undefined;
  const lower = input.toLowerCase();
  const sameLetters = candidates.find((c) => c.toLowerCase() === lower);
  if (sameLetters !== undefined) return sameLetters;
  const lowered = candidates.map((c) => c.toLowerCase());
  const best = closest(lower, lowered);
  const limit = Math.max(1, Math.floor(input.length / 3));
  return distance(lower, best) <= limit ? candidates[lowered.indexOf(best)] : undefined;
}
