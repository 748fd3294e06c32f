/**
 * The demo behind `pnpm start`: a Prism mock server per vendor (from the generated
 * packages' effective specs), one sample customer updated at each through the facade, and a table
 * per provider of what was sent and what came back. The servers are always stopped.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  type CustomerPatch,
  createCustomers,
  PROVIDER_NAMES,
  type ProviderName,
  type UpdateResult,
} from "@custkit/customers";
import { CustkitError, redactHeaders, redactText } from "@custkit/runtime";
import { parse } from "yaml";
import { type MockServer, startMock } from "./mocks.js";

/** One provider's demo, from the `demo` section of its specs/<p>/provider.yaml. */
export interface DemoSample {
  id: string | number;
  patch: CustomerPatch;
  about: string;
  /** Client and mapper options for the mock (placeholder credentials). */
  options: Record<string, unknown>;
}

const SPECS = fileURLToPath(new URL("../../../specs/", import.meta.url));

/** Every provider whose provider.yaml has a demo, in listing order. */
export const SAMPLES: ReadonlyMap<string, DemoSample> = new Map(
  PROVIDER_NAMES.flatMap((p) => {
    const { demo } = parse(readFileSync(`${SPECS}${p}/provider.yaml`, "utf8")) as {
      demo?: DemoSample;
    };
    return demo === undefined ? [] : [[p, demo] as const];
  }),
);

export const DEMO_PROVIDERS: readonly ProviderName[] = PROVIDER_NAMES.filter((p) => SAMPLES.has(p));

export interface SentRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

export interface DemoRow {
  provider: ProviderName;
  about: string;
  ok: boolean;
  sent: SentRequest[];
  /** HTTP statuses of the answers. */
  statuses: number[];
  result?: UpdateResult;
  error?: Record<string, unknown>;
}

function parseBody(text: string, contentType: string | null): unknown {
  if (text === "") return undefined;
  if (contentType && /json/i.test(contentType)) {
    try {
      return JSON.parse(redactText(text));
    } catch {
      // fall through
    }
  }
  return redactText(text);
}

/** A fetch that records each request (credentials redacted) and forwards it. */
function recordingFetch(sent: SentRequest[]) {
  return async (url: string, init: RequestInit): Promise<Response> => {
    // The request fetch would send, to read its headers and body the way a server sees them.
    const request = new Request(url, init);
    const target = new URL(request.url);
    const text = request.body === null ? "" : await request.clone().text();
    sent.push({
      method: request.method,
      path: `${target.pathname}${target.search}`,
      headers: redactHeaders(request.headers),
      body: parseBody(text, request.headers.get("content-type")),
    });
    return fetch(request);
  };
}

export interface DemoOptions {
  providers?: readonly ProviderName[];
  /** Where the tables go; default stdout. Pass `null` to print nothing. */
  print?: ((text: string) => void) | null;
}

/** Start the mocks, update one customer at each provider, print the tables, stop the mocks. */
export async function runDemo(
  options: DemoOptions = {},
): Promise<{ ok: boolean; rows: DemoRow[] }> {
  const providers = options.providers ?? DEMO_PROVIDERS;
  const print =
    options.print === null
      ? () => {}
      : (options.print ?? ((t: string) => process.stdout.write(`${t}\n`)));
  const mocks: MockServer[] = [];
  const stopAll = () => Promise.all(mocks.map((m) => m.stop()));
  const onSignal = () => {
    void stopAll().then(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    print(
      `Starting ${providers.length} Prism mock servers from packages/<provider>/openapi.json …`,
    );
    const started = await Promise.allSettled(providers.map((p) => startMock(p)));
    for (const s of started) if (s.status === "fulfilled") mocks.push(s.value);
    const failedStart = started.find((s) => s.status === "rejected");
    if (failedStart) throw (failedStart as PromiseRejectedResult).reason;
    for (const m of mocks) print(`  ${m.provider.padEnd(8)} ${m.url}`);

    const sent: Record<string, SentRequest[]> = {};
    const config: Record<string, Record<string, unknown>> = {};
    for (const m of mocks) {
      sent[m.provider] = [];
      config[m.provider] = {
        ...SAMPLES.get(m.provider)?.options,
        baseUrl: m.url,
        fetch: recordingFetch(sent[m.provider] as SentRequest[]),
      };
    }
    const customers = createCustomers({ providers: config as never });
    const rows: DemoRow[] = [];
    for (const provider of providers) {
      const sample = SAMPLES.get(provider);
      if (sample === undefined) throw new Error(`specs/${provider}/provider.yaml has no demo`);
      const row: DemoRow = {
        provider,
        about: sample.about,
        ok: false,
        sent: sent[provider] ?? [],
        statuses: [],
      };
      try {
        const result = await customers.update(provider, sample.id, sample.patch, {
          raw: true,
          timeoutMs: 15_000,
        });
        row.ok = true;
        row.statuses = (result.raw ?? []).map((r) => r.status);
        row.result = { ...result, raw: undefined };
      } catch (error) {
        row.error =
          error instanceof CustkitError
            ? error.toJSON()
            : { kind: "internal", message: error instanceof Error ? error.message : String(error) };
        if (error instanceof CustkitError && error.status !== undefined)
          row.statuses = [error.status];
      }
      rows.push(row);
      print("");
      print(renderRow(row));
    }
    const ok = rows.every((r) => r.ok);
    print("");
    print(renderSummary(rows));
    return { ok, rows };
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await stopAll();
    print("Mock servers stopped.");
  }
}

const compact = (v: unknown, max = 400): string => {
  const text = typeof v === "string" ? v : JSON.stringify(v);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
};

/** Lines of at most `width` characters, broken after a space or comma where there is one. */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > width) {
    const cut = Math.max(rest.lastIndexOf(" ", width - 1), rest.lastIndexOf(",", width - 1));
    const at = cut > width / 2 ? cut + 1 : width;
    out.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  out.push(rest);
  return out;
}

/** Two-column table: label | value (values wrap at the terminal's width). */
function table(title: string, rows: [string, string][]): string {
  const labelWidth = Math.max(...rows.map(([l]) => l.length));
  const width = Math.max(60, Math.min(process.stdout.columns ?? 110, 140));
  const valueWidth = width - labelWidth - 7;
  const lines: string[] = [];
  const rule = (l: string, m: string, r: string) =>
    `${l}${"─".repeat(labelWidth + 2)}${m}${"─".repeat(valueWidth + 2)}${r}`;
  lines.push(`┌${"─".repeat(labelWidth + valueWidth + 5)}┐`);
  lines.push(`│ ${title.padEnd(labelWidth + valueWidth + 3)} │`);
  lines.push(rule("├", "┬", "┤"));
  for (const [label, value] of rows) {
    const chunks: string[] = [];
    for (const para of value.split("\n")) chunks.push(...wrap(para, valueWidth));
    chunks.forEach((c, i) => {
      lines.push(`│ ${(i === 0 ? label : "").padEnd(labelWidth)} │ ${c.padEnd(valueWidth)} │`);
    });
  }
  lines.push(rule("└", "┴", "┘"));
  return lines.join("\n");
}

export function renderRow(row: DemoRow): string {
  const rows: [string, string][] = [];
  row.sent.forEach((r, i) => {
    const n = row.sent.length > 1 ? ` ${i + 1}` : "";
    rows.push([`request${n}`, `${r.method} ${r.path}`]);
    const auth = Object.entries(r.headers)
      .filter(([k]) => /authorization|api-key|instance|company|language/i.test(k))
      .map(([k, v]) => `${k}: ${v}`)
      .join(", ");
    if (auth) rows.push(["headers", auth]);
    rows.push(["body sent", r.body === undefined ? "(none)" : compact(r.body)]);
  });
  if (row.sent.length === 0) rows.push(["request", "(nothing sent)"]);
  rows.push(["status", row.statuses.length > 0 ? row.statuses.join(", ") : "—"]);
  if (row.ok && row.result) {
    rows.push(["written", row.result.written.join(", ")]);
    rows.push([
      "came back",
      row.result.customer ? compact(row.result.customer) : "ok (the vendor returns no customer)",
    ]);
  } else {
    rows.push([
      "error",
      compact({
        kind: row.error?.kind,
        message: row.error?.message,
        fieldErrors: row.error?.fieldErrors,
      }),
    ]);
  }
  return table(`${row.ok ? "✓" : "✗"} ${row.provider} — ${row.about}`, rows);
}

export function renderSummary(rows: DemoRow[]): string {
  const header = ["provider", "result", "requests", "status", "fields written"];
  const body = rows.map((r) => [
    r.provider,
    r.ok ? "ok" : `FAILED (${String(r.error?.kind ?? "?")})`,
    String(r.sent.length),
    r.statuses.join(",") || "—",
    r.result ? String(r.result.written.length) : "—",
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...body.map((b) => (b[i] as string).length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(" | ")} |`;
  return [
    line(header),
    `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`,
    ...body.map(line),
  ].join("\n");
}
