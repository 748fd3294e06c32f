/**
 * `createApiClientCore(definition, options, validation, serializers)`: the engine under every
 * generated `create<P>Client`. The generated package supplies a `definition` (environments, auth
 * schemes, client headers, operations), the constraint tree of each operation (`validation`),
 * the non-JSON body serializers its spec needs and the precise types; this file resolves the
 * options once (auth, base URL, client headers, transport) and builds one method per operation
 * (`call.ts`), plus `raw`: the openapi-fetch client with the same headers and transport.
 *
 * Every HTTP request leaves through one transport per client (`./transport`): retries, per-attempt
 * and total timeouts, the caller's AbortSignal, bounded bodies and redacted hooks live there.
 */
import createClient from "openapi-fetch";
import { resolveAuthHeaders } from "./auth.js";
import { operationMethod, operationValidator } from "./call.js";
import type { FieldError } from "./errors.js";
import { headerProblems, resolveClientHeaders, SECRET_HEADER } from "./headers.js";
import { invalid } from "./invalid.js";
import type { ExtraSerializers } from "./media.js";
import { registerSecrets } from "./redact.js";
import { PlainRequest } from "./request.js";
import { resolveBaseUrl } from "./servers.js";
import { createTransport } from "./transport/index.js";
import type { ApiClient, ApiClientOptions, ApiDefinition, RawClient } from "./types.js";
import type { ValidationTable } from "./validate.js";

export type { ExtraSerializers } from "./media.js";

const IDEMPOTENT_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"];

/**
 * Build a client: one method per operation of `definition`, plus `raw` (the openapi-fetch client,
 * with auth, client headers and the same transport). `validation` holds each operation's
 * constraints, emitted by the codegen; `serializers` the form / XML writers the spec's media
 * types need (JSON is built in).
 */
export function createApiClientCore<Paths extends object>(
  definition: ApiDefinition,
  options: ApiClientOptions,
  validation: ValidationTable = {},
  serializers: ExtraSerializers = {},
): ApiClient<Paths> {
  const { provider } = definition;
  if (typeof options !== "object" || options === null)
    throw invalid(provider, "options must be an object");
  const baseUrl = resolveBaseUrl(definition, options);
  const optionProblems: FieldError[] = [];
  headerProblems(options.headers, "options.headers", optionProblems);
  if (optionProblems.length > 0)
    throw invalid(
      provider,
      `option "headers": ${optionProblems.map((e) => `${e.field} ${e.reason}`).join("; ")}`,
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
  const transport = createTransport({
    fetch: options.fetch,
    hooks: options.hooks,
    retries: options.retries,
    timeoutMs: options.timeoutMs,
    totalTimeoutMs: options.totalTimeoutMs,
    maxResponseBytes: options.maxResponseBytes,
  });
  const raw = createClient<Paths>({
    baseUrl,
    headers,
    // Plain fields instead of a web Request: no body stream to read back (see request.ts).
    Request: PlainRequest as unknown as typeof Request,
    fetch: (request: Request) =>
      transport(request as unknown as PlainRequest, {
        provider,
        operation: "raw",
        idempotent: IDEMPOTENT_METHODS.includes(request.method),
      }),
  }) as RawClient<Paths>;

  const state = { provider, raw, transport, validating: options.validate !== false, serializers };
  const client: ApiClient<Paths> = {
    raw,
    definition,
    baseUrl,
    validate: operationValidator(state, definition.operations, validation),
  };
  for (const name in definition.operations) {
    const op = definition.operations[name];
    if (op && Object.hasOwn(definition.operations, name))
      client[name] = operationMethod(state, name, op, validation[name]);
  }
  return client;
}
