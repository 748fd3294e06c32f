/**
 * spec:diff — compares each provider's effective spec (vendor file + overlay) between a git
 * base ref and the working tree, classifies every change and (with `write`) records a
 * changeset per affected provider.
 *
 * Decisions:
 * - a provider new since base → `minor` (a new package's first feature release);
 * - a provider deleted since base → reported, no changeset (there is no package left to bump);
 * - provider.yaml changed but the effective spec did not → reported as a note, no changeset
 *   (config such as auth or environments is not classified; write a changeset by hand);
 * - `@custkit/customers` gets a `patch` entry in a provider's changeset whenever that provider
 *   has a breaking change and the facade has a mapper for it
 *   (packages/customers/src/providers/<p>.ts). This is deliberately coarse: we do not trace
 *   which fields the mapper uses, so the summary asks for a review of that mapper;
 * - a vendor change that the overlay keeps out of the effective spec is listed as masked, naming
 *   the overlay action (masked.ts); it bumps nothing (the package does not change) but must be
 *   reviewed, so the regenerate workflow holds its pull request as a draft.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import writeChangeset from "@changesets/write";
import { type Bump, bumpFor, diffSpecs, type SpecChange } from "./diff.js";
import { buildEffectiveSpec } from "./effective.js";
import { changedSpecPaths, resolveCommit, showFile } from "./git.js";
import { type MaskedChange, maskedChanges, maskedLine } from "./masked.js";
import { type ProviderFiles, type ReadText, readProviderFiles } from "./provider.js";

export const CUSTOMERS_PACKAGE = "@custkit/customers";

export interface ProviderDiff {
  provider: string;
  package: string;
  status: "changed" | "added" | "removed" | "unchanged";
  bump: Bump | null;
  changes: Array<SpecChange & { provider: string }>;
  /** True when `@custkit/customers` is bumped with this provider (breaking change + a mapper exists). */
  customers: boolean;
  notes: string[];
  /** Vendor file changes the overlay keeps out of the effective spec. */
  masked: MaskedChange[];
  /** Path of the written changeset, relative to the root. */
  changeset?: string;
}

export interface SpecDiffReport {
  base: string;
  commit: string;
  providers: ProviderDiff[];
}

export interface SpecDiffOptions {
  root: string;
  base: string;
  /** Restrict to these providers (default: every provider whose specs/<p>/ changed). */
  providers?: string[];
  write?: boolean;
}

export const readWorkingTree =
  (root: string): ReadText =>
  (rel) => {
    const p = join(root, rel);
    return existsSync(p) ? readFileSync(p, "utf8") : undefined;
  };

export const readAtCommit =
  (root: string, commit: string): ReadText =>
  (rel) =>
    showFile(root, commit, rel);

async function effective(
  files: ProviderFiles | undefined,
  side: string,
): Promise<Record<string, unknown> | undefined> {
  if (!files) return undefined;
  try {
    return await buildEffectiveSpec(files.spec, files.overlay, files.overlayFile);
  } catch (error) {
    throw new Error(`${side}: ${(error as Error).message}`);
  }
}

/** Diff of one provider between two sources (e.g. a commit and the working tree). */
export async function diffProvider(
  provider: string,
  readBefore: ReadText,
  readAfter: ReadText,
  hasMapper: boolean,
  sides: { before: string; after: string } = { before: "base", after: "working tree" },
): Promise<ProviderDiff> {
  const beforeFiles = readProviderFiles(readBefore, provider);
  const afterFiles = readProviderFiles(readAfter, provider);
  const pkg = afterFiles?.packageName ?? beforeFiles?.packageName ?? `@custkit/${provider}`;
  const result: ProviderDiff = {
    provider,
    package: pkg,
    status: "unchanged",
    bump: null,
    changes: [],
    customers: false,
    notes: [],
    masked: [],
  };
  const before = await effective(beforeFiles, sides.before);
  const after = await effective(afterFiles, sides.after);
  if (!after) {
    if (before) {
      result.status = "removed";
      result.notes.push("provider removed: no changeset written (no package left to bump)");
    }
    return result;
  }
  if (!before) {
    result.status = "added";
    result.bump = "minor";
    result.notes.push("new provider: first release of its package (minor)");
    return result;
  }
  result.changes = diffSpecs(before, after).map((c) => ({ provider, ...c }));
  if (beforeFiles && afterFiles?.overlay && afterFiles.overlayFile) {
    result.masked = await maskedChanges(
      beforeFiles.spec,
      afterFiles.spec,
      afterFiles.overlay,
      afterFiles.overlayFile,
    );
  }
  result.bump = bumpFor(result.changes) ?? null;
  if (result.changes.length > 0) result.status = "changed";
  if (result.bump === null && beforeFiles?.providerYamlText !== afterFiles?.providerYamlText) {
    result.notes.push(
      "provider.yaml changed without a spec change: not classified, write a changeset by hand if the package changes",
    );
  }
  if (result.bump === "major" && hasMapper) {
    result.customers = true;
    result.notes.push(
      `${CUSTOMERS_PACKAGE} bumped (patch): its ${provider} mapper sends requests through ${pkg}; review packages/customers/src/providers/${provider}.ts`,
    );
  }
  return result;
}

export async function specDiff(options: SpecDiffOptions): Promise<SpecDiffReport> {
  const { root, base } = options;
  const commit = resolveCommit(root, base);
  let names: string[];
  if (options.providers && options.providers.length > 0) {
    names = [...options.providers];
  } else {
    const changed = changedSpecPaths(root, commit);
    names = [
      ...new Set(changed.map((p) => p.split("/")[1]).filter((p): p is string => Boolean(p))),
    ];
  }
  names.sort();
  const readBefore = readAtCommit(root, commit);
  const readAfter = readWorkingTree(root);
  const report: SpecDiffReport = { base, commit, providers: [] };
  for (const provider of names) {
    const hasMapper = existsSync(join(root, "packages/customers/src/providers", `${provider}.ts`));
    const d = await diffProvider(provider, readBefore, readAfter, hasMapper, {
      before: `at ${base}`,
      after: "in the working tree",
    });
    if (
      d.status === "unchanged" &&
      d.notes.length === 0 &&
      d.masked.length === 0 &&
      !options.providers?.length
    )
      continue;
    report.providers.push(d);
  }
  if (options.write) {
    for (const d of report.providers) {
      if (!d.bump) continue;
      const releases: Array<{ name: string; type: Bump }> = [{ name: d.package, type: d.bump }];
      if (d.customers) releases.push({ name: CUSTOMERS_PACKAGE, type: "patch" });
      const id = await writeChangeset({ summary: changesetSummary(d, base), releases }, root);
      d.changeset = `.changeset/${id}.md`;
    }
  }
  return report;
}

function changeLine(c: SpecChange): string {
  const why = c.reclassified ? ` (${c.reclassified})` : "";
  return `${c.kind}: ${c.operation} \`${c.location}\` — ${c.description}${why}`;
}

/** The changeset's markdown body: what changed and why this bump. */
export function changesetSummary(d: ProviderDiff, base: string): string {
  const lines = [
    `Spec update for ${d.provider} (effective spec: vendor file + overlay, compared with ${base}): ${d.bump}.`,
  ];
  if (d.changes.length > 0) {
    lines.push("");
    for (const c of d.changes) lines.push(`- ${changeLine(c)}`);
  }
  if (d.notes.length > 0) {
    lines.push("");
    for (const n of d.notes) lines.push(`Note: ${n}.`);
  }
  if (d.masked.length > 0) {
    lines.push("", "Vendor changes the overlay keeps out of the effective spec:");
    for (const m of d.masked) lines.push(`- ${maskedLine(m)}`);
  }
  return lines.join("\n");
}

/** Human-readable report for the terminal. */
export function formatReport(report: SpecDiffReport): string {
  const out: string[] = [];
  if (report.providers.length === 0) {
    out.push(`No provider spec changes since ${report.base} (${report.commit.slice(0, 12)}).`);
    return out.join("\n");
  }
  out.push(`Spec changes since ${report.base} (${report.commit.slice(0, 12)}):`);
  for (const d of report.providers) {
    const counts = (["breaking", "non-breaking", "annotation"] as const)
      .map((k) => `${d.changes.filter((c) => c.kind === k).length} ${k}`)
      .join(", ");
    out.push("");
    const masked = d.masked.length > 0 ? `; ${d.masked.length} masked by the overlay` : "";
    out.push(
      `${d.provider} (${d.package}) — ${d.status}; bump: ${d.bump ?? "none"}; ${counts}${masked}`,
    );
    for (const c of d.changes) {
      out.push(`  ${c.kind.padEnd(12)} ${c.operation}  ${c.location}`);
      out.push(`               ${c.description}${c.reclassified ? ` [${c.reclassified}]` : ""}`);
    }
    for (const n of d.notes) out.push(`  note: ${n}`);
    for (const m of d.masked) out.push(`  masked       ${maskedLine(m)}`);
    if (d.changeset) out.push(`  wrote ${d.changeset}`);
  }
  return out.join("\n");
}

/** Markdown list of every masked vendor change (empty when none), for the regenerate pull request. */
export function maskedReport(report: SpecDiffReport): string {
  return report.providers
    .flatMap((d) => d.masked.map((m) => `- ${d.provider}: \`${maskedLine(m)}\``))
    .join("\n");
}
