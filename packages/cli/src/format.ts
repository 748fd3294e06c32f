/** Human output. */
import {
  capabilities,
  describeRefused,
  MODEL_FIELDS,
  type Normalization,
  type ProviderName,
  type UpdateResult,
  valueFormat,
} from "@custkit/customers";
import { CustkitError, RateLimitError } from "@custkit/runtime";
import { type Endpoint, environmentsOf, envName, PROVIDER_OPTIONS } from "./config.js";
import { REFUSED_KINDS } from "./errors.js";
import { describeAttempts } from "./sync/attempts.js";
import type { Delivery, DryRunOutput } from "./update.js";

const indent = (text: string, n = 2) =>
  text
    .split("\n")
    .map((l) => " ".repeat(n) + l)
    .join("\n");

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

/** `sandbox https://…`, or `base URL https://…` when one was given instead of an environment. */
function endpointLine(endpoint: Endpoint): string {
  return endpoint.environment === undefined
    ? `base URL ${endpoint.baseUrl}`
    : `environment ${endpoint.environment} (${endpoint.baseUrl})`;
}

function normalizedLines(normalized: readonly Normalization[] | undefined): string[] {
  return (normalized ?? []).map(
    (n) => `normalized: ${n.field} ${JSON.stringify(n.from)} → ${JSON.stringify(n.to)}`,
  );
}

/** A field's format as `custkit providers` shows it: `ISO date (YYYY-MM-DD)`, `one of a, b`. */
export function formatOf(field: string): string | undefined {
  const format = valueFormat(field);
  if (format === undefined) return undefined;
  if (format.values === undefined) return format.format;
  const list = `one of ${format.values.join(", ")}`;
  return format.format === "one of" ? list : `${format.format}, type ${list}`;
}

export function formatProvider(provider: ProviderName): string {
  const caps = capabilities(provider);
  // One row per model field; group-level clears (e.g. Enfuce `temporaryAddress: null`) are notes.
  const modelFields: readonly string[] = MODEL_FIELDS;
  const fields = caps.fields.filter((f) => modelFields.includes(f.field));
  const groupClears = caps.fields.filter((f) => !modelFields.includes(f.field));
  const supported = fields.filter((f) => f.supported);
  const lines = [`${provider} — operations: ${caps.operations.join(", ")}`];
  lines.push("  environments:");
  for (const env of environmentsOf(provider))
    lines.push(`    ${env.name}${env.default ? " (default)" : ""}  ${env.url}`);
  lines.push(
    `  configuration: ${PROVIDER_OPTIONS[provider]
      .map(
        (o) =>
          `${envName(provider, o.option)}${o.secret ? " (secret)" : o.required ? " (required)" : ""}`,
      )
      .join(", ")}`,
  );
  lines.push(
    `  fields (${supported.length} of ${fields.length} model fields; ∅ = can be cleared with null):`,
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
    const format = formatOf(f.field);
    lines.push(
      `    ${f.field.padEnd(width)}  → ${f.target ?? ""}${format ? `  [${format}]` : ""}${extras ? `  ${extras}` : ""}`,
    );
  }
  for (const g of groupClears)
    lines.push(`  also: ${g.field} → ${g.target ?? ""}${g.note ? ` — ${g.note}` : ""}`);
  const unsupported = fields.filter((f) => !f.supported).map((f) => f.field);
  if (unsupported.length > 0)
    lines.push(`  not supported (${unsupported.length}): ${unsupported.join(", ")}`);
  for (const note of caps.notes) lines.push(`  note: ${note}`);
  return lines.join("\n");
}

export function formatDryRun(out: DryRunOutput): string {
  const lines = [
    `dry run: ${out.provider} ${out.id} — ${out.requests.length} request(s) to ${endpointLine(out.endpoint)}, nothing sent`,
  ];
  if (out.placeholders.length > 0)
    lines.push(
      `placeholders (not configured, shown as placeholder-<option>): ${out.placeholders.join(", ")}`,
    );
  for (const r of out.requests) {
    lines.push("", `${r.method} ${r.url}`);
    for (const [k, v] of Object.entries(r.headers)) lines.push(`${k}: ${v}`);
    if (r.body !== undefined)
      lines.push("", typeof r.body === "string" ? r.body : JSON.stringify(r.body, null, 2));
  }
  lines.push("", `written: ${out.written.join(", ") || "(nothing)"}`);
  lines.push(...normalizedLines(out.normalized));
  for (const s of out.skipped) lines.push(`skipped: ${s.field} — ${s.reason}`);
  for (const w of out.warnings) lines.push(`warning: ${w}`);
  return lines.join("\n");
}

export function formatResult(result: UpdateResult, delivery: Delivery): string {
  const attempts = describeAttempts(delivery, result.requests);
  const lines = [
    `✓ ${result.provider}: customer ${result.id} updated (${result.requests} request${result.requests === 1 ? "" : "s"}${attempts ? `; ${attempts}` : ""})`,
  ];
  lines.push(`  to ${endpointLine(delivery)}`);
  lines.push(`  written: ${result.written.join(", ") || "(nothing)"}`);
  for (const n of normalizedLines(result.normalized)) lines.push(`  ${n}`);
  for (const s of result.skipped) lines.push(`  skipped: ${s.field} — ${s.reason}`);
  for (const w of result.warnings) lines.push(`  warning: ${w}`);
  if (result.customer)
    lines.push("  customer as returned:", indent(JSON.stringify(result.customer, null, 2), 4));
  return lines.join("\n");
}

/**
 * An error as a person reads it. A refusal names each field once: its one line, or a headline
 * and one line per field; a vendor's answer adds status, vendor code, the vendor's field errors
 * and the wait it asked for; `delivery` says where the request went and how many attempts it took.
 */
export function formatError(error: unknown, delivery?: Delivery): string {
  if (!(error instanceof CustkitError))
    return `✗ ${error instanceof Error ? error.message : String(error)}`;
  const refusal = REFUSED_KINDS.has(error.kind);
  const lines: string[] = [];
  if (refusal && error.fieldErrors.length > 1) {
    lines.push(
      `✗ ${error.kind}: ${error.provider} refused ${error.fieldErrors.length} fields, nothing was sent:`,
    );
    for (const f of error.fieldErrors) lines.push(`  - ${describeRefused(f)}`);
  } else {
    lines.push(`✗ ${error.kind}: ${error.message}`);
    if (!refusal) for (const f of error.fieldErrors) lines.push(`  - ${f.field}: ${f.reason}`);
  }
  if (error.status !== undefined)
    lines.push(
      `  HTTP ${error.status}${error.requestId ? ` (request id ${error.requestId})` : ""}`,
    );
  if (error.vendorCode) lines.push(`  vendor code: ${error.vendorCode}`);
  if (error instanceof RateLimitError && error.retryAfterMs !== undefined)
    lines.push(`  the vendor asked to wait ${seconds(error.retryAfterMs)} before retrying`);
  if (delivery !== undefined && delivery.attempts > 0) {
    const attempts = describeAttempts(delivery);
    lines.push(`  to ${endpointLine(delivery)}${attempts ? `: ${attempts}` : ""}`);
  }
  if (error.retryable) lines.push("  (retryable)");
  return lines.join("\n");
}
