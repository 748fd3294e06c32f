/**
 * A client's options resolved once, shared by the operation methods (`core.ts`) and the
 * openapi-fetch client (`raw.ts`): the base URL, the headers sent with every request (caller's,
 * client headers, auth: later ones win) and the one transport every request leaves through.
 */
import { resolveAuthHeaders } from "./auth.js";
import type { FieldError } from "./errors.js";
import { headerProblems, resolveClientHeaders } from "./headers.js";
import { misconfigured } from "./invalid.js";
import { createRateLimitGate, rateLimitProblem } from "./rate-limit/index.js";
import { clientSecrets, SECRET_HEADER } from "./redact.js";
import { checkPlainHttp, resolveBaseUrl } from "./servers.js";
import { createTransport, MAX_SAME_ORIGIN_REDIRECTS, type Transport } from "./transport/index.js";
import type { ApiClientOptions, ApiDefinition } from "./types.js";

export interface ResolvedClient {
  baseUrl: string;
  /** As the options and the definition spell them, in precedence order. */
  headers: Record<string, string>;
  transport: Transport;
  /** This client's credentials in every echoed form: redacted from its errors and hook payloads. */
  secrets: readonly string[];
}

export function resolveClient(
  definition: ApiDefinition,
  options: ApiClientOptions,
): ResolvedClient {
  const { provider } = definition;
  if (typeof options !== "object" || options === null)
    throw misconfigured(provider, "options must be an object");
  const baseUrl = resolveBaseUrl(definition, options);
  checkPlainHttp(definition, options, baseUrl);
  const problems: FieldError[] = [];
  headerProblems(options.headers, "options.headers", problems);
  if (problems.length > 0)
    throw misconfigured(
      provider,
      `option "headers": ${problems.map((e) => `${e.field} ${e.reason}`).join("; ")}`,
    );
  const authHeaders = resolveAuthHeaders(definition, options);
  const headers: Record<string, string> = {
    ...(options.headers ?? {}),
    ...resolveClientHeaders(definition, options),
    ...authHeaders,
  };
  const secrets = clientSecrets(
    ...["token", "username", "password", "apiKey"].map((k) => options[k] as string | undefined),
    // The encoded form of HTTP Basic credentials, as the Authorization header carries it.
    ...Object.values(authHeaders).map((value) => value.replace(/^(Basic|Bearer) /, "")),
    ...Object.entries(options.headers ?? {})
      .filter(([name]) => SECRET_HEADER.test(name))
      .map(([, value]) => value),
  );
  for (const key of ["timeoutMs", "totalTimeoutMs", "maxResponseBytes"] as const) {
    const value = options[key];
    if (value !== undefined && !(typeof value === "number" && value > 0))
      throw misconfigured(provider, `option "${key}" must be a positive number`);
  }
  if (options.rateLimit !== undefined) {
    const problem = rateLimitProblem(options.rateLimit);
    if (problem) throw misconfigured(provider, `option "rateLimit": ${problem}`);
  }
  const redirects = options.sameOriginRedirects;
  if (
    redirects !== undefined &&
    !(Number.isInteger(redirects) && redirects >= 0 && redirects <= MAX_SAME_ORIGIN_REDIRECTS)
  )
    throw misconfigured(
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
    secrets,
    sameOriginRedirects: redirects,
  });
  return { baseUrl, headers, transport, secrets };
}
