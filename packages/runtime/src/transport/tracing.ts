/**
 * OpenTelemetry spans for vendor calls, through `@opentelemetry/api` only: a no-op until the
 * application registers an SDK, and then one CLIENT span per call (`<provider> <operation>`),
 * with an event per attempt. Attributes name the provider, operation, attempts, HTTP status,
 * error kind and the time waited (rate limit, vendor pause, backoff); never a URL, header, body or
 * id, which may hold credentials or personal data.
 */
import { type Span, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { CustkitError } from "../errors.js";
import type { AttemptReport, CallContext } from "./types.js";

const tracer = trace.getTracer("@custkit/runtime");

/** Runs `send` inside the call's span; the context passed on reports each attempt to it too. */
export async function traced(
  ctx: CallContext,
  send: (ctx: CallContext) => Promise<Response>,
): Promise<Response> {
  const span = tracer.startSpan(`${ctx.provider} ${ctx.operation}`, {
    kind: SpanKind.CLIENT,
    attributes: { "custkit.provider": ctx.provider, "custkit.operation": ctx.operation },
  });
  // No SDK: nothing records, and the call runs as it would without tracing.
  if (!span.isRecording()) {
    span.end();
    return send(ctx);
  }
  let waitedMs = 0;
  const observe = (report: AttemptReport) => {
    waitedMs += report.waitedMs;
    recordAttempt(span, report, waitedMs);
    ctx.onAttempt?.(report);
  };
  try {
    const response = await send({ ...ctx, onAttempt: observe });
    if (response.status >= 400)
      span.setStatus({ code: SpanStatusCode.ERROR, message: `status ${response.status}` });
    return response;
  } catch (error) {
    const kind = error instanceof CustkitError ? error.kind : "internal";
    span.setAttribute("error.type", kind);
    span.setStatus({ code: SpanStatusCode.ERROR, message: kind });
    throw error;
  } finally {
    span.end();
  }
}

function recordAttempt(span: Span, report: AttemptReport, waitedMs: number): void {
  const attempt: Record<string, number | string> = {
    "custkit.attempt": report.attempt,
    "custkit.wait_ms": Math.round(report.waitedMs),
    "custkit.duration_ms": Math.round(report.durationMs),
  };
  if (report.status !== undefined) attempt["http.response.status_code"] = report.status;
  if (report.errorKind !== undefined) attempt["error.type"] = report.errorKind;
  if (report.askedMs !== undefined) attempt["custkit.vendor_asked_ms"] = report.askedMs;
  span.addEvent("attempt", attempt);
  span.setAttributes({
    "custkit.attempts": report.attempt,
    "custkit.waited_ms": Math.round(waitedMs),
    ...(report.status !== undefined ? { "http.response.status_code": report.status } : {}),
    ...(report.errorKind !== undefined ? { "error.type": report.errorKind } : {}),
    ...(report.askedMs !== undefined ? { "custkit.vendor_asked_ms": report.askedMs } : {}),
  });
}
