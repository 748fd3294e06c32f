/** Human output. */
import { capabilities, type ProviderName, type UpdateResult } from "@custkit/customers";
import { CustkitError } from "@custkit/runtime";
import { envName, PROVIDER_OPTIONS } from "./config.js";
import type { DryRunOutput } from "./update.js";

const indent = (text: string, n = 2) =>
  text
    .split("\n")
    .map((l) => " ".repeat(n) + l)
    .join("\n");

export function formatProvider(provider: ProviderName): string {
  const caps = capabilities(provider);
  const supported = caps.fields.filter((f) => f.supported);
  const lines = [`${provider} — operations: ${caps.operations.join(", ")}`];
  lines.push(
    `  configuration: ${PROVIDER_OPTIONS[provider]
      .map(
        (o) =>
          `${envName(provider, o.option)}${o.secret ? " (secret)" : o.required ? " (required)" : ""}`,
      )
      .join(", ")}`,
  );
  lines.push(
    `  fields (${supported.length} of ${caps.fields.length}; ∅ = can be cleared with null):`,
  );
  const width = Math.max(...supported.map((f) => f.field.length));
  for (const f of supported) {
    const extras = [
      f.clear === "yes" ? "∅" : "",
      f.kinds ? `(${f.kinds.join(", ")} only)` : "",
      f.note ? `— ${f.note}` : "",
    ]
      .filter(Boolean)
      .join(" ");
    lines.push(`    ${f.field.padEnd(width)}  → ${f.target ?? ""}${extras ? `  ${extras}` : ""}`);
  }
  const unsupported = caps.fields.filter((f) => !f.supported).map((f) => f.field);
  if (unsupported.length > 0) lines.push(`  not supported: ${unsupported.join(", ")}`);
  for (const note of caps.notes) lines.push(`  note: ${note}`);
  return lines.join("\n");
}

export function formatDryRun(out: DryRunOutput): string {
  const lines = [
    `dry run: ${out.provider} ${out.id} — ${out.requests.length} request(s), nothing sent`,
  ];
  for (const r of out.requests) {
    lines.push("", `${r.method} ${r.url}`);
    for (const [k, v] of Object.entries(r.headers)) lines.push(`${k}: ${v}`);
    if (r.body !== undefined)
      lines.push("", typeof r.body === "string" ? r.body : JSON.stringify(r.body, null, 2));
  }
  lines.push("", `written: ${out.written.join(", ") || "(nothing)"}`);
  for (const s of out.skipped) lines.push(`skipped: ${s.field} — ${s.reason}`);
  for (const w of out.warnings) lines.push(`warning: ${w}`);
  return lines.join("\n");
}

export function formatResult(result: UpdateResult): string {
  const lines = [
    `✓ ${result.provider}: customer ${result.id} updated (${result.requests} request${result.requests === 1 ? "" : "s"})`,
  ];
  lines.push(`  written: ${result.written.join(", ") || "(nothing)"}`);
  for (const s of result.skipped) lines.push(`  skipped: ${s.field} — ${s.reason}`);
  for (const w of result.warnings) lines.push(`  warning: ${w}`);
  if (result.customer)
    lines.push("  customer as returned:", indent(JSON.stringify(result.customer, null, 2), 4));
  return lines.join("\n");
}

export function formatError(error: unknown): string {
  if (error instanceof CustkitError) {
    const lines = [`✗ ${error.kind}: ${error.message}`];
    if (error.status !== undefined)
      lines.push(
        `  HTTP ${error.status}${error.requestId ? ` (request id ${error.requestId})` : ""}`,
      );
    if (error.vendorCode) lines.push(`  vendor code: ${error.vendorCode}`);
    for (const f of error.fieldErrors) lines.push(`  - ${f.field}: ${f.reason}`);
    if (error.retryable) lines.push("  (retryable)");
    return lines.join("\n");
  }
  return `✗ ${error instanceof Error ? error.message : String(error)}`;
}
