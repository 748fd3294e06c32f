/**
 * The effective spec of a provider: the vendor file with our overlay applied — by the codegen's
 * own `applyOverlay` (scripts/src/generate/load.ts), so the diff sees exactly what generate sees.
 * A stale overlay (an action whose target matches nothing) is an error there, and so here.
 */
import { applyOverlay } from "../generate/load.js";

export async function buildEffectiveSpec(
  spec: Record<string, unknown>,
  overlay: Record<string, unknown> | undefined,
  overlayFile = "overlay.yaml",
): Promise<Record<string, unknown>> {
  if (!overlay) return structuredClone(spec);
  return applyOverlay(spec, overlay, overlayFile);
}
