/**
 * A client's options resolved once, shared by the operation methods (`core.ts`) and the
 * openapi-fetch client (`raw.ts`): the base URL, the headers sent with every request (caller's,
 * client headers, auth: later ones win) and the one transport every request leaves through.
 */
import { resolveAuthHeaders } from "./auth.js";
import type { FieldError } from "./errors.js";
import { headerProblems, resolveClientHeaders } from "./headers.js";
import { invalid } from "./invalid.js";
import { createRateLimitGate, rateLimitProblem } from "./rate-limit/index.js";
import { registerSecrets, SECRET_HEADER } from "./redact.js";
import { checkPlainHttp, resolveBaseUrl } from "./servers.js";
import { createTransport, MAX_SAME_ORIGIN_REDIRECTS, type Transport } from "./transport/index.js";
import type { ApiClientOptions, ApiDefinition } from "./types.js";

export interface ResolvedClient {
  baseUrl: string;
  /** As the options and the definition spell them, in precedence order. */
  headers: Record<string, string>;
  transport: Transport;
}

export function resolveClient(
  definition: ApiDefinition,
  options: ApiClientOptions,
): ResolvedClient {
  const { provider } = definition;
  if (typeof options !== "object" || options === null)
    throw invalid(provider, "options must be an object");
  const baseUrl = resolveBaseUrl(definition, options);
  checkPlainHttp(definition, options, baseUrl);
  const problems: FieldError[] = [];
  headerProblems(options.headers, "options.headers", problems);
  if (problems.length > 0)
    throw invalid(
      provider,
      `option "headers": ${problems.map((e) => `${e.field} ${e.reason}`).join("; ")}`,
    );
  const headers: Record<string, string> = {
    ...(options.headers ?? {}),
    ...resolveClientHeaders(definition, options),
    ...resolveAuthHeaders(definition, options),
  };
  for (const [name, value] of Object.entries(options.headers ?? {}))
    if (SECRET_HEADER.test(name)) registerSecrets(value);
  for (const key of ["timeoutMs", "totalTimeoutMs", "maxResponseBytes"] as const) {
    const value = options[key];
    if (value !== undefined && !(typeof value === "number" && value > 0))
      throw invalid(provider, `option "${key}" must be a positive number`);
  }
  if (options.rateLimit !== undefined) {
    const problem = rateLimitProblem(options.rateLimit);
    if (problem) throw invalid(provider, `option "rateLimit": ${problem}`);
  }
  const redirects = options.sameOriginRedirects;
  if (
    redirects !== undefined &&
    !(Number.isInteger(redirects) && redirects >= 0 && redirects <= MAX_SAME_ORIGIN_REDIRECTS)
  )
    throw invalid(
      provider,
      `option "sameOriginRedirects" must be an integer from 0 to ${MAX_SAME_ORIGIN_REDIRECTS}`,
    );
  const transport = createTransport({
    gate: createRateLimitGate(provider, options.rateLimit, options),
    fetch: options.fetch,
    hooks: options.hooks,
    retries: options.retries,
    timeoutMs: options.timeoutMs,
    totalTimeoutMs: options.totalTimeoutMs,
    maxResponseBytes: options.maxResponseBytes,
    sameOriginRedirects: redirects,
  });
  return { baseUrl, headers, transport };
}
