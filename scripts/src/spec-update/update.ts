/**
 * spec:update — replace a provider's vendor spec from a file or URL, validate, regenerate,
 * and show the spec diff against HEAD.
 *
 * Provenance: the vendor file is written byte for byte as downloaded. Its format must match
 * the provider.yaml `spec:` file name (YAML for .yaml/.yml, JSON for .json); a mismatch is
 * refused rather than converted, since a converted file is no longer the vendor's bytes.
 * Nothing is written unless download, parse and validation succeed; if regeneration fails the
 * previous vendor file is put back.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { GenerateErrors } from "../generate/errors.js";
import { generate } from "../generate/generate.js";
import { GitError, resolveCommit } from "../spec-diff/git.js";
import { readProviderConfig } from "../spec-diff/provider.js";
import { diffProvider, formatReport, readAtCommit, readWorkingTree } from "../spec-diff/run.js";
import { downloadSpec, type FetchOptions } from "./fetch.js";
import { validateNewSpec } from "./validate.js";

export class UpdateError extends Error {
  override name = "UpdateError";
}

export interface UpdateOptions extends FetchOptions {
  root: string;
  provider: string;
  file?: string;
  url?: string;
  /** Run the codegen after writing (default true). */
  generate?: boolean;
  log?: (line: string) => void;
}

export interface UpdateResult {
  specFile: string;
  bytes: number;
  changed: boolean;
  diff?: string;
}

type Format = "json" | "yaml";

function detectFormat(text: string): { format: Format; doc: Record<string, unknown> } {
  const trimmed = text.replace(/^\uFEFF/, "").trimStart();
  if (trimmed.startsWith("{")) {
    try {
      return { format: "json", doc: JSON.parse(trimmed) };
    } catch (error) {
      throw new UpdateError(
        `the new spec looks like JSON but does not parse: ${(error as Error).message}`,
      );
    }
  }
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: -1 });
  } catch (error) {
    throw new UpdateError(`the new spec is neither JSON nor YAML: ${(error as Error).message}`);
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc))
    throw new UpdateError("the new spec is not a YAML/JSON object");
  return { format: "yaml", doc: doc as Record<string, unknown> };
}

/** Runs the codegen in-process (what `pnpm generate --root <root> <provider>` does). */
export async function runGenerate(
  root: string,
  provider: string,
): Promise<{ ok: boolean; output: string }> {
  try {
    const result = await generate({ root, providers: [provider] });
    const lines = result.changes.map(
      (c) =>
        `  ${c.kind === "extra" ? "deleted" : c.kind === "missing" ? "created" : "updated"} ${c.file}`,
    );
    lines.push(`generate: ${provider}: ${result.changes.length} file(s) changed`);
    return { ok: true, output: lines.join("\n") };
  } catch (error) {
    if (error instanceof GenerateErrors)
      return { ok: false, output: error.errors.map((e) => `  ${e.message}`).join("\n") };
    return { ok: false, output: String((error as Error).stack ?? error) };
  }
}

export async function updateSpec(options: UpdateOptions): Promise<UpdateResult> {
  const { root, provider } = options;
  const log = options.log ?? (() => {});
  if ((options.file === undefined) === (options.url === undefined))
    throw new UpdateError("give exactly one of --file <path> or --url <url>");
  const cfg = readProviderConfig(readWorkingTree(root), provider);
  if (!cfg)
    throw new UpdateError(
      `unknown provider: ${provider} (no specs/${provider}/provider.yaml or openapi.{yaml,json})`,
    );

  let bytes: Buffer;
  if (options.url !== undefined) {
    log(`downloading ${options.url}`);
    bytes = await downloadSpec(options.url, options);
  } else {
    const path = options.file as string;
    if (!existsSync(path)) throw new UpdateError(`file not found: ${path}`);
    bytes = readFileSync(path);
  }
  const text = bytes.toString("utf8");
  const { format, doc } = detectFormat(text);
  const expected: Format = cfg.specFile.endsWith(".json") ? "json" : "yaml";
  if (format !== expected) {
    throw new UpdateError(
      `the new spec is ${format.toUpperCase()} but ${cfg.specFile} is ${expected.toUpperCase()}; refusing to convert (the vendor file is kept verbatim). ` +
        `Change \`spec:\` in specs/${provider}/provider.yaml to a .${format === "json" ? "json" : "yaml"} name and rename the file, then run again.`,
    );
  }
  const read = readWorkingTree(root);
  const overlayText = cfg.overlayFile ? read(cfg.overlayFile) : undefined;
  try {
    await validateNewSpec({
      provider,
      spec: { file: cfg.specFile, doc },
      ...(cfg.overlayFile && overlayText !== undefined
        ? { overlay: { file: cfg.overlayFile, doc: parseYaml(overlayText) } }
        : {}),
      ...(cfg.providerYamlText !== undefined
        ? {
            providerYaml: {
              file: `specs/${provider}/provider.yaml`,
              doc: parseYaml(cfg.providerYamlText),
            },
          }
        : {}),
    });
  } catch (error) {
    throw new UpdateError(
      `the new spec was refused, nothing was written: ${(error as Error).message}`,
    );
  }

  const target = join(root, cfg.specFile);
  const previous = existsSync(target) ? readFileSync(target) : undefined;
  const changed = previous === undefined || !previous.equals(bytes);
  if (changed) {
    const tmp = `${target}.tmp-${process.pid}`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, target);
    log(`wrote ${cfg.specFile} (${bytes.length} bytes)`);
  } else {
    log(`${cfg.specFile} already has these bytes`);
  }

  if (options.generate !== false) {
    log(`regenerating packages/${provider} (pnpm generate ${provider})`);
    const gen = await runGenerate(root, provider);
    if (!gen.ok) {
      if (changed) {
        if (previous !== undefined) writeFileSync(target, previous);
        log(`restored the previous ${cfg.specFile}`);
      }
      throw new UpdateError(
        `generate failed; the previous spec was put back, packages/ untouched:\n${gen.output}`,
      );
    }
    if (gen.output) log(gen.output);
  }

  const result: UpdateResult = { specFile: cfg.specFile, bytes: bytes.length, changed };
  try {
    const commit = resolveCommit(root, "HEAD");
    const hasMapper = existsSync(join(root, "packages/customers/src/providers", `${provider}.ts`));
    const d = await diffProvider(provider, readAtCommit(root, commit), read, hasMapper, {
      before: "at HEAD",
      after: "in the working tree",
    });
    result.diff = formatReport({ base: "HEAD", commit, providers: [d] });
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    result.diff = `(no spec diff: ${error.message})`;
  }
  return result;
}
