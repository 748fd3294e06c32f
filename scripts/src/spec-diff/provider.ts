/**
 * Reading a provider's spec files (specs/<p>/provider.yaml, the vendor file, overlay.yaml)
 * from any source: the working tree or a git revision. Sources are plain functions so the
 * same code reads both.
 */
import { parse as parseYaml } from "yaml";

/** Returns a file's text relative to the repository root, or undefined when it does not exist. */
export type ReadText = (relPath: string) => string | undefined;

export interface ProviderFiles {
  provider: string;
  /** npm package name, from provider.yaml `package:` (default `@custkit/<provider>`). */
  packageName: string;
  specFile: string;
  overlayFile?: string;
  /** Parsed vendor spec. */
  spec: Record<string, unknown>;
  /** Parsed overlay document, when there is one. */
  overlay?: Record<string, unknown>;
  /** Raw provider.yaml text (compared verbatim to notice config-only changes). */
  providerYamlText?: string;
}

export class SpecFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = "SpecFileError";
  }
}

const SPEC_CANDIDATES = ["openapi.yaml", "openapi.yml", "openapi.json"];

export function parseDocument(file: string, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = file.endsWith(".json") ? JSON.parse(text) : parseYaml(text, { maxAliasCount: -1 });
  } catch (error) {
    throw new SpecFileError(file, `cannot parse: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new SpecFileError(file, "is not a YAML/JSON object");
  }
  return value as Record<string, unknown>;
}

export interface ProviderConfig {
  packageName: string;
  specFile: string;
  overlayFile?: string;
  providerYamlText?: string;
}

/** Resolves file names from provider.yaml, falling back to the conventional names. Undefined: no provider here. */
export function readProviderConfig(read: ReadText, provider: string): ProviderConfig | undefined {
  const dir = `specs/${provider}`;
  const providerYamlText = read(`${dir}/provider.yaml`);
  let cfg: Record<string, unknown> = {};
  if (providerYamlText !== undefined) cfg = parseDocument(`${dir}/provider.yaml`, providerYamlText);
  const specName =
    typeof cfg.spec === "string"
      ? cfg.spec
      : SPEC_CANDIDATES.find((n) => read(`${dir}/${n}`) !== undefined);
  if (specName === undefined) return undefined;
  const overlayName =
    typeof cfg.overlay === "string"
      ? cfg.overlay
      : read(`${dir}/overlay.yaml`) !== undefined
        ? "overlay.yaml"
        : undefined;
  return {
    packageName: typeof cfg.package === "string" ? cfg.package : `@custkit/${provider}`,
    specFile: `${dir}/${specName}`,
    ...(overlayName ? { overlayFile: `${dir}/${overlayName}` } : {}),
    ...(providerYamlText !== undefined ? { providerYamlText } : {}),
  };
}

export function readProviderFiles(read: ReadText, provider: string): ProviderFiles | undefined {
  const cfg = readProviderConfig(read, provider);
  if (!cfg) return undefined;
  const specText = read(cfg.specFile);
  if (specText === undefined)
    throw new SpecFileError(cfg.specFile, "named by provider.yaml but missing");
  const files: ProviderFiles = {
    provider,
    packageName: cfg.packageName,
    specFile: cfg.specFile,
    spec: parseDocument(cfg.specFile, specText),
    ...(cfg.providerYamlText !== undefined ? { providerYamlText: cfg.providerYamlText } : {}),
  };
  if (cfg.overlayFile) {
    const overlayText = read(cfg.overlayFile);
    if (overlayText === undefined)
      throw new SpecFileError(cfg.overlayFile, "named by provider.yaml but missing");
    files.overlayFile = cfg.overlayFile;
    files.overlay = parseDocument(cfg.overlayFile, overlayText);
  }
  return files;
}
