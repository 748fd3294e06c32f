/**
 * Validation of a new vendor spec before it replaces the committed one: the codegen's own checks
 * (scripts/src/generate/load.ts) run in memory — vendor spec valid OpenAPI 3.0, overlay applies
 * with no stale action, effective spec valid, provider.yaml consistent with it.
 */
import {
  applyOverlay,
  checkConfigAgainstSpec,
  parseConfig,
  validateSpec,
} from "../generate/load.js";

export async function validateNewSpec(options: {
  provider: string;
  providerYaml?: { file: string; doc: unknown };
  spec: { file: string; doc: Record<string, unknown> };
  overlay?: { file: string; doc: unknown };
}): Promise<void> {
  const { spec, overlay, providerYaml } = options;
  await validateSpec(spec.doc, spec.file, "vendor spec");
  let effective = spec.doc;
  if (overlay) {
    effective = await applyOverlay(spec.doc, overlay.doc, overlay.file);
    await validateSpec(effective, overlay.file, "effective spec (vendor spec + overlay)");
  }
  if (providerYaml) {
    const config = parseConfig(providerYaml.doc, providerYaml.file, options.provider);
    checkConfigAgainstSpec(config, effective, providerYaml.file);
  }
}
